package dev.hearth.enginesim.cluster;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.engine.EngineCore;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.workload.MooncakeTrace;
import dev.hearth.enginesim.workload.TraceWorkload;
import dev.hearth.enginesim.workload.TraceRequest;
import dev.hearth.router.Router;
import dev.hearth.router.policy.Policies;
import dev.hearth.router.prefix.PrefixIndex;
import dev.hearth.router.session.SessionAffinity;
import dev.hearth.router.tokens.SimTokenizer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The cluster simulator drives the router's own policy classes and the engine simulator's scheduler
 * in virtual time: every request completes, the engines' reuse never beats the pooled ceiling, and
 * the cache-aware policy reuses more than round-robin on the real trace's first requests.
 */
class ClusterSimulatorTest {
    // Ample KV (6.4M tokens a replica): the trace's first turns return 20 to 110 s later, and a realistic
    // H100 cache (about 26,000 blocks for an 8B model) has evicted them by then at this load.
    private static final EngineLimits LIMITS = new EngineLimits(16, 400_000, 131_072, 256, 8_192);

    static List<ClusterSimulator.Completion> simulate(String policy, int replicas, List<TraceRequest> trace) {
        Router router = new Router(Policies.named(policy, 7, () -> 0L), new SessionAffinity(3_600_000), new PrefixIndex(),
                0.25, 10_000);
        List<ClusterSimulator.Replica> engines = IntStream.range(0, replicas).mapToObj(i -> new ClusterSimulator.Replica(
                "r" + i, new EngineCore(Profiles.H100_LLAMA3_8B, LIMITS, false, new SimTokenizer(), true))).toList();
        return new ClusterSimulator(engines, router, false).run(new TraceWorkload("mooncake", trace, 0).requests());
    }

    static double hitRatio(List<ClusterSimulator.Completion> done) {
        long cached = done.stream().mapToLong(ClusterSimulator.Completion::cachedTokens).sum();
        long prompt = done.stream().mapToLong(ClusterSimulator.Completion::promptTokens).sum();
        return (double) cached / prompt;
    }

    @Test
    void everyRequestCompletesAndReuseStaysUnderTheCeiling() throws Exception {
        List<TraceRequest> trace = MooncakeTrace.read(Path.of("../../shared/traces/mooncake_conversation_trace.jsonl.gz"),
                MooncakeTrace.MOONCAKE_BLOCK_SIZE).subList(0, 400);
        PooledCache ceiling = PooledCache.unlimited();
        trace.forEach(ceiling::serve);

        List<ClusterSimulator.Completion> cost = simulate("cost", 4, trace);
        List<ClusterSimulator.Completion> roundRobin = simulate("round-robin", 4, trace);
        for (List<ClusterSimulator.Completion> done : List.of(cost, roundRobin)) {
            assertEquals(trace.size(), done.size(), "every request completes");
            assertTrue(done.stream().allMatch(c -> c.ttft() > 0 && c.e2e() >= c.ttft()), "times are ordered");
            assertTrue(done.stream().allMatch(c -> c.cachedTokens() <= c.promptTokens()));
            // The engine caches whole 16-token blocks, the trace counts 512-token ones: the ceiling in tokens bounds both.
            assertTrue(hitRatio(done) <= ceiling.tokenHitRatio() + 1e-9, hitRatio(done) + " vs " + ceiling.tokenHitRatio());
        }
        assertTrue(hitRatio(cost) > hitRatio(roundRobin) * 1.3, "cache-aware routing reuses more: " + hitRatio(cost)
                + " vs round-robin " + hitRatio(roundRobin));
        assertEquals(4, cost.stream().map(ClusterSimulator.Completion::replica).distinct().count(), "load is spread");
    }
}
