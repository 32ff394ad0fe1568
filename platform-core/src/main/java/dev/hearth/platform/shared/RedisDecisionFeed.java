package dev.hearth.platform.shared;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import dev.hearth.platform.gateway.DecisionFeed;
import dev.hearth.platform.gateway.ReplicaGroup;
import dev.hearth.platform.gateway.ReplicaGroups;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the approximate prefix indexes of several gateways alike: the decisions a gateway's router
 * learned from (replicas without KV events) are published on {@code hearth:decisions} in batches,
 * one message per {@code batch}, and every other gateway's router learns them too
 * ({@code Router.learn}). Replicas whose events flow are not affected: each gateway subscribes to
 * those itself. Batching bounds Redis traffic to a message per interval per gateway whatever the
 * request rate; what a batch misses is a later hit lost, never a wrong answer. Decisions made
 * while Redis is away are dropped (the queue is bounded too): the indexes drift apart until new
 * traffic teaches them again. The benchmark's gateway fleet measures what this buys.
 */
public final class RedisDecisionFeed implements DecisionFeed, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisDecisionFeed.class);
    static final String CHANNEL = "hearth:decisions";
    private static final int QUEUE = 65_536;

    private record Learned(String deployment, String replica, long[] blockHashes) {}

    private final RedisLink redis;
    private final ReplicaGroups groups;
    private final LongSupplier clock;
    private final Duration batch;
    private final String self = UUID.randomUUID().toString();
    private final BlockingQueue<Learned> queue = new ArrayBlockingQueue<>(QUEUE);
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread flusher;
    private volatile StatefulRedisPubSubConnection<String, byte[]> subscription;
    private volatile boolean closed;

    public RedisDecisionFeed(RedisLink redis, ReplicaGroups groups, LongSupplier clock, Duration batch) {
        this.redis = redis;
        this.groups = groups;
        this.clock = clock;
        this.batch = batch;
        subscribe();
        redis.onReturn(this::subscribe);
        this.flusher = Thread.ofVirtual().name("decision-feed").start(this::flush);
    }

    @Override
    public void learned(String deployment, String replica, long[] blockHashes) {
        if (!queue.offer(new Learned(deployment, replica, blockHashes))) {
            dropped.incrementAndGet();
        }
    }

    private synchronized void subscribe() {
        if (subscription != null || closed) {
            return; // lettuce subscribes again by itself after a reconnect
        }
        StatefulRedisPubSubConnection<String, byte[]> c = redis.pubSub();
        if (c == null) {
            return; // Redis away: subscribed when it returns
        }
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                apply(message);
            }
        });
        try {
            c.sync().subscribe(CHANNEL);
            subscription = c;
        } catch (RuntimeException e) {
            c.close();
            LOG.warn("cannot subscribe to {} yet: {}", CHANNEL, e.getMessage());
        }
    }

    private void flush() {
        List<Learned> drained = new ArrayList<>();
        while (!closed) {
            try {
                Thread.sleep(batch);
            } catch (InterruptedException e) {
                return;
            }
            drained.clear();
            queue.drainTo(drained);
            if (drained.isEmpty()) {
                continue;
            }
            byte[] message = encode(drained);
            Long heard = redis.call(c -> c.publish(CHANNEL, message), null);
            if (heard == null) {
                dropped.addAndGet(drained.size());
            } else {
                published.addAndGet(drained.size());
            }
        }
    }

    private byte[] encode(List<Learned> decisions) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(self);
            out.writeInt(decisions.size());
            for (Learned d : decisions) {
                out.writeUTF(d.deployment());
                out.writeUTF(d.replica());
                out.writeInt(d.blockHashes().length);
                for (long h : d.blockHashes()) {
                    out.writeLong(h);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
    }

    /** One batch from another gateway; our own are skipped, as are deployments or replicas unknown here. */
    void apply(byte[] message) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(message))) {
            if (in.readUTF().equals(self)) {
                return;
            }
            int n = in.readInt();
            long now = clock.getAsLong();
            for (int i = 0; i < n; i++) {
                String deployment = in.readUTF();
                String replica = in.readUTF();
                long[] hashes = new long[in.readInt()];
                for (int j = 0; j < hashes.length; j++) {
                    hashes[j] = in.readLong();
                }
                ReplicaGroup group = groups.get(deployment);
                if (group != null) {
                    group.router().learn(replica, hashes, hashes.length, now);
                }
                received.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring a malformed decision batch on {}: {}", CHANNEL, e.toString());
        }
    }

    /** Decisions shared and heard. */
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("hearth.shared.decisions.published", published, AtomicLong::get)
                .description("Learned routing decisions this gateway published to the others.").register(registry);
        FunctionCounter.builder("hearth.shared.decisions.received", received, AtomicLong::get)
                .description("Routing decisions learned from other gateways.").register(registry);
        FunctionCounter.builder("hearth.shared.decisions.dropped", dropped, AtomicLong::get)
                .description("Decisions not shared: Redis away or the queue full.").register(registry);
    }

    @Override
    public void close() {
        closed = true;
        flusher.interrupt();
        StatefulRedisPubSubConnection<String, byte[]> c = subscription;
        if (c != null) {
            c.close();
        }
    }
}
