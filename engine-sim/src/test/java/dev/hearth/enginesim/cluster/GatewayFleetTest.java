package dev.hearth.enginesim.cluster;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.workload.SystemPromptWorkload;
import dev.hearth.enginesim.workload.Workload;
import dev.hearth.enginesim.workload.WorkloadRequest;
import dev.hearth.enginesim.workload.Workloads;
import dev.hearth.router.Router;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.prefix.BlockHasher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Several gateways in front of the same engines, without KV events: what one gateway learns reaches
 * another only over the decision bus; shared at once, every gateway's index holds what one router
 * fed every decision would hold.
 */
class GatewayFleetTest {
    private static final ClusterShape SHAPE = new ClusterShape(4, Profiles.H100_LLAMA3_8B,
            new EngineLimits(16, 27_000, 131_072, 256, 8_192));
    private static final int SYSTEM = 2048; // 128 blocks of 16 tokens

    static int[] prompt(int seed, int length, int[] prefix) {
        int[] p = new int[length];
        System.arraycopy(prefix, 0, p, 0, prefix.length);
        for (int i = prefix.length; i < length; i++) {
            p[i] = 1000 + seed * 7919 + i;
        }
        return p;
    }

    static List<Router> routers(int n) {
        return IntStream.range(0, n).mapToObj(i -> Router.withDefaults()).toList();
    }

    /**
     * Two gateways, round-robin, in front of two replicas: gateway A places a 2,048-token system
     * prompt (with its question) on r0; B, knowing nothing yet, places a long-running unrelated
     * request on r0 too; A places a filler on r1; then B gets the same system prompt with another
     * question. B's own request on r0 makes r0 cost 8 blocks more in B's view (and stays within the
     * load bound, 2 of 2), so unless B knows r0 holds the system prompt (128 blocks cheaper) it goes to r1.
     */
    static List<ClusterSimulator.Completion> systemPromptTwice(DecisionBus.Settings share) {
        int[] system = prompt(0, SYSTEM, new int[0]);
        List<WorkloadRequest> requests = List.of(
                new WorkloadRequest(0.0, "a-system", prompt(1, SYSTEM + 40, system), 4000, null),
                new WorkloadRequest(0.010, "b-long", prompt(2, 256, new int[0]), 4000, null),
                new WorkloadRequest(0.020, "a-filler", prompt(3, 256, new int[0]), 1, null),
                new WorkloadRequest(1.0, "b-system", prompt(4, SYSTEM + 40, system), 1, null));
        List<Router> routers = routers(2);
        GatewayFleet fleet = new GatewayFleet(routers, false, share == null ? null : new DecisionBus(share, routers), false);
        return new ClusterSimulator(SHAPE.withReplicas(2).engines(), fleet, false, new VirtualClock()).run(requests.iterator());
    }

    static ClusterSimulator.Completion done(List<ClusterSimulator.Completion> all, String id) {
        return all.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aSystemPromptPlacedByOneGatewayIsAHitForAnotherOnlyWhenDecisionsAreShared() {
        for (DecisionBus.Settings share : List.of(DecisionBus.Settings.defaults(), new DecisionBus.Settings(0, 0))) {
            List<ClusterSimulator.Completion> shared = systemPromptTwice(share);
            assertEquals("r0", done(shared, "a-system").replica());
            if (share.batchMillis() > 0) {
                assertEquals("r0", done(shared, "b-long").replica(), "B knew nothing yet at 10 ms");
            }
            ClusterSimulator.Completion b = done(shared, "b-system");
            assertEquals("r0", b.replica(), "B follows A's decision to the system prompt (" + share + ")");
            assertEquals(SYSTEM, b.cachedTokens(), "the engine reuses the whole system prompt");
        }
        List<ClusterSimulator.Completion> alone = systemPromptTwice(null);
        ClusterSimulator.Completion b = done(alone, "b-system");
        assertEquals("r1", b.replica(), "B does not know what A placed on r0");
        assertEquals(0, b.cachedTokens());
    }

    /** What each replica holds of each prompt, as {@code router} believes: its decision log's candidates. */
    static List<List<Integer>> beliefs(Router router, Workload workload) {
        BlockHasher hasher = new BlockHasher(16);
        List<List<Integer>> out = new ArrayList<>();
        for (var it = workload.requests(); it.hasNext(); ) {
            WorkloadRequest r = it.next();
            Router.DecisionRecord d = router.explain(new RouteRequest(hasher.hashes(r.prompt(), null), r.prompt().length, 16,
                    "", null), 0);
            out.add(d.candidates().stream().map(Router.Candidate::cachedBlocks).toList());
        }
        return out;
    }

    static int[] indexed(Router r) {
        return r.replicas(0).stream().mapToInt(Router.ReplicaInfo::indexedBlocks).toArray();
    }

    @Test
    void sharedAtOnceEveryGatewaysIndexIsTheOneARouterFedEveryDecisionWouldHold() {
        Workload workload = Workloads.parse(SystemPromptWorkload.NAME + ":requests=200,rate=20,system_prompts=6");
        List<Router> gateways = routers(3);
        Router everything = Router.withDefaults(); // subscribes to every gateway's decisions, places none
        List<Router> subscribers = new ArrayList<>(gateways);
        subscribers.add(everything);
        DecisionBus bus = new DecisionBus(new DecisionBus.Settings(0, 0), subscribers);
        List<ClusterSimulator.Replica> engines = SHAPE.engines();
        engines.forEach(e -> everything.addReplica(e.id(), e.engine().limits().kvBlocks()));
        new ClusterSimulator(engines, new GatewayFleet(gateways, false, bus, false), false, new VirtualClock())
                .run(workload.requests());
        bus.flush();

        assertEquals(200, bus.decisions(), "every decision was learned, none from KV events");
        List<List<Integer>> truth = beliefs(everything, workload);
        for (Router g : gateways) {
            assertArrayEquals(indexed(everything), indexed(g));
            assertEquals(truth, beliefs(g, workload), "every gateway believes the same of every prompt");
        }

        List<Router> alone = routers(3);
        new ClusterSimulator(SHAPE.engines(), new GatewayFleet(alone, false, null, false), false, new VirtualClock())
                .run(workload.requests());
        assertNotEquals(beliefs(alone.get(0), workload), beliefs(alone.get(1), workload),
                "unshared, each gateway knows only what it placed");
    }
}
