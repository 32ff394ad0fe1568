package dev.hearth.cli.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Settings refused before anything starts, each with the flag and the value. */
class ProxyBenchSettingsTest {

    private static String refused(int replicas, int concurrency, int requests, int warmup) {
        return assertThrows(IllegalArgumentException.class,
                () -> new ProxyBench.Settings(replicas, concurrency, requests, warmup, false, "cost")).getMessage();
    }

    @Test
    void outOfRangeValuesAreRefusedByName() {
        assertEquals("--replicas must be between 1 and 64, was 0", refused(0, 32, 5000, 1000));
        assertEquals("--replicas must be between 1 and 64, was 65", refused(65, 32, 5000, 1000));
        assertEquals("--concurrency must be between 1 and 1024, was 0", refused(2, 0, 5000, 1000));
        assertEquals("--concurrency must be between 1 and 1024, was 1025", refused(2, 1025, 5000, 1000));
        assertEquals("--requests must be at least 1, was -1", refused(2, 32, -1, 1000));
        assertEquals("--warmup must be 0 or more, was -5", refused(2, 32, 5000, -5));
        assertDoesNotThrow(() -> new ProxyBench.Settings(1, 1, 1, 0, true, "round-robin"));
    }
}
