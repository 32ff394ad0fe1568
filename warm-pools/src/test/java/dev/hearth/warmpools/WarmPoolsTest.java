package dev.hearth.warmpools;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The pools in simulated time: warm take-over, spill-over pre-warming, failover, draining, placeholders. */
class WarmPoolsTest {
    private static final long WEIGHTS = 16_060_000_000L; // Llama-3.1-8B in BF16
    private final SimulatedClock clock = new SimulatedClock(0);
    private final TimingModel timings = new PublishedTimings();
    private final SimulatedProvider provider = SimulatedProvider.timed(timings);
    private final WarmPools pools = new WarmPools(clock, Map.of("sim", provider),
            new WarmPools.Settings(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(20)));

    private static NodePool pool(String name, int priority, int max, int warm) {
        return new NodePool(name, "sim", "g6e.xlarge", "L40S", 1, 0, max, priority, warm, 0.8);
    }

    /** Advances simulated time second by second, ticking the pools. */
    private void run(long seconds) {
        for (long s = 0; s < seconds; s++) {
            clock.advance(1_000);
            pools.tick();
        }
    }

    /** Seconds until the replica serves: its node must be up, then it pulls, downloads and loads (cold) or loads (warm). */
    private long secondsToServe(String replica, List<String> poolNames) throws Exception {
        long t0 = clock.millis();
        WarmPools.Lease lease = pools.acquire(replica, poolNames);
        ColdStart start = timings.coldStart(pools.pool(lease.pool()), WEIGHTS);
        if (lease.warm()) {
            assertTrue(pools.ready(replica), "a warm node is the replica's at once");
            return start.warmMs() / 1000;
        }
        while (!pools.ready(replica)) {
            run(1);
        }
        return (clock.millis() - t0 + start.pullMs() + start.downloadMs() + start.loadMs()) / 1000;
    }

    @Test
    void aReplicaOnAWarmNodeServesInTheTimeOfLoadingAloneAndOnANewNodeAfterProvisioningToo() throws Exception {
        pools.put(pool("gpu", 0, 8, 1));
        run(120); // the warm node comes up
        assertEquals(1, pools.countByState("gpu").get(NodeState.WARM));
        ColdStart start = timings.coldStart(pools.pool("gpu"), WEIGHTS);
        assertEquals(start.cachedLoadMs() / 1000, secondsToServe("r0", List.of("gpu")));
        assertEquals(18, start.cachedLoadMs() / 1000, "16 GB from the node's cache, as Tensorfuse measured");
        long cold = secondsToServe("r1", List.of("gpu")); // the warm node is taken: this one waits for a node
        assertEquals(start.coldMs() / 1000, cold, 1);
        assertEquals(454, cold, 1, "90 s node + 270 s image + 61 s download + 33 s load");
        assertTrue(cold >= 20 * (start.warmMs() / 1000), "cold " + cold + " s against warm " + start.warmMs() / 1000 + " s");
        run(120);
        assertEquals(1, pools.countByState("gpu").get(NodeState.WARM), "the taken warm node is replaced");
    }

    @Test
    void theSpillOverPoolIsWarmBeforeThePrimaryOverflows() throws Exception {
        pools.put(pool("primary", 0, 10, 0));
        pools.put(pool("secondary", 1, 10, 0));
        List<String> both = List.of("primary", "secondary");
        // Rising load: a replica a minute, until one lands on the secondary pool.
        int i = 0;
        WarmPools.Lease overflow;
        while ((overflow = pools.acquire("r" + i, both)).pool().equals("primary")) {
            if (i < 7) {
                assertEquals(0, pools.nodes("secondary").size(), "nothing is warmed below the spill-over share");
            }
            i++;
            run(60);
        }
        assertEquals(9, i, "8 of 10 passed the 0.8 share; the 9th replica still found no warm node up next door");
        assertTrue(overflow.warm(), "the first replica to overflow finds a warm node: no provisioning wait");
        assertTrue(pools.events(100).stream().anyMatch(e -> e.reason().equals("PreWarming")));
        assertTrue(pools.nodes("primary").size() < 10, "warm before the primary was even full");
        // Load falls: the extra warm nodes go after the cool-down, not before.
        for (int r = 0; r <= i; r++) {
            pools.release("r" + r);
        }
        run(60);
        assertTrue(pools.countByState("secondary").get(NodeState.WARM) > 0, "kept through the cool-down");
        run(11 * 60);
        assertEquals(0, pools.nodes("secondary").size());
        assertEquals(0, pools.nodes("primary").size());
    }

    @Test
    void aPoolThatCannotProvideFailsOverToTheNextWithAnEvent() throws Exception {
        pools.put(pool("primary", 0, 10, 0));
        pools.put(pool("secondary", 1, 10, 0));
        List<String> both = List.of("primary", "secondary");
        WarmPools.Lease first = pools.acquire("r0", both);
        assertEquals("primary", first.pool());
        provider.fail(first.node()); // the node never comes up
        provider.refuse("primary", "InsufficientInstanceCapacity: no L40S in us-east-1a");
        run(1);
        WarmPools.Lease moved = pools.lease("r0");
        assertEquals("secondary", moved.pool(), "the waiting replica moved to the next pool");
        assertEquals("secondary", pools.acquire("r1", both).pool(), "new replicas go there too");
        assertTrue(pools.failovers("primary") >= 1);
        Set<String> reasons = pools.events(100).stream().map(PoolEvent::reason).collect(Collectors.toSet());
        assertTrue(reasons.containsAll(Set.of("PoolUnavailable", "ReplicaMoved", "SpilledOver")), reasons.toString());
        run(100);
        assertTrue(pools.ready("r0") && pools.ready("r1"));
        // The primary provides again after its back-off.
        provider.refuse("primary", null);
        run(5 * 60 + 11 * 60); // its back-off, then the cool-down of the warm nodes its outage put next door
        assertEquals("primary", pools.acquire("r2", both).pool());
    }

    @Test
    void aDrainingNodeIsNeitherTakenNorTerminatedUntilItsReplicaLeaves() throws Exception {
        pools.put(pool("gpu", 0, 2, 1));
        run(120);
        assertTrue(pools.acquire("r0", List.of("gpu")).warm());
        pools.draining("r0");
        run(120);
        String node = pools.lease("r0").node();
        assertEquals(NodeState.DRAINING, pools.nodes("gpu").stream().filter(n -> n.id().equals(node)).findFirst()
                .orElseThrow().state());
        WarmPools.Lease other = pools.acquire("r1", List.of("gpu"));
        assertNotEquals(node, other.node(), "a draining node is not handed out");
        pools.release("r0");
        run(1);
        assertEquals(NodeState.WARM, pools.nodes("gpu").stream().filter(n -> n.id().equals(node)).findFirst()
                .orElseThrow().state(), "back to warm capacity: the pool wants one warm node");
    }

    /** Random acquire, release and time: no replica ever waits for a new node while a warm one sits in its pools. */
    @Test
    void placeholdersNeverHoldANodeAWaitingReplicaCouldHave() throws Exception {
        pools.put(pool("a", 0, 6, 2));
        pools.put(pool("b", 1, 6, 1));
        Random random = new Random(7);
        List<String> live = new ArrayList<>();
        for (int step = 0; step < 2_000; step++) {
            int dice = random.nextInt(10);
            if (dice < 3) {
                try {
                    String r = "r" + step;
                    pools.acquire(r, random.nextBoolean() ? List.of("a", "b") : List.of("b"));
                    live.add(r);
                } catch (CapacityException full) {
                    // both pools at max_nodes: fine
                }
            } else if (dice < 5 && !live.isEmpty()) {
                pools.release(live.remove(random.nextInt(live.size())));
            } else {
                run(1 + random.nextInt(60));
            }
            for (String r : live) {
                WarmPools.Lease l = pools.lease(r);
                if (!pools.ready(r)) {
                    for (String p : l.pools()) {
                        assertEquals(0, pools.countByState(p).get(NodeState.WARM), "step " + step + ": " + r
                                + " waits while " + p + " has a warm node");
                    }
                }
            }
            Set<String> warm = new java.util.HashSet<>();
            for (String p : List.of("a", "b")) {
                pools.nodes(p).stream().filter(n -> n.state() == NodeState.WARM).forEach(n -> warm.add(n.id()));
            }
            assertEquals(warm, provider.placeholders(), "placeholders hold exactly the warm nodes");
        }
    }

    @Test
    void badPoolsAreRefusedWithTheFix() {
        var e = assertThrows(IllegalArgumentException.class, () -> new NodePool("gpu", "sim", "t", "L4", 1, 5, 2, 0, 0, 0.8));
        assertTrue(e.getMessage().contains("min_nodes <= max_nodes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NodePool("Bad Name", "sim", "t", "L4", 1, 0, 2, 0, 0, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new NodePool("gpu", "sim", "t", "L4", 1, 0, 2, 0, 3, 0.8));
        assertThrows(IllegalArgumentException.class, () -> new NodePool("gpu", "sim", "t", "L4", 1, 0, 2, 0, 0, 1.5));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> pools.put(new NodePool("gpu", "aws", "t", "L4", 1, 0,
                2, 0, 0, 0.8))).getMessage().contains("unknown provider 'aws'"));
        assertThrows(IllegalArgumentException.class, () -> pools.acquire("r", List.of("nope")));
    }
}
