package dev.hearth.router.policy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PoliciesTest {
    private static final RouteRequest REQ = new RouteRequest(new long[100], 1_600, 16, "hello", null);

    private static ReplicaState r(int slot, int inFlight, int cached) {
        return new ReplicaState(slot, "replica-" + slot, inFlight, 0, 0.1, cached, 0, 0, 0);
    }

    @Test
    void roundRobinCyclesAndRandomCoversAll() {
        List<ReplicaState> rs = List.of(r(0, 0, 0), r(3, 0, 0), r(5, 0, 0));
        RoundRobin rr = new RoundRobin();
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            seen.add(rr.choose(REQ, rs).slot());
        }
        assertEquals(List.of(0, 3, 5, 0, 3, 5), seen);
        Set<Integer> random = new HashSet<>();
        RandomChoice rc = new RandomChoice(1);
        for (int i = 0; i < 100; i++) {
            random.add(rc.choose(REQ, rs).slot());
        }
        assertEquals(Set.of(0, 3, 5), random);
    }

    @Test
    void leastLoadAndPowerOfTwoPreferTheIdle() {
        List<ReplicaState> rs = List.of(r(0, 5, 0), r(1, 1, 0), r(2, 9, 0));
        assertEquals(1, new LeastLoad().choose(REQ, rs).slot());
        PowerOfTwo p2c = new PowerOfTwo(7);
        for (int i = 0; i < 50; i++) {
            assertNotEquals(2, p2c.choose(REQ, rs).slot(), "the busiest never wins a pair");
        }
    }

    @Test
    void costPrefersTheReplicaHoldingThePrefix() {
        CostPolicy cost = new CostPolicy();
        Decision d = cost.choose(REQ, List.of(r(0, 1, 0), r(1, 2, 90), r(2, 1, 10)));
        assertEquals(1, d.slot());
        assertEquals("prefix-hit blocks=90", d.reason());
        assertEquals("least-load", cost.choose(REQ, List.of(r(0, 3, 0), r(1, 1, 0))).reason());
    }

    @Test
    void everyNamedPolicyExistsAndUnknownNamesAreRefused() {
        for (String name : Policies.NAMES) {
            RoutingPolicy p = Policies.named(name, 1, () -> 0L);
            assertEquals(name, p.name());
            assertTrue(p.choose(REQ, List.of(r(0, 0, 0), r(1, 0, 0))).slot() <= 1);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Policies.named("best", 1, () -> 0L));
        assertTrue(e.getMessage().contains("--policy must be one of"));
    }

    @Test
    void equalCostsGoWhereANewPrefixEvictsLeast() {
        CostPolicy cost = new CostPolicy();
        ReplicaState full = new ReplicaState(0, "a", 0, 0, 0.1, 0, 0, 0, 5_000);
        ReplicaState empty = new ReplicaState(1, "b", 0, 0, 0.1, 0, 0, 0, 10);
        assertEquals(1, cost.choose(REQ, List.of(full, empty)).slot());
    }

    @Test
    void costNeverPlacesAboveTheLoadBound() {
        CostPolicy cost = new CostPolicy();
        // Replica 0 holds the whole prompt but already carries far more than its share.
        List<ReplicaState> rs = List.of(r(0, 10, 100), r(1, 2, 0), r(2, 2, 0), r(3, 2, 0));
        assertEquals(CostPolicy.loadBound(rs, 0.25), 6, "ceil(1.25 * 17 / 4)");
        Decision d = cost.choose(REQ, rs);
        assertNotEquals(0, d.slot());
        // Everyone over the bound is impossible by construction; an all-equal field is within it.
        assertEquals("least-load", cost.choose(REQ, List.of(r(0, 4, 0), r(1, 4, 0))).reason());
    }

    @Test
    void aFullKvCacheCostsMore() {
        CostPolicy cost = new CostPolicy();
        ReplicaState full = new ReplicaState(0, "a", 1, 0, 1.0, 50, 0, 0, 0);
        ReplicaState roomy = new ReplicaState(1, "b", 1, 0, 0.2, 40, 0, 0, 0);
        assertEquals(1, cost.choose(REQ, List.of(full, roomy)).slot(), "58 blocks x2 against 68 blocks");
        assertThrows(IllegalArgumentException.class, () -> new CostPolicy(-1, 1, 1));
    }

    @Test
    void llmdScoresPrefixQueueAndKvWithItsDefaultWeights() {
        LlmdWeightedScorers p = new LlmdWeightedScorers(1);
        // a: half the prompt cached, deep queue; b: nothing cached, empty queue, same KV use.
        ReplicaState a = new ReplicaState(0, "a", 0, 10, 0.5, 50, 0, 0, 0);
        ReplicaState b = new ReplicaState(1, "b", 0, 0, 0.5, 0, 0, 0, 0);
        // a: 3*0.5 + 2*0 + 2*0.5 = 2.5; b: 0 + 2*1 + 2*0.5 = 3.0
        assertEquals(1, p.choose(REQ, List.of(a, b)).slot());
        ReplicaState a2 = new ReplicaState(0, "a", 0, 10, 0.5, 100, 0, 0, 0); // 3 + 0 + 1 = 4
        assertEquals(0, p.choose(REQ, List.of(a2, b)).slot());
        Set<Integer> ties = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            ties.add(p.choose(REQ, List.of(r(0, 0, 0), r(1, 0, 0))).slot());
        }
        assertEquals(Set.of(0, 1), ties, "ties fall at random");
    }

    @Test
    void dynamoWeighsPrefillAgainstActiveDecodeBlocks() {
        DynamoKvCost p = new DynamoKvCost(1);
        // 100-block prompt; a holds 80 blocks but has 150 active blocks; b holds none, 20 active.
        ReplicaState a = new ReplicaState(0, "a", 3, 0, 0.5, 80, 0, 150, 500);
        ReplicaState b = new ReplicaState(1, "b", 1, 0, 0.5, 0, 0, 20, 500);
        assertEquals(20 + 150 + 20, p.logit(REQ, a), 1e-9);
        assertEquals(100 + 20 + 100, p.logit(REQ, b), 1e-9);
        assertEquals(0, p.choose(REQ, List.of(a, b)).slot());
        ReplicaState c = new ReplicaState(2, "c", 0, 0, 0, 0, 0, 0, 10);
        ReplicaState d = new ReplicaState(3, "d", 0, 0, 0, 0, 0, 0, 99);
        assertEquals(2, p.choose(REQ, List.of(d, c)).slot(), "a tie goes to the smaller tree");
        Set<Integer> sampled = new HashSet<>();
        DynamoKvCost warm = new DynamoKvCost(1.0, 1.0, 3);
        for (int i = 0; i < 200; i++) {
            sampled.add(warm.choose(REQ, List.of(a, b)).slot());
        }
        assertEquals(Set.of(0, 1), sampled, "a positive temperature samples both");
    }

    @Test
    void sglangCacheAwareFollowsMatchesAboveTheThresholdAndBalancesOtherwise() {
        AtomicLong clock = new AtomicLong();
        SglangCacheAware p = new SglangCacheAware(clock::get);
        String doc = "You are a careful assistant for a river survey. ".repeat(20);
        List<ReplicaState> idle = List.of(r(0, 0, 0), r(1, 0, 0), r(2, 0, 0));
        RouteRequest first = new RouteRequest(new long[0], 0, 16, doc + "Q1", null);
        Decision d1 = p.choose(first, idle);
        assertEquals("least-load", d1.reason(), "an empty tree matches nothing");
        // Same document, other question: the match rate is far above 0.3, so the same replica.
        List<ReplicaState> busyFirst = List.of(r(0, 3, 0), r(1, 0, 0), r(2, 0, 0));
        Decision d2 = p.choose(new RouteRequest(new long[0], 0, 16, doc + "Q2", null), busyFirst);
        assertEquals(d1.slot(), d2.slot());
        assertTrue(d2.reason().startsWith("prefix-hit chars="), d2.reason());
        // Unrelated text: below the threshold, the least loaded replica.
        Decision d3 = p.choose(new RouteRequest(new long[0], 0, 16, "zzz entirely different", null), busyFirst);
        assertEquals(1, d3.slot());
        // Imbalance beyond 64 and 1.5x overrides the cache.
        Decision d4 = p.choose(new RouteRequest(new long[0], 0, 16, doc + "Q3", null),
                List.of(r(0, 100, 0), r(1, 10, 0), r(2, 20, 0)));
        assertEquals("imbalanced", d4.reason());
        assertEquals(1, d4.slot());
    }

    @Test
    void sglangTreeEvictsToItsBudgetAndForgetsRemovedReplicas() {
        AtomicLong clock = new AtomicLong();
        SglangCacheAware p = new SglangCacheAware(0.3f, 64, 1.5f, 100, 1_000, clock::get);
        List<ReplicaState> one = List.of(r(0, 0, 0));
        for (int i = 0; i < 10; i++) {
            clock.addAndGet(10);
            p.choose(new RouteRequest(new long[0], 0, 16, "document number " + i + " " + "x".repeat(40), null), one);
        }
        assertTrue(p.treeChars(0) > 100);
        clock.addAndGet(2_000); // past the eviction interval: the next decision evicts first
        p.choose(new RouteRequest(new long[0], 0, 16, "y", null), one);
        assertTrue(p.treeChars(0) <= 101, "held to its budget (plus the text just inserted): " + p.treeChars(0));
        p.onRemoved(0);
        assertEquals(0, p.treeChars(0));
    }
}
