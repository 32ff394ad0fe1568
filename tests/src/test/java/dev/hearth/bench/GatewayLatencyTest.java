package dev.hearth.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The latency harness at a tiny size: it runs end to end and every figure is a real measurement. */
class GatewayLatencyTest {
    @Test
    void producesEveryFigure() throws Exception {
        GatewayLatency.Result r = new GatewayLatency().run(40, 1, 100);
        for (GatewayLatency.Figures f : new GatewayLatency.Figures[] {r.direct(), r.gateway(), r.directChunk(),
            r.gatewayChunk(), r.hit()}) {
            assertTrue(f.p50() > 0 && f.p99() >= f.p50(), f.toString());
        }
    }
}
