package dev.hearth.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The benchmark's workload at a small size: every request finishes and simulated time passes. */
class EngineReplayBenchmarkTest {
    @Test
    void aSmallReplayFinishesEveryRequest() {
        double simulated = EngineReplayBenchmark.replay(300, 8_000);
        // 300 Poisson arrivals at 30/s span about 10 simulated seconds; the engine keeps up.
        assertTrue(simulated > 5 && simulated < 60, "simulated " + simulated + " s");
    }

    @Test
    void theWorkloadIsSeededAndSharesHalfOfEachPrompt() {
        var a = new SharedPrefixWorkload(10, 100, 4, 1, 1.0, 7, o -> { });
        var b = new SharedPrefixWorkload(10, 100, 4, 1, 1.0, 7, o -> { });
        int[] pa = a.next().prompt();
        int[] pb = b.next().prompt();
        assertArrayEquals(pa, pb, "same seed, same prompts");
        int[] second = a.next().prompt();
        assertArrayEquals(java.util.Arrays.copyOf(pa, 50), java.util.Arrays.copyOf(second, 50), "one group: shared half");
        assertFalse(java.util.Arrays.equals(pa, second));
    }
}
