package dev.hearth.platform.gateway;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Latencies in logarithmic buckets (about 5% wide, from 10 us to about 20 min), recorded without
 * locks; percentiles are read as the upper edge of the bucket they fall in, so they err by at most
 * one bucket's width. The same idea as Prometheus' exponential histograms and HdrHistogram, small
 * enough to keep one per deployment.
 */
public final class LatencyHistogram {
    private static final double GROWTH = 1.05;
    private static final double FIRST_MICROS = 10;
    private static final int BUCKETS = 380;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long nanos) {
        double micros = Math.max(FIRST_MICROS, nanos / 1_000.0);
        int i = (int) Math.min(BUCKETS - 1, Math.floor(Math.log(micros / FIRST_MICROS) / Math.log(GROWTH)));
        counts.incrementAndGet(i);
    }

    public long count() {
        long n = 0;
        for (int i = 0; i < BUCKETS; i++) {
            n += counts.get(i);
        }
        return n;
    }

    /** The {@code q} quantile (0..1) in milliseconds; 0 when nothing was recorded. */
    public double percentileMillis(double q) {
        return percentileMillis(buckets(), q);
    }

    /** Each bucket's count as it stands now; one copy minus an earlier one holds what was recorded between them. */
    public long[] buckets() {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }

    /** The {@code q} quantile (0..1) in milliseconds of bucket counts from {@link #buckets}; 0 when they are empty. */
    public static double percentileMillis(long[] buckets, double q) {
        long total = 0;
        for (long n : buckets) {
            total += n;
        }
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += buckets[i];
            if (seen >= Math.max(1, rank)) {
                return FIRST_MICROS * Math.pow(GROWTH, i + 1) / 1_000.0;
            }
        }
        return FIRST_MICROS * Math.pow(GROWTH, BUCKETS) / 1_000.0;
    }
}
