package dev.hearth.enginesim.workload;

import java.util.SplittableRandom;

/**
 * Arrival times of a Poisson process: the first request at 0, then exponential gaps of mean
 * 1/rate from a seeded generator, as vLLM's benchmark_serving.py draws them with burstiness 1.
 */
final class PoissonArrivals {
    private final SplittableRandom random;
    private final double rate;
    private double now = -1;

    PoissonArrivals(long seed, double rate) {
        this.random = Synthetic.random(seed, Synthetic.ARRIVALS);
        this.rate = rate;
    }

    double next() {
        now = now < 0 ? 0 : now + Synthetic.exponential(random, 1 / rate);
        return now;
    }
}
