package dev.hearth.warmpools;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.warmpools.sim.BurstScenario;
import org.junit.jupiter.api.Test;

/** The burst, in simulated time: warm nodes reach capacity sooner, queue less and reject nothing. */
class BurstScenarioTest {

    @Test
    void warmNodesReachCapacityFasterWithNothingRejected() {
        BurstScenario.Result cold = BurstScenario.run(BurstScenario.Params.standard(0));
        BurstScenario.Result warm = BurstScenario.run(BurstScenario.Params.standard(5));
        assertTrue(warm.timeToCapacitySeconds() > 0 && cold.timeToCapacitySeconds() > warm.timeToCapacitySeconds());
        assertTrue(cold.timeToCapacitySeconds() >= cold.coldStart().coldMs() / 1000,
                "without warm nodes, capacity waits for a whole cold start");
        assertEquals(0, warm.rejected());
        assertTrue(cold.rejected() > 0);
        assertEquals(0.0, cold.warmNodeHours());
        assertTrue(warm.warmNodeHours() > 0, "warm capacity is paid for");
        assertEquals(warm.served() + warm.rejected(), cold.served() + cold.rejected(), 200,
                "the same arrivals in both runs (in flight at the end aside)");
    }
}
