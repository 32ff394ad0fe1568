package dev.hearth.enginesim.bench;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.cluster.ClusterSimulator;
import dev.hearth.enginesim.cluster.DecisionBus;
import dev.hearth.enginesim.cluster.VirtualClock;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.workload.MooncakeTrace;
import dev.hearth.enginesim.workload.TraceWorkload;
import dev.hearth.enginesim.workload.Workload;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One gateway is the plain cluster simulator, whatever the sharing: a bus with no other gateway and
 * a session store with no other reader change nothing. And the plan lists the setups in the report's order, the control with KV events last.
 */
class GatewayComparisonTest {
    private static final ClusterShape SHAPE = new ClusterShape(4, Profiles.H100_LLAMA3_8B,
            new EngineLimits(16, 27_000, 131_072, 256, 8_192));

    static List<ClusterSimulator.Completion> plain(Contender c, Workload w) {
        VirtualClock clock = new VirtualClock();
        return new ClusterSimulator(SHAPE.engines(), c.router(clock, 42), c.sessions(), clock).run(w.requests());
    }

    static List<ClusterSimulator.Completion> fleet(Contender c, GatewaySetup setup, Workload w) {
        VirtualClock clock = new VirtualClock();
        return new ClusterSimulator(SHAPE.engines(), setup.fleet(c, clock, 42, DecisionBus.Settings.defaults()), c.sessions(), clock)
                .run(w.requests());
    }

    @Test
    void oneGatewayIsThePlainSimulatorExactly() throws Exception {
        Workload trace = new TraceWorkload("mooncake", MooncakeTrace.read(
                Path.of("../../shared/traces/mooncake_conversation_trace.jsonl.gz"), MooncakeTrace.MOONCAKE_BLOCK_SIZE), 300);
        for (Contender c : List.of(Contender.hearth(), Contender.named(List.of("cost")).get(0))) {
            List<ClusterSimulator.Completion> plain = plain(c, trace);
            assertEquals(300, plain.size());
            assertEquals(plain, fleet(c, new GatewaySetup(1, true, false), trace), c.name() + " with KV events");
            assertEquals(plain, fleet(c, new GatewaySetup(1, true, true), trace), c.name() + ", a bus with no one to hear it");
            List<ClusterSimulator.Completion> approximate = fleet(c, GatewaySetup.ONE_WITHOUT_EVENTS, trace);
            assertEquals(approximate, fleet(c, new GatewaySetup(1, false, true), trace), c.name() + " without events");
            assertNotEquals(plain, approximate, "without events the router learns otherwise");
        }
    }

    @Test
    void thePlanStartsWithOneGatewayAndListsUnsharedBeforeShared() {
        assertEquals(List.of(new GatewaySetup(1, true, false), GatewaySetup.ONE_WITHOUT_EVENTS, new GatewaySetup(2, false, false),
                        new GatewaySetup(4, false, false), new GatewaySetup(2, false, true), new GatewaySetup(4, false, true),
                        new GatewaySetup(2, true, false), new GatewaySetup(4, true, false)),
                GatewaySetup.plan(new ArrayList<>(List.of(4, 1, 2, 2))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GatewaySetup.plan(List.of(2, 65)));
        assertEquals("--gateways takes counts between 1 and 64, was 65", e.getMessage());
    }
}
