package dev.hearth.enginesim.workload;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Zipf's law over ranks 0..n-1: rank r is drawn with probability proportional to 1/(r+1)^s, by
 * inverse CDF over the precomputed cumulative weights (a binary search per draw). Exponent 0 is the
 * uniform distribution. Draws come from the caller's seeded stream, so they repeat with it.
 */
final class Zipf {
    private final double[] cumulative; // cumulative[r] = weight of ranks 0..r
    private final double exponent;

    Zipf(int n, double exponent) {
        if (n < 1 || !(exponent >= 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("Zipf needs n >= 1 and a finite exponent >= 0, was n=" + n + " s=" + exponent);
        }
        this.exponent = exponent;
        this.cumulative = new double[n];
        double sum = 0;
        for (int r = 0; r < n; r++) {
            sum += weight(r);
            cumulative[r] = sum;
        }
    }

    int size() {
        return cumulative.length;
    }

    /** The probability of rank {@code r}. */
    double probability(int r) {
        return weight(r) / cumulative[cumulative.length - 1];
    }

    int sample(SplittableRandom rng) {
        return rankAt(rng.nextDouble() * cumulative[cumulative.length - 1]);
    }

    /**
     * {@code k} distinct ranks, in the order drawn: each draw is from the ranks not yet drawn, with
     * their Zipf weights (sampling without replacement, as a retriever returns k different documents).
     */
    int[] sampleDistinct(SplittableRandom rng, int k) {
        if (k < 0 || k > cumulative.length) {
            throw new IllegalArgumentException("cannot draw " + k + " distinct ranks of " + cumulative.length);
        }
        int[] drawn = new int[k];
        int[] sorted = new int[k]; // the ranks drawn so far, ascending
        double removed = 0;
        for (int i = 0; i < k; i++) {
            // A point on the line of the remaining weight, moved past every removed interval before it.
            double t = rng.nextDouble() * (cumulative[cumulative.length - 1] - removed);
            for (int j = 0; j < i; j++) {
                if (t >= start(sorted[j])) {
                    t += weight(sorted[j]);
                } else {
                    break;
                }
            }
            int r = rankAt(t);
            while (Arrays.binarySearch(sorted, 0, i, r) >= 0) { // rounding at an interval's edge: the next free rank
                r = (r + 1) % cumulative.length;
            }
            drawn[i] = r;
            int at = -Arrays.binarySearch(sorted, 0, i, r) - 1;
            System.arraycopy(sorted, at, sorted, at + 1, i - at);
            sorted[at] = r;
            removed += weight(r);
        }
        return drawn;
    }

    private double weight(int r) {
        return exponent == 0 ? 1.0 : Math.pow(r + 1.0, -exponent);
    }

    private double start(int r) {
        return r == 0 ? 0 : cumulative[r - 1];
    }

    /** The first rank whose cumulative weight exceeds {@code t}. */
    private int rankAt(double t) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
