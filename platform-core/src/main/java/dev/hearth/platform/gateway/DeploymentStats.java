package dev.hearth.platform.gateway;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one deployment's traffic came to at the gateway: requests, prediction-cache hits and
 * misses, time to first byte and end-to-end latency, and requests in each of the last 60 seconds
 * for a current rate.
 */
public final class DeploymentStats {
    private final LongAdder requests = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final LatencyHistogram firstByte = new LatencyHistogram();
    private final LatencyHistogram endToEnd = new LatencyHistogram();
    private final AtomicLongArray perSecond = new AtomicLongArray(60);
    private final AtomicLongArray secondOf = new AtomicLongArray(60);

    void request(long nowMillis) {
        requests.increment();
        long second = nowMillis / 1_000;
        int slot = (int) (second % 60);
        if (secondOf.getAndSet(slot, second) != second) {
            perSecond.set(slot, 0);
        }
        perSecond.incrementAndGet(slot);
    }

    void cache(boolean hit) {
        (hit ? cacheHits : cacheMisses).increment();
    }

    void firstByte(long nanos) {
        firstByte.record(nanos);
    }

    void done(long nanos) {
        endToEnd.record(nanos);
    }

    /** Requests a second over the last minute. */
    public double rate(long nowMillis) {
        long now = nowMillis / 1_000;
        long n = 0;
        for (int i = 0; i < 60; i++) {
            if (now - secondOf.get(i) < 60) {
                n += perSecond.get(i);
            }
        }
        return n / 60.0;
    }

    /** Everything as the control API and the MCP tools report it. */
    public Map<String, Object> snapshot(long nowMillis) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("requests", requests.sum());
        out.put("requests_per_second", Math.round(rate(nowMillis) * 1000) / 1000.0);
        out.put("time_to_first_byte_ms", percentiles(firstByte));
        out.put("end_to_end_ms", percentiles(endToEnd));
        long hits = cacheHits.sum();
        long misses = cacheMisses.sum();
        out.put("prediction_cache", Map.of("hits", hits, "misses", misses,
                "hit_ratio", hits + misses == 0 ? 0.0 : (double) hits / (hits + misses)));
        return out;
    }

    /** The running totals as they stand: two of them, taken apart in time, give that interval's figures. */
    public record Totals(long requests, long cacheHits, long cacheMisses, long[] firstByteBuckets) {}

    public Totals totals() {
        return new Totals(requests.sum(), cacheHits.sum(), cacheMisses.sum(), firstByte.buckets());
    }

    private static Map<String, Object> percentiles(LatencyHistogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", h.count());
        p.put("p50", round(h.percentileMillis(0.50)));
        p.put("p90", round(h.percentileMillis(0.90)));
        p.put("p99", round(h.percentileMillis(0.99)));
        return p;
    }

    private static double round(double ms) {
        return Math.round(ms * 100) / 100.0;
    }
}
