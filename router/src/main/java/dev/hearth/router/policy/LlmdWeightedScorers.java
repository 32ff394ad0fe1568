package dev.hearth.router.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * llm-d's inference scheduler as its default profile configures it (llm-d/llm-d-inference-scheduler
 * config/charts/epplib/templates/_config.yaml: prefix-cache-scorer 3, queue-scorer 2,
 * kv-cache-utilization-scorer 2, max-score-picker), with the scorers of the Gateway API Inference
 * Extension (pkg/epp/scheduling/framework/plugins/scorer/queue.go, kvcache_utilization.go, and the
 * prefix plugin):
 * <pre>
 *   queue  = (maxWaiting - waiting) / (maxWaiting - minWaiting), or 1 when all are equal
 *   kv     = 1 - kvUsage
 *   prefix = matchedBlocks / totalBlocks (0 for a prompt shorter than a block)
 *   score  = sum of weight * clamp(scorer, 0, 1); the highest wins, ties at random
 * </pre>
 * The prefix scorer reads Hearth's prefix index (token blocks), where llm-d's plugin hashes 4
 * characters per token; both learn from routing decisions unless fed by KV events.
 */
public final class LlmdWeightedScorers implements RoutingPolicy {
    private final double prefixWeight;
    private final double queueWeight;
    private final double kvWeight;
    private final Random random;

    public LlmdWeightedScorers(long seed) {
        this(3, 2, 2, seed);
    }

    public LlmdWeightedScorers(double prefixWeight, double queueWeight, double kvWeight, long seed) {
        this.prefixWeight = prefixWeight;
        this.queueWeight = queueWeight;
        this.kvWeight = kvWeight;
        this.random = new Random(seed);
    }

    @Override
    public String name() {
        return "llm-d";
    }

    @Override
    public double[] scores(RouteRequest request, List<ReplicaState> replicas) {
        int maxQ = Integer.MIN_VALUE;
        int minQ = Integer.MAX_VALUE;
        for (ReplicaState r : replicas) {
            maxQ = Math.max(maxQ, r.waiting());
            minQ = Math.min(minQ, r.waiting());
        }
        double[] out = new double[replicas.size()];
        for (int i = 0; i < out.length; i++) {
            ReplicaState r = replicas.get(i);
            double queue = maxQ == minQ ? 1.0 : (double) (maxQ - r.waiting()) / (maxQ - minQ);
            double kv = 1 - r.kvUsage();
            double prefix = request.blocks() == 0 ? 0 : (double) r.cachedBlocks() / request.blocks();
            out[i] = prefixWeight * clamp(prefix) + queueWeight * clamp(queue) + kvWeight * clamp(kv);
        }
        return out;
    }

    @Override
    public String scoring() {
        return "weighted prefix, queue and KV-cache scores, highest wins";
    }

    @Override
    public synchronized Decision choose(RouteRequest request, List<ReplicaState> replicas) {
        double[] scores = scores(request, replicas);
        // max-score-picker: shuffle, then a stable sort by score, so ties fall at random.
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        ReplicaState best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i : order) {
            if (scores[i] > bestScore) {
                best = replicas.get(i);
                bestScore = scores[i];
            }
        }
        return new Decision(best.slot(), best.cachedBlocks() > 0 ? "prefix-hit blocks=" + best.cachedBlocks() : "scored");
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
