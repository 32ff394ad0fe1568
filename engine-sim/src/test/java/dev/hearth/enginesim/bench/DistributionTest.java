package dev.hearth.enginesim.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DistributionTest {
    @Test
    void percentilesAreNearestRank() {
        double[] v = new double[200];
        for (int i = 0; i < v.length; i++) {
            v[i] = 200 - i; // 1..200, shuffled order does not matter
        }
        Distribution d = Distribution.of(v);
        assertEquals(100.5, d.mean(), 1e-12);
        assertEquals(100, d.p50(), "ceil(0.50 * 200) = rank 100");
        assertEquals(198, d.p99(), "ceil(0.99 * 200) = rank 198");
        assertEquals(200, d.max());
        assertEquals(1, d.percentiles()[0]);
        assertEquals(7, Distribution.of(new double[] {7}).p99());
        assertEquals(0, Distribution.of(new double[0]).p99());
    }

    @Test
    void axisTicksRoundUp() {
        assertEquals(0.1, SvgChart.niceCeiling(0.0715), 1e-12);
        assertEquals(25_000, SvgChart.niceCeiling(21_000), 1e-9);
        assertEquals(1, SvgChart.niceCeiling(0));
    }
}
