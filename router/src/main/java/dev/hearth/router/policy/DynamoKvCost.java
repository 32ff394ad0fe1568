package dev.hearth.router.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * NVIDIA Dynamo's KV router (ai-dynamo/dynamo lib/llm/src/kv_router/scheduler.rs and sequence.rs,
 * KvRouterConfig defaults overlap_score_weight 1.0, router_temperature 0.0):
 * <pre>
 *   prefillBlocks(w) = (activePrefillTokens(w) + max(0, isl - overlap(w) * B)) / B
 *   decodeBlocks(w)  = activeBlocks(w) + requestBlocks - overlap(w)
 *   logit(w)         = overlapWeight * prefillBlocks(w) + decodeBlocks(w)     (lower is better)
 * </pre>
 * Temperature 0 takes the minimum; ties go to the worker with the smaller index, at random when
 * those are equal too. A positive temperature samples with p ~ exp(-(logit / (max - min)) / T).
 */
public final class DynamoKvCost implements RoutingPolicy {
    private final double overlapWeight;
    private final double temperature;
    private final Random random;

    public DynamoKvCost(long seed) {
        this(1.0, 0.0, seed);
    }

    public DynamoKvCost(double overlapWeight, double temperature, long seed) {
        if (overlapWeight < 0 || temperature < 0) {
            throw new IllegalArgumentException("overlap weight and temperature must be at least 0");
        }
        this.overlapWeight = overlapWeight;
        this.temperature = temperature;
        this.random = new Random(seed);
    }

    @Override
    public String name() {
        return "dynamo";
    }

    @Override
    public double[] scores(RouteRequest request, List<ReplicaState> replicas) {
        return replicas.stream().mapToDouble(r -> logit(request, r)).toArray();
    }

    @Override
    public String scoring() {
        return "Dynamo's logit (overlap-weighted prefill blocks plus decode blocks), lowest wins";
    }

    double logit(RouteRequest request, ReplicaState w) {
        double b = request.blockSize();
        double prefillTokens = w.pendingBlocks() * b + Math.max(0, request.promptTokens() - w.cachedBlocks() * b);
        double decodeBlocks = w.activeBlocks() + request.blocks() - w.cachedBlocks();
        return overlapWeight * (prefillTokens / b) + decodeBlocks;
    }

    @Override
    public synchronized Decision choose(RouteRequest request, List<ReplicaState> replicas) {
        double[] logits = new double[replicas.size()];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = logit(request, replicas.get(i));
            min = Math.min(min, logits[i]);
            max = Math.max(max, logits[i]);
        }
        ReplicaState chosen;
        if (temperature == 0 || max == min) {
            List<ReplicaState> best = new ArrayList<>();
            for (int i = 0; i < logits.length; i++) {
                if (logits[i] == min) {
                    best.add(replicas.get(i));
                }
            }
            long smallest = best.stream().mapToLong(ReplicaState::indexedBlocks).min().orElse(0);
            List<ReplicaState> smallestTrees = best.stream().filter(r -> r.indexedBlocks() == smallest).toList();
            chosen = smallestTrees.get(random.nextInt(smallestTrees.size()));
        } else {
            double[] weights = new double[logits.length];
            double sum = 0;
            for (int i = 0; i < logits.length; i++) {
                weights[i] = Math.exp(-(logits[i] / (max - min)) / temperature);
                sum += weights[i];
            }
            double pick = random.nextDouble() * sum;
            int i = 0;
            while (i < weights.length - 1 && (pick -= weights[i]) > 0) {
                i++;
            }
            chosen = replicas.get(i);
        }
        return new Decision(chosen.slot(), chosen.cachedBlocks() > 0 ? "prefix-hit blocks=" + chosen.cachedBlocks() : "kv-cost");
    }
}
