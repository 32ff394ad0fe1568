package dev.hearth.enginesim.cluster;

import dev.hearth.router.Router;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Carries each gateway's approximately learned decisions to the other gateways' routers, as the
 * gateways share them over Redis pub/sub in production: a publisher gathers its gateway's decisions
 * and publishes them on a fixed tick every {@code batchMillis} (a scheduled flush, so a decision
 * waits up to one interval), and each batch reaches the subscribers {@code deliveryMillis} after its
 * tick, where they apply it with {@link Router#learn}. In virtual time: a decision made at t is
 * delivered at the first tick after t plus the delay, never earlier; a zero interval publishes at once.
 */
public final class DecisionBus {
    /** How decisions travel: the publishing interval and the delivery delay, in milliseconds. */
    public record Settings(long batchMillis, long deliveryMillis) {
        public Settings {
            if (batchMillis < 0) {
                throw new IllegalArgumentException("--share-batch-ms must not be negative, was " + batchMillis);
            }
            if (deliveryMillis < 0) {
                throw new IllegalArgumentException("--share-delay-ms must not be negative, was " + deliveryMillis);
            }
        }

        /** The production publisher's: a batch every 50 ms, delivered 1 ms later (Redis on the same network). */
        public static Settings defaults() {
            return new Settings(50, 1);
        }
    }

    private record Pending(long deliverAt, long seq, int from, String replica, long[] blockHashes, int blocks) {}

    private final Settings settings;
    private final List<Router> subscribers;
    private final long[] lastTick;
    private final PriorityQueue<Pending> queue = new PriorityQueue<>((a, b) -> a.deliverAt != b.deliverAt
            ? Long.compare(a.deliverAt, b.deliverAt) : Long.compare(a.seq, b.seq));
    private long seq;
    private long decisions;
    private long batches;

    /** A bus between {@code subscribers}; gateway {@code g} publishes as {@code g} and hears everyone else. */
    public DecisionBus(Settings settings, List<Router> subscribers) {
        this.settings = settings;
        this.subscribers = List.copyOf(subscribers);
        this.lastTick = new long[subscribers.size()];
        java.util.Arrays.fill(lastTick, Long.MIN_VALUE);
    }

    /** Gateway {@code from} learned that {@code replica} now caches these blocks, at {@code nowMillis}. */
    public void publish(int from, String replica, long[] blockHashes, int blocks, long nowMillis) {
        long tick = settings.batchMillis() == 0 ? nowMillis : (Math.floorDiv(nowMillis, settings.batchMillis()) + 1) * settings.batchMillis();
        if (tick != lastTick[from]) {
            lastTick[from] = tick;
            batches++;
        }
        decisions++;
        queue.add(new Pending(tick + settings.deliveryMillis(), seq++, from, replica, blockHashes, blocks));
    }

    /** Applies, in order, every decision whose batch has arrived by {@code nowMillis}. */
    public void deliverUntil(long nowMillis) {
        while (!queue.isEmpty() && queue.peek().deliverAt() <= nowMillis) {
            Pending p = queue.poll();
            for (int g = 0; g < subscribers.size(); g++) {
                if (g != p.from()) {
                    subscribers.get(g).learn(p.replica(), p.blockHashes(), p.blocks(), p.deliverAt());
                }
            }
        }
    }

    /** Applies everything published, however recent. */
    public void flush() {
        deliverUntil(Long.MAX_VALUE);
    }

    public Settings settings() {
        return settings;
    }

    /** Decisions published so far. */
    public long decisions() {
        return decisions;
    }

    /** Batches published so far: what the gateways sent over Redis, one message per gateway per tick with decisions. */
    public long batches() {
        return batches;
    }
}
