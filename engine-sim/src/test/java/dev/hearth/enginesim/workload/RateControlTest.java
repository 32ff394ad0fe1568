package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateControlTest {
    /** Requests one second apart, with sessions, as a recorded trace would give them. */
    static Workload everySecond(int n) {
        return new Workload() {
            public String name() {
                return "every-second";
            }

            public Map<String, Object> parameters() {
                return Map.of("requests", n);
            }

            public int size() {
                return n;
            }

            public Iterator<WorkloadRequest> requests() {
                List<WorkloadRequest> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    out.add(new WorkloadRequest(i, "q" + i, new int[] {1000 + i}, 1, "s" + (i % 3)));
                }
                return out.iterator();
            }
        };
    }

    static List<WorkloadRequest> all(Workload w) {
        List<WorkloadRequest> out = new ArrayList<>();
        w.requests().forEachRemaining(out::add);
        return out;
    }

    @Test
    void scalingCompressesTheRecordedTimingAndKeepsEverythingElse() {
        List<WorkloadRequest> r = all(RateControl.scaled(4).apply(everySecond(9)));
        assertEquals(2.0, r.get(8).arrival(), 1e-12);
        assertEquals("q8", r.get(8).id());
        assertEquals("s2", r.get(8).sessionKey());
        assertEquals(1.0, all(RateControl.scaled(2).times(2).apply(everySecond(5))).get(4).arrival(), 1e-12);
        assertEquals("recorded timing x4.00", RateControl.scaled(4).describe());
    }

    @Test
    void aFixedRateDrawsPoissonArrivalsInOrder() {
        List<WorkloadRequest> r = all(RateControl.fixed(5, 1).apply(everySecond(20_000)));
        for (int i = 1; i < r.size(); i++) {
            assertTrue(r.get(i).arrival() > r.get(i - 1).arrival());
        }
        assertEquals(5, r.size() / r.get(r.size() - 1).arrival(), 0.15, "mean rate");
        assertEquals(r.stream().map(WorkloadRequest::arrival).toList(), all(RateControl.fixed(5, 1).apply(everySecond(20_000)))
                .stream().map(WorkloadRequest::arrival).toList(), "the same seed, the same arrivals");
        assertEquals(10, 1_000 / all(RateControl.fixed(5, 1).times(2).apply(everySecond(1_000))).get(999).arrival(), 0.8);
    }

    @Test
    void badRatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RateControl.scaled(0));
        assertThrows(IllegalArgumentException.class, () -> RateControl.fixed(-1, 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RateControl.scaled(Double.NaN)).getMessage()
                .contains("--rate-scale"));
        assertEquals(3, RateControlTest.all(everySecond(10).first(3)).size());
    }
}
