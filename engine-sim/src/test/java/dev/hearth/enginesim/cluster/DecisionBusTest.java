package dev.hearth.enginesim.cluster;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.router.Router;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bus delivers in batches: a decision is published on the first tick after it was made and
 * arrives the delivery delay later, never earlier, to every gateway but its publisher.
 */
class DecisionBusTest {
    private static final long[] PROMPT = {11, 12, 13, 14};

    static Router router() {
        Router r = Router.withDefaults();
        r.addReplica("r0", 1000);
        r.addReplica("r1", 1000);
        return r;
    }

    static int indexed(Router r, String replica) {
        return r.replicas(0).stream().filter(i -> i.id().equals(replica)).findFirst().orElseThrow().indexedBlocks();
    }

    @Test
    void nothingArrivesBeforeTheBatchTickPlusTheDelayAndEverythingAfter() {
        Router a = router();
        Router b = router();
        Router c = router();
        DecisionBus bus = new DecisionBus(new DecisionBus.Settings(50, 1), List.of(a, b, c));
        bus.publish(0, "r0", new long[] {1}, 1, 0);
        bus.publish(0, "r0", new long[] {2}, 1, 10);
        bus.publish(0, "r1", PROMPT, 3, 49); // only the first 3 blocks were placed
        bus.publish(1, "r1", new long[] {7}, 1, 20);

        bus.deliverUntil(50);
        assertEquals(0, indexed(b, "r0") + indexed(b, "r1") + indexed(c, "r0") + indexed(a, "r1"), "the tick at 50 is not yet delivered");
        bus.deliverUntil(51);
        assertEquals(2, indexed(b, "r0"));
        assertEquals(3 + 1, indexed(c, "r1"), "both publishers' batches of that tick arrive");
        assertEquals(3, indexed(b, "r1"), "b hears a's decisions, not its own");
        assertEquals(0, indexed(a, "r0"), "a publisher does not hear itself");
        assertEquals(1, indexed(a, "r1"), "a hears b");
        assertEquals(2, bus.batches(), "one batch per publisher per tick");

        bus.publish(0, "r0", new long[] {9}, 1, 50); // made on the tick: published on the next one
        bus.deliverUntil(100);
        assertEquals(2, indexed(b, "r0"));
        bus.deliverUntil(101);
        assertEquals(3, indexed(b, "r0"));
        assertEquals(3, bus.batches());
        assertEquals(5, bus.decisions());
    }

    @Test
    void aZeroIntervalPublishesAtOnceAndTheDelayStillHolds() {
        Router a = router();
        Router b = router();
        DecisionBus bus = new DecisionBus(new DecisionBus.Settings(0, 5), List.of(a, b));
        bus.publish(0, "r0", PROMPT, 4, 33);
        bus.deliverUntil(37);
        assertEquals(0, indexed(b, "r0"));
        bus.deliverUntil(38);
        assertEquals(4, indexed(b, "r0"));
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DecisionBus.Settings(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new DecisionBus.Settings(50, -1));
    }
}
