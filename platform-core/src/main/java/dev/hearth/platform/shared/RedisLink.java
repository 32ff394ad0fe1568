package dev.hearth.platform.shared;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one connection to the Redis that several gateways share (lettuce). Every command
 * has a short timeout and a failure never reaches a request: the caller gets its local answer, one
 * log line says Redis went away and one that it is back, and {@link #available()} is a metric.
 * While Redis is away a watcher pings it each second; when it answers again the {@link #onReturn}
 * hooks reconcile what was decided locally meanwhile. Commands are not queued while disconnected.
 */
public final class RedisLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final String where;
    private final List<Runnable> onReturn = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong outages = new AtomicLong();
    private final Thread watcher;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile boolean available;
    private volatile boolean closed;

    /** {@code uri}: redis://HOST:PORT (or rediss://, with a password or database as lettuce reads them). */
    public RedisLink(String uri, Duration commandTimeout) {
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(commandTimeout);
        this.where = redisUri.getHost() + ":" + redisUri.getPort();
        this.client = RedisClient.create(redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .build());
        connect();
        call(c -> c.ping(), null);
        if (!available) {
            outages.incrementAndGet();
            LOG.warn("Redis at {} is not answering; serving with this gateway's own state until it does", where);
        }
        this.watcher = Thread.ofVirtual().name("redis-watcher").start(this::watch);
    }

    public String where() {
        return where;
    }

    /** A Redis URL fit for a message or a log: any {@code user:password@} replaced by {@code ***@}. */
    public static String redacted(String uri) {
        return uri == null ? null : uri.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@", "$1***@");
    }

    /** Whether the last command reached Redis. */
    public boolean available() {
        return available;
    }

    /** Commands that failed because Redis did not answer, since start. */
    public long failures() {
        return failures.get();
    }

    /** Runs after Redis answers again, on the watcher's thread, to push what was decided locally meanwhile. */
    public void onReturn(Runnable hook) {
        onReturn.add(hook);
    }

    /** Runs one command; {@code whenDown} when Redis does not answer (or is not yet connected). */
    public <T> T call(Function<RedisCommands<String, byte[]>, T> command, T whenDown) {
        try {
            RedisCommands<String, byte[]> c = commands();
            if (c == null) {
                failures.incrementAndGet();
                return whenDown;
            }
            T result = command.apply(c);
            mark(true, null);
            return result;
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            mark(false, e);
            return whenDown;
        }
    }

    /**
     * Sends one command without waiting for its answer, for what a request need not wait on (giving a
     * lease back): a failure is counted, never raised, and Redis's own expiry cleans up after it.
     */
    public void send(Function<io.lettuce.core.api.async.RedisAsyncCommands<String, byte[]>, io.lettuce.core.RedisFuture<?>> command) {
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c == null) {
            failures.incrementAndGet();
            return;
        }
        try {
            command.apply(c.async()).whenComplete((ok, error) -> {
                if (error != null) {
                    failures.incrementAndGet();
                }
            });
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            mark(false, e);
        }
    }

    /** A connection for subscribing (lettuce subscribes again by itself after a reconnect); null while Redis is away. */
    public StatefulRedisPubSubConnection<String, byte[]> pubSub() {
        try {
            return client.connectPubSub(CODEC);
        } catch (RuntimeException e) {
            mark(false, e);
            return null;
        }
    }

    /** The connection, or null before one was made: requests never wait for a connect, the watcher makes it. */
    private RedisCommands<String, byte[]> commands() {
        StatefulRedisConnection<String, byte[]> c = connection;
        return c == null ? null : c.sync();
    }

    private synchronized void connect() {
        if (connection == null && !closed) {
            try {
                connection = client.connect(CODEC);
            } catch (RuntimeException e) {
                mark(false, e);
            }
        }
    }

    private void mark(boolean up, RuntimeException why) {
        boolean was = available;
        available = up;
        if (!up && was) {
            outages.incrementAndGet();
            LOG.warn("Redis at {} stopped answering ({}); serving with this gateway's own state until it returns",
                    where, why == null ? "?" : why.getMessage());
        }
    }

    private void watch() {
        long reconciled = 0;
        while (!closed) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (!available) {
                connect(); // lettuce reconnects a connection it made; the first one is made here
                call(c -> c.ping(), null);
            }
            long gone = outages.get();
            if (available && gone > reconciled) {
                reconciled = gone;
                LOG.info("Redis at {} is answering; reconciling this gateway's state with it", where);
                for (Runnable hook : onReturn) {
                    try {
                        hook.run();
                    } catch (RuntimeException e) {
                        LOG.warn("reconciling with Redis failed: {}", e.toString());
                    }
                }
            }
        }
    }

    /** Whether Redis answers, and commands it failed. */
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("hearth.redis.available", this, l -> l.available ? 1 : 0)
                .description("1 while the shared Redis answers; 0 while each gateway serves with its own state.").register(registry);
        FunctionCounter.builder("hearth.redis.failures", failures, AtomicLong::get)
                .description("Commands to the shared Redis that failed and were answered locally.").register(registry);
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
        StatefulRedisConnection<String, byte[]> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
