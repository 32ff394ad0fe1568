package dev.hearth.enginesim.cluster;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.engine.EngineCore;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.workload.WorkloadRequest;
import dev.hearth.router.Router;
import dev.hearth.router.policy.Policies;
import dev.hearth.router.prefix.PrefixIndex;
import dev.hearth.router.session.SessionAffinity;
import dev.hearth.router.tokens.SimTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Each routing policy's decisions on a small hand-made workload, replayed through the real
 * {@link Router}, policies and {@link EngineCore}s in the {@link ClusterSimulator}: for every
 * request, the replica it lands on and the prompt tokens its engine found cached, each worked out by
 * hand from the policy's source in the comment beside it.
 *
 * <p>What a policy sees at a decision (Router.states): {@code inFlight}, pending and active blocks
 * are the router's own counts, exact at once; {@code waiting} and {@code kvUsage} are the engine's,
 * refreshed after each of its steps; {@code cachedBlocks} comes from the index, which KV events
 * (sent at the end of each step) fill, or, for a replica that has sent none in the last 10 s, the
 * router's own record of what it routed there. So the workloads use two shapes only:
 * <ul>
 *   <li>spaced arrivals, a second or more apart: every earlier request has finished (these take
 *       tens of milliseconds), so every replica is idle (load 0, waiting 0, KV usage 0) and holds
 *       exactly the blocks of the prompts it served;</li>
 *   <li>simultaneous arrivals: all are routed before any engine steps, so each sees the router's
 *       counts of the ones before it and the engines' stats and KV events as they were.</li>
 * </ul>
 * Prompts are runs of token ids that no other run shares ({@link #run}), concatenated, so the
 * shared prefixes are exactly the ones written; a block is 16 tokens. An engine reuses the cached
 * full blocks leading its prompt (never the last prompt token); two requests admitted in the same
 * engine step do not reuse each other's blocks.
 */
class BaselineDecisionsTest {
    /** Ample KV: nothing is evicted in these workloads. */
    private static final EngineLimits LIMITS = new EngineLimits(16, 4_096, 8_192, 256, 8_192);

    /** One sequence at a time: a second request waits in the engine's queue, which llm-d's queue scorer reads. */
    private static final EngineLimits ONE_AT_A_TIME = new EngineLimits(16, 4_096, 8_192, 1, 8_192);

    private record Run(Router router, Map<String, ClusterSimulator.Completion> done) {
        void assertPlaced(String id, String replica, int cachedTokens) {
            ClusterSimulator.Completion c = done.get(id);
            assertNotNull(c, id + " did not complete");
            assertEquals(replica, c.replica(), id + "'s replica");
            assertEquals(cachedTokens, c.cachedTokens(), id + "'s cached prompt tokens");
        }

        /** The router's decisions, in routing (that is arrival) order. */
        List<Router.DecisionRecord> decisions() {
            return router.decisions(Router.LOG_SIZE);
        }

        Router.Candidate candidate(int decision, String replica) {
            return decisions().get(decision).candidates().stream().filter(c -> c.replica().equals(replica)).findFirst()
                    .orElseThrow();
        }
    }

    private static Run simulate(String policy, long seed, int replicas, EngineLimits limits, boolean sessions,
                                List<WorkloadRequest> requests) {
        Router router = new Router(Policies.named(policy, seed, () -> 0L), new SessionAffinity(3_600_000),
                new PrefixIndex(), 0.25, 10_000);
        List<ClusterSimulator.Replica> engines = IntStream.range(0, replicas).mapToObj(i -> new ClusterSimulator.Replica(
                "r" + i, new EngineCore(Profiles.H100_LLAMA3_8B, limits, false, new SimTokenizer(), true))).toList();
        List<ClusterSimulator.Completion> done = new ClusterSimulator(engines, router, sessions).run(requests.iterator());
        assertEquals(requests.size(), done.size(), "every request completes");
        Map<String, ClusterSimulator.Completion> byId = new HashMap<>();
        done.forEach(c -> byId.put(c.id(), c));
        assertEquals(requests.size(), router.decisions(Router.LOG_SIZE).size(), "one decision per request");
        return new Run(router, byId);
    }

    /** {@code n} token ids from {@code first} on; the tests give each run its own range, so runs share nothing. */
    private static int[] run(int first, int n) {
        return IntStream.range(first, first + n).toArray();
    }

    private static int[] cat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static int[] head(int[] tokens, int n) {
        return Arrays.copyOf(tokens, n);
    }

    private static WorkloadRequest at(double t, String id, int[] prompt, int outputTokens) {
        return new WorkloadRequest(t, id, prompt, outputTokens, null);
    }

    private static WorkloadRequest at(double t, String id, int[] prompt, int outputTokens, String session) {
        return new WorkloadRequest(t, id, prompt, outputTokens, session);
    }

    /** 128 tokens, 8 blocks: the shared prefix of the smaller workloads. */
    private static final int[] P8 = run(100_000, 128);

    @Test
    void roundRobinTakesTurnsWhoeverHoldsThePrefix() {
        // Every prompt is P8 (8 blocks) + its own 20 tokens (1 block + 4): 148 tokens, 9 blocks. A second apart.
        List<WorkloadRequest> w = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            w.add(at(i, "q" + i, cat(P8, run(200_000 + 100 * i, 20)), 4));
        }
        Run run = simulate("round-robin", 7, 3, LIMITS, false, w);
        // RoundRobin: counter i -> replicas[i mod 3], the healthy replicas in slot order r0, r1, r2.
        run.assertPlaced("q0", "r0", 0);   // turn 0
        run.assertPlaced("q1", "r1", 0);   // turn 1: r0 holds 8 of its 9 blocks and is idle; round-robin looks at neither
        run.assertPlaced("q2", "r2", 0);   // turn 2, same
        run.assertPlaced("q3", "r0", 128); // turn 3 = 0 again: reuses P8 (8 blocks) that q0 left on r0
        run.assertPlaced("q4", "r1", 128); // turn 4 = 1: reuses P8 that q1 left on r1
    }

    @Test
    void randomFollowsItsSeedAloneNeitherPrefixNorLoad() {
        // RandomChoice(seed) draws new SplittableRandom(seed).nextInt(healthy replicas) once per decision.
        long seed = 3;
        SplittableRandom rng = new SplittableRandom(seed);
        assertEquals(List.of(2, 0, 0, 2, 2, 0), IntStream.range(0, 6).map(i -> rng.nextInt(3)).boxed().toList(),
                "the draws the expectations below are computed from");
        // q0 at 0 s (P8 + 24 tokens: 9 blocks); q1..q5 all at 1 s, each P8 + its own 24 tokens.
        List<WorkloadRequest> w = new ArrayList<>();
        w.add(at(0, "q0", cat(P8, run(200_000, 24)), 4));
        for (int i = 1; i <= 5; i++) {
            w.add(at(1, "q" + i, cat(P8, run(200_000 + 100 * i, 24)), 4));
        }
        Run run = simulate("random", seed, 3, LIMITS, false, w);
        run.assertPlaced("q0", "r2", 0);   // draw 2
        run.assertPlaced("q1", "r0", 0);   // draw 0: r2 holds P8, ignored
        run.assertPlaced("q2", "r0", 0);   // draw 0: onto r0 with q1 in flight while r1 is idle; admitted in the
                                           //   same step as q1, so nothing of q1's is cached yet
        run.assertPlaced("q3", "r2", 128); // draw 2: happens to land on P8's holder
        run.assertPlaced("q4", "r2", 128); // draw 2
        run.assertPlaced("q5", "r0", 0);   // draw 0: a third in flight on r0; r1 stays idle throughout
    }

    @Test
    void leastLoadPicksTheIdleReplicaOverThePrefixHolder() {
        // q0 at 0 s; q1..q4 at 1 s; each P8 + its own 24 tokens. LeastLoad: the fewest inFlight + waiting,
        // ties to the first in slot order. At 1 s waiting is 0 everywhere (q0 finished), so load = the
        // router's in-flight count of the burst so far.
        List<WorkloadRequest> w = new ArrayList<>();
        w.add(at(0, "q0", cat(P8, run(200_000, 24)), 4));
        for (int i = 1; i <= 4; i++) {
            w.add(at(1, "q" + i, cat(P8, run(200_000 + 100 * i, 24)), 4));
        }
        Run run = simulate("least-load", 7, 3, LIMITS, false, w);
        run.assertPlaced("q0", "r0", 0);   // loads 0,0,0: the first, r0
        run.assertPlaced("q1", "r0", 128); // loads 0,0,0 again: r0 (which happens to hold P8 from q0)
        run.assertPlaced("q2", "r1", 0);   // loads 1,0,0: r1, though r0 holds 8 of its 9 blocks
        run.assertPlaced("q3", "r2", 0);   // loads 1,1,0: r2
        run.assertPlaced("q4", "r0", 128); // loads 1,1,1: the first, r0, P8 cached there since q0
    }

    @Test
    void powerOfTwoTakesTheLessLoadedOfTwoRandomReplicas() {
        // PowerOfTwo(seed): a = rng.nextInt(n), b = rng.nextInt(n - 1), b++ if b >= a (rng = new
        // SplittableRandom(seed)); replicas[b] if its load is strictly less than replicas[a]'s, else replicas[a].
        // As sgl-model-gateway/src/policies/power_of_two.rs: two distinct at random, ties to the first drawn.
        long seed = 23;
        SplittableRandom rng = new SplittableRandom(seed);
        List<List<Integer>> pairs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int a = rng.nextInt(3);
            int b = rng.nextInt(2);
            pairs.add(List.of(a, b >= a ? b + 1 : b));
        }
        assertEquals(List.of(List.of(1, 0), List.of(2, 0), List.of(1, 2), List.of(1, 2), List.of(1, 2), List.of(2, 1)),
                pairs, "the pairs the expectations below are computed from");
        // q0 at 0 s; q1..q5 at 1 s; each P8 + its own 24 tokens. Load = the router's in-flight count (waiting 0).
        List<WorkloadRequest> w = new ArrayList<>();
        w.add(at(0, "q0", cat(P8, run(200_000, 24)), 4));
        for (int i = 1; i <= 5; i++) {
            w.add(at(1, "q" + i, cat(P8, run(200_000 + 100 * i, 24)), 4));
        }
        Run run = simulate("power-of-two", seed, 3, LIMITS, false, w);
        run.assertPlaced("q0", "r1", 0);   // pair (r1, r0), loads 0 = 0: the first drawn, r1
        run.assertPlaced("q1", "r2", 0);   // pair (r2, r0), 0 = 0: r2, the first drawn (not the lower slot); r1 holds P8
        run.assertPlaced("q2", "r1", 128); // pair (r1, r2), 0 < 1: r1, P8 cached there by q0
        run.assertPlaced("q3", "r1", 128); // pair (r1, r2), 1 = 1: r1; r0, idle, was not drawn
        run.assertPlaced("q4", "r2", 0);   // pair (r1, r2), 2 > 1: r2, the less loaded of the two
        run.assertPlaced("q5", "r2", 0);   // pair (r2, r1), 2 = 2: r2, a third in flight while r0 sits idle
    }

    @Test
    void sglangCacheAwareFollowsAMatchAboveThreeTenthsAndBalancesPastSixtyFour() {
        // SglangCacheAware (sgl-model-gateway/src/policies/cache_aware.rs, launcher defaults): load = the
        // router's in-flight count; imbalanced when max - min > 64 and max > 1.5 * min, then the least loaded;
        // otherwise the longest match in the text tree of what was routed where: matched / text characters
        // > 0.3 (float) follows the match, else the least loaded (first in slot order on ties). The text is
        // one character per token, so characters matched = leading tokens shared. 2 replicas.
        int[] q0 = run(100_000, 100);
        List<WorkloadRequest> w = new ArrayList<>();
        w.add(at(0, "q0", q0, 2));
        w.add(at(1, "qa", run(200_000, 100), 2));                       // shares nothing
        w.add(at(1, "qb", cat(head(q0, 31), run(300_000, 69)), 2));     // 31 of 100 characters from q0
        w.add(at(1, "qc", cat(head(q0, 30), run(400_000, 70)), 2));     // 30 of 100 characters from q0
        for (int k = 0; k <= 65; k++) {                                 // 50 of 100 characters from q0
            w.add(at(2, "b" + k, cat(head(q0, 50), run(500_000 + 100 * k, 50)), 2));
        }
        Run run = simulate("sglang-cache-aware", 7, 2, LIMITS, false, w);
        run.assertPlaced("q0", "r0", 0);  // empty tree, match 0: least loaded, 0 = 0, r0
        run.assertPlaced("qa", "r0", 0);  // no match: least loaded, 0 = 0, r0
        run.assertPlaced("qb", "r0", 16); // 31/100 = 0.31 > 0.3: follows q0 to r0 although r0 has qa in flight and
                                          //   r1 none; r0 reuses q0's first block (tokens 0-15; the second differs at token 31)
        run.assertPlaced("qc", "r1", 0);  // 30/100 = 0.3, not above 0.3: least loaded, r0 2 in flight, r1 0
        // At 2 s all are idle. b0..b64 each match q0's 50 characters (0.5), on a node only r0 holds (qc put r1
        // only on the first 30): r0, whose in-flight count climbs 0..64 against r1's 0, never more than 64 apart.
        // Each reuses q0's first 3 blocks (tokens 0-47; the 4th block differs at 50).
        for (int k = 0; k <= 64; k++) {
            run.assertPlaced("b" + k, "r0", 48);
        }
        // b65: r0 65 in flight, r1 0: 65 - 0 > 64 and 65 > 0 * 1.5, imbalanced: the least loaded, r1, match or
        // not. r1 holds qc's first block (tokens 0-15 of q0), so 16 tokens are reused there.
        run.assertPlaced("b65", "r1", 16);
        List<String> reasons = run.decisions().stream().map(Router.DecisionRecord::reason).toList();
        assertEquals(List.of("least-load", "least-load", "prefix-hit chars=31", "least-load"), reasons.subList(0, 4));
        assertEquals(Collections.nCopies(65, "prefix-hit chars=50"), reasons.subList(4, 69));
        assertEquals("imbalanced", reasons.get(69));
    }

    @Test
    void llmdScoresPrefixQueueAndKvFromScrapedStatsAlone() {
        // LlmdWeightedScorers (llm-d default profile): score = 3 * matched/total blocks + 2 * queue + 2 * (1 - kv),
        // queue = (maxWaiting - waiting) / (maxWaiting - minWaiting), 1 when all equal; waiting and kv are the
        // engine's scraped stats, not the router's in-flight count. The highest wins; ties go to the first of a
        // Collections.shuffle(replicas, new Random(seed)), one shuffle per decision. 2 replicas that run one
        // sequence at a time, so a second request waits in the engine's queue.
        long seed = 42;
        Random rng = new Random(seed);
        List<List<Integer>> shuffles = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<Integer> order = new ArrayList<>(List.of(0, 1));
            Collections.shuffle(order, rng);
            shuffles.add(order);
        }
        assertEquals(List.of(List.of(0, 1), List.of(1, 0)), shuffles, "the tie orders the first two decisions use");
        List<WorkloadRequest> w = new ArrayList<>();
        w.add(at(0, "w1", cat(P8, run(200_000, 8)), 4));                 // 136 tokens, 8 blocks
        w.add(at(0.5, "w2", run(300_000, 136), 4));                      // shares nothing
        for (int i = 1; i <= 4; i++) {                                   // P8 + 8 tokens: all 8 blocks are P8's
            w.add(at(1, "a" + i, cat(P8, run(400_000 + 100 * i, 8)), 200)); // about 1.4 s each, one at a time
        }
        w.add(at(1.5, "e", cat(P8, run(500_000, 8)), 4));                       // 8 blocks, all P8's
        w.add(at(1.5, "f", cat(P8, run(600_000, 128), run(700_000, 8)), 4));    // 16 blocks, 8 of them P8's
        Run run = simulate("llm-d", seed, 2, ONE_AT_A_TIME, false, w);
        // w1: nothing cached, waiting 0 = 0, kv 0 = 0: both 0 + 2 + 2 = 4, a tie: first of [r0, r1], r0.
        run.assertPlaced("w1", "r0", 0);
        // w2: nothing of it cached anywhere, both idle: 4 = 4 again; first of [r1, r0], r1.
        run.assertPlaced("w2", "r1", 0);
        // a1..a4 at 1 s: both idle (w1, w2 done), and no engine steps between them, so waiting and kv stay 0:
        // r0 holds 8/8 blocks: 3 + 2 + 2 = 7 against r1's 0 + 2 + 2 = 4, all four times. The router's in-flight
        // count (1, 2, 3 on r0) is not among llm-d's inputs. Each reuses P8 (128 tokens).
        for (int i = 1; i <= 4; i++) {
            run.assertPlaced("a" + i, "r0", 128);
        }
        // At 1.5 s r0 runs a1 with a2..a4 queued: waiting 3 (max), r1 waiting 0 (min); r0's kv u is a1's ~13
        // blocks of 4,096, r1's 0. Queue scores: r0 (3-3)/3 = 0, r1 (3-0)/3 = 1.
        Router.Candidate r0 = run.candidate(6, "r0");
        Router.Candidate r1 = run.candidate(6, "r1");
        assertEquals(3, r0.waiting(), "r0's queue as e and f see it");
        assertTrue(r0.kvUsage() > 0 && r0.kvUsage() < 0.5, "r0's KV usage " + r0.kvUsage());
        assertEquals(0, r1.waiting());
        assertEquals(0, r1.kvUsage());
        // e: r0 3 * 8/8 + 2 * 0 + 2 * (1 - u) = 5 - 2u > 4 = r1's 0 + 2 * 1 + 2 * 1: r0, behind the queue; P8 reused.
        run.assertPlaced("e", "r0", 128);
        // f: r0 3 * 8/16 + 0 + 2 * (1 - u) = 3.5 - 2u < 4 = r1's: r1, which holds none of it.
        run.assertPlaced("f", "r1", 0);
    }

    @Test
    void dynamoWeighsPrefillBlocksAgainstDecodeBlocks() {
        // DynamoKvCost (lib/llm/src/kv_router/scheduler.rs, overlap weight 1, temperature 0), in blocks of 16:
        //   logit = (pendingBlocks * 16 + promptTokens - cached * 16) / 16 + activeBlocks + blocks - cached,
        // the lowest wins; ties go to the smallest index (blocks indexed for the replica), then
        // new Random(seed).nextInt(those tied); one draw per decision, tied or not. 3 replicas.
        // Every prompt here is 168 tokens, 10 blocks: idle and holding none of it, a replica scores
        // 168/16 + 10 = 20.5.
        long seed = 3;
        Random rng = new Random(seed);
        assertEquals(List.of(2, 1), List.of(rng.nextInt(3), rng.nextInt(2)), "the first two draws");
        List<WorkloadRequest> w = new ArrayList<>();
        w.add(at(0, "w", cat(P8, run(200_000, 40)), 4));   // P8 + 40 tokens
        w.add(at(0.5, "u", run(300_000, 168), 4));         // shares nothing
        for (String id : List.of("a", "b", "c", "d")) {      // each P8 + its own 40 tokens
            w.add(at(1, id, cat(P8, run(400_000 + 1_000 * id.charAt(0), 40)), 4));
        }
        Run run = simulate("dynamo", seed, 3, LIMITS, false, w);
        // w: 20.5 everywhere, indexes all empty: draw nextInt(3) = 2, r2.
        run.assertPlaced("w", "r2", 0);
        // u: 20.5 everywhere (r2 holds none of u); r2 indexes w's 10 blocks, r0 and r1 none: the smallest index,
        // r0 or r1, by draw nextInt(2) = 1: r1. Upstream takes the smallest tree too (then any of the equal ones).
        run.assertPlaced("u", "r1", 0);
        // a (1 s, all idle): r2 holds P8's 8 blocks: (168 - 128)/16 + 0 + 10 - 8 = 2.5 + 2 = 4.5 < 20.5: r2.
        run.assertPlaced("a", "r2", 128);
        // b: r2 now has a's 2 uncached blocks pending and its 10 active: (2*16 + 40)/16 + 10 + 10 - 8 = 4.5 + 12
        // = 16.5 < 20.5: r2 again (Hearth's cost policy would move it: 2 + 2 + 8 * 1 = 12 against 10 blocks).
        run.assertPlaced("b", "r2", 128);
        // c: r2 (4*16 + 40)/16 + 20 + 2 = 6.5 + 22 = 28.5; r0 and r1 20.5, tied: r0 indexes nothing, r1 u's 10
        // blocks: r0, the smaller index.
        run.assertPlaced("c", "r0", 0);
        // d: r2 28.5; r0 has c in flight (10 pending, 10 active) and, having sent no KV event yet, is indexed by
        // the router's record of c, so holds P8: (160 + 40)/16 + 10 + 10 - 8 = 12.5 + 12 = 24.5; r1 20.5: r1.
        run.assertPlaced("d", "r1", 0);
        // Upstream (sequence.rs) counts the decode term against the worker's active requests rather than its
        // cache, with a shared prefix counted once (a 12.5, b 17, c: r2 21.5, d: r0 25, or 33 where its index
        // has no record of c); the same choices.
    }

    @Test
    void costFollowsThePrefixUntilTheLoadBoundMovesIt() {
        // CostPolicy: replicas whose load + 1 exceeds ceil(1.25 * (total load + 1) / n) are out; of the rest the
        // lowest uncached + pending + 8 * inFlight blocks (KV usage is under 0.9 everywhere here: no penalty),
        // ties to the less loaded, then to the smaller index, then the first. 2 replicas, sessions on (these
        // requests have none). Every prompt: a 640-token prefix (40 blocks) + its own 40 tokens: 42 blocks.
        int[] p40 = run(100_000, 640);
        List<WorkloadRequest> w = new ArrayList<>();
        w.add(at(0, "w", cat(p40, run(200_000, 40)), 4));
        for (String id : List.of("a", "b", "c", "d", "e", "f")) {
            w.add(at(1, id, cat(p40, run(300_000 + 1_000 * id.charAt(0), 40)), 4));
        }
        Run run = simulate("cost", 7, 2, LIMITS, true, w);
        // w: bound ceil(1.25 * 1/2) = 1; both 42 blocks, load 0, index 0: the first, r0.
        run.assertPlaced("w", "r0", 0);
        // a (1 s, both idle): bound 1; r0 holds 40: 2 + 0 + 0 = 2 against r1's 42: r0; reuses 640 tokens.
        run.assertPlaced("a", "r0", 640);
        // b: total 1, bound ceil(1.25 * 2/2) = 2, r0 would carry 2: fine; r0 2 + 2 pending + 8 = 12 < 42: r0.
        run.assertPlaced("b", "r0", 640);
        // c: total 2, bound ceil(1.25 * 3/2) = 2, r0 would carry 3: out. r1, cost 42.
        run.assertPlaced("c", "r1", 0);
        // d: total 3, bound ceil(1.25 * 4/2) = 3: r0 may carry 3: 2 + 4 + 16 = 22. r1 has sent no KV event, so
        // the router recorded c's blocks there itself and believes it holds the 40: 2 + 42 pending + 8 = 52: r0.
        run.assertPlaced("d", "r0", 640);
        // e: total 4, bound ceil(1.25 * 5/2) = 4: r0 may carry 4: 2 + 6 + 24 = 32 < 52: r0.
        run.assertPlaced("e", "r0", 640);
        // f: total 5, bound ceil(1.25 * 6/2) = 4, r0 would carry 5: out; r1 (52). The router believed r1 holds
        // the prefix, but c is still queued there, admitted in the same step as f: the engine reuses nothing.
        run.assertPlaced("f", "r1", 0);
        assertEquals(List.of("least-load", "prefix-hit blocks=40", "prefix-hit blocks=40", "least-load",
                        "prefix-hit blocks=40", "prefix-hit blocks=40", "prefix-hit blocks=40"),
                run.decisions().stream().map(Router.DecisionRecord::reason).toList());
        assertEquals(0, run.router().placementsOverBound());
    }

    @Test
    void costKeepsASessionOnItsReplicaWithinTheBound() {
        // With sessions on, a session's first request is placed by the cost policy and the session binds there;
        // later ones go to that replica while it is within the load bound, otherwise the policy places them
        // ("session-overflow") and the binding stays.
        int[] t1 = cat(P8, run(200_000, 8));          // 136 tokens, 8 blocks
        int[] t2 = cat(t1, run(300_000, 24));         // 160 tokens, 10 blocks: t1's 136 + 24
        int[] t3 = cat(t2, run(400_000, 16));         // 176 tokens, 11 blocks
        int[] t4 = cat(t3, run(500_000, 8));          // 184 tokens, 11 blocks, all of them t3's
        List<WorkloadRequest> w = List.of(
                at(0, "t1", t1, 4, "s2"),
                at(1, "y", cat(P8, run(600_000, 24)), 4),   // no session: 152 tokens, 9 blocks
                at(1, "t2", t2, 4, "s2"),
                at(1, "t3", t3, 4, "s2"),
                at(2, "t4", t4, 4, "s2"));
        Run run = simulate("cost", 7, 2, LIMITS, true, w);
        // t1: no binding yet: the cost policy, both idle with 8 uncached blocks: a tie, the first, r0; s2 binds to r0.
        run.assertPlaced("t1", "r0", 0);
        // y (1 s, idle, no session): r0 holds P8: 1 uncached block against r1's 9: r0.
        run.assertPlaced("y", "r0", 128);
        // t2: bound ceil(1.25 * 2/2) = 2, r0 would carry 2: within, so the binding, r0. Reuses P8: t1's last 8
        // tokens never filled a block.
        run.assertPlaced("t2", "r0", 128);
        // t3: bound ceil(1.25 * 3/2) = 2, r0 would carry 3: over; the cost policy places it among those within
        // the bound: only r1, which holds nothing.
        run.assertPlaced("t3", "r1", 0);
        // t4 (2 s, idle): the binding is still r0, within the bound 1: r0, although r1 holds all 11 of its blocks
        // (t3's) and r0 10 (t2's). r0 reuses t2's 10 blocks.
        run.assertPlaced("t4", "r0", 160);
        assertEquals(10, run.candidate(4, "r0").cachedBlocks());
        assertEquals(11, run.candidate(4, "r1").cachedBlocks());
        assertEquals(List.of("least-load", "prefix-hit blocks=8", "session", "session-overflow", "session"),
                run.decisions().stream().map(Router.DecisionRecord::reason).toList());
    }
}
