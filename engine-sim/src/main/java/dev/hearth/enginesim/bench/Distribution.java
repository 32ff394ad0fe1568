package dev.hearth.enginesim.bench;

import java.util.Arrays;

/**
 * A latency sample summarised: mean, and the nearest-rank percentile at every whole percent
 * (index 50 is the median, 99 the p99, 100 the maximum), enough to draw its distribution.
 */
public record Distribution(double mean, double[] percentiles) {
    public static Distribution of(double[] values) {
        if (values.length == 0) {
            return new Distribution(0, new double[101]);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] p = new double[101];
        for (int q = 0; q <= 100; q++) {
            int rank = (int) Math.ceil(q / 100.0 * sorted.length); // nearest rank: the smallest value with q% at or below it
            p[q] = sorted[Math.max(0, rank - 1)];
        }
        return new Distribution(Arrays.stream(sorted).average().orElse(0), p);
    }

    public double p50() {
        return percentiles[50];
    }

    public double p99() {
        return percentiles[99];
    }

    public double max() {
        return percentiles[100];
    }
}
