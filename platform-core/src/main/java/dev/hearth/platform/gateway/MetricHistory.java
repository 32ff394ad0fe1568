package dev.hearth.platform.gateway;

import dev.hearth.router.Router;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Each served deployment's traffic over the last minutes, so the dashboard's charts have a past the
 * moment a page opens. Every {@code interval} it reads each deployment's running totals
 * ({@link DeploymentStats#totals}, {@link Router#routedBlocks}) and keeps what changed since the
 * previous sample: each point holds that interval's requests, prediction-cache hit ratio,
 * router-estimated prefix-cache hit ratio and time-to-first-byte percentiles, not figures since the
 * start. Percentiles come from the difference of two histogram copies, as Prometheus'
 * {@code histogram_quantile(rate(...))} takes them. A ring per deployment keeps {@code keep}'s worth.
 */
public final class MetricHistory implements AutoCloseable {
    /**
     * One interval of one deployment; a ratio or percentile is null when the interval had nothing
     * to take it over (no lookups, no routed blocks, no first byte).
     */
    public record Sample(long time, long requests, double requestsPerSecond, long cacheLookups, Double cacheHitRatio,
                         long promptBlocks, Double prefixHitRatioEstimated, long firstBytes, Double firstByteP50Ms,
                         Double firstByteP99Ms) {}

    /** The totals a deployment's next sample is taken against; a group replaced under the same name starts again. */
    private record Baseline(ReplicaGroup group, DeploymentStats.Totals totals, Router.RoutedBlocks blocks, long time) {}

    private static final DeploymentStats.Totals NOTHING = new DeploymentStats.Totals(0, 0, 0, new long[0]);

    private final ReplicaGroups groups;
    private final LongSupplier clock;
    private final Duration interval;
    private final Duration keep;
    private final int capacity;
    private final Map<String, Baseline> baselines = new HashMap<>();
    private final Map<String, ArrayDeque<Sample>> samples = new HashMap<>();
    private long lastTick;
    private Thread sampler;
    private volatile boolean closed;

    /** @param clock epoch milliseconds; {@code keep} over {@code interval} samples are kept per deployment */
    public MetricHistory(ReplicaGroups groups, LongSupplier clock, Duration interval, Duration keep) {
        if (interval.toMillis() < 1 || keep.compareTo(interval) < 0) {
            throw new IllegalArgumentException("interval must be positive and keep at least one interval");
        }
        this.groups = groups;
        this.clock = clock;
        this.interval = interval;
        this.keep = keep;
        this.capacity = (int) (keep.toMillis() / interval.toMillis());
        this.lastTick = clock.getAsLong();
    }

    /** Samples every interval on a virtual thread until closed. */
    public synchronized MetricHistory start() {
        if (sampler == null) {
            sampler = Thread.ofVirtual().name("metric-history").start(() -> {
                while (!closed) {
                    try {
                        Thread.sleep(interval);
                    } catch (InterruptedException e) {
                        return;
                    }
                    sample();
                }
            });
        }
        return this;
    }

    public Duration interval() {
        return interval;
    }

    public Duration keep() {
        return keep;
    }

    /**
     * Takes one sample of every deployment served now. A deployment seen for the first time is taken
     * against zero totals from the previous tick: its counters started at zero when its group was made.
     */
    public synchronized void sample() {
        long now = clock.getAsLong();
        Map<String, ReplicaGroup> served = new HashMap<>();
        for (ReplicaGroup g : groups.all()) {
            served.put(g.name(), g);
        }
        baselines.keySet().retainAll(served.keySet());
        samples.keySet().retainAll(served.keySet());
        for (ReplicaGroup g : served.values()) {
            Baseline before = baselines.get(g.name());
            if (before == null || before.group() != g) {
                before = new Baseline(g, NOTHING, new Router.RoutedBlocks(0, 0), lastTick);
                samples.remove(g.name());
            }
            Baseline after = new Baseline(g, g.stats().totals(), g.router().routedBlocks(), now);
            ArrayDeque<Sample> ring = samples.computeIfAbsent(g.name(), k -> new ArrayDeque<>());
            ring.addLast(between(before, after));
            while (ring.size() > capacity) {
                ring.removeFirst();
            }
            baselines.put(g.name(), after);
        }
        lastTick = now;
    }

    /** The deployment's samples, oldest first; empty when it is not served or not sampled yet. */
    public synchronized List<Sample> samples(String deployment) {
        ArrayDeque<Sample> ring = samples.get(deployment);
        return ring == null ? List.of() : List.copyOf(ring);
    }

    private static Sample between(Baseline before, Baseline after) {
        DeploymentStats.Totals a = before.totals();
        DeploymentStats.Totals b = after.totals();
        long requests = b.requests() - a.requests();
        double seconds = Math.max(1, after.time() - before.time()) / 1_000.0;
        long hits = b.cacheHits() - a.cacheHits();
        long lookups = hits + b.cacheMisses() - a.cacheMisses();
        long promptBlocks = after.blocks().prompt() - before.blocks().prompt();
        long cachedBlocks = after.blocks().cached() - before.blocks().cached();
        long[] firstBytes = b.firstByteBuckets().clone();
        for (int i = 0; i < a.firstByteBuckets().length; i++) {
            firstBytes[i] -= a.firstByteBuckets()[i];
        }
        long firstByteCount = 0;
        for (long n : firstBytes) {
            firstByteCount += n;
        }
        return new Sample(after.time(), requests, round(requests / seconds, 1_000), lookups,
                lookups == 0 ? null : round((double) hits / lookups, 1_000), promptBlocks,
                promptBlocks == 0 ? null : round((double) cachedBlocks / promptBlocks, 1_000), firstByteCount,
                firstByteCount == 0 ? null : round(LatencyHistogram.percentileMillis(firstBytes, 0.50), 100),
                firstByteCount == 0 ? null : round(LatencyHistogram.percentileMillis(firstBytes, 0.99), 100));
    }

    private static double round(double value, int scale) {
        return (double) Math.round(value * scale) / scale;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sampler != null) {
            sampler.interrupt();
        }
    }
}
