package dev.hearth.router.policy;

import java.util.List;

/**
 * Hearth's default: the replica where this request finishes its prefill soonest, without letting a
 * hot prefix pile onto one replica. For each healthy replica r, in KV blocks:
 * <pre>
 *   cost(r) = uncached(r) + pending(r) + decodeWeight * inFlight(r),   times kvPenalty(r)
 *     uncached(r)  = prompt blocks r does not hold (the prefill this request adds)
 *     pending(r)   = prompt blocks this router sent r that r has not yet prefilled
 *     kvPenalty(r) = 1 + kvPressure * max(0, kvUsage(r) - 0.9) / 0.1   (a full cache evicts what we hoped to reuse)
 * </pre>
 * Bounded load first (Mirrokni, Thorup, Zadimoghaddam, "Consistent Hashing with Bounded Loads",
 * SODA 2018): replicas whose load after placement would exceed ceil((1 + epsilon) * (total + 1) / n)
 * are not candidates. If none remains, the least loaded replica takes it ({@code fallback}). Equal
 * costs go to the less loaded replica, then to the one holding fewer blocks: a new prefix is placed
 * where it evicts least, which also spreads distinct prefixes over the replicas.
 * Defaults: epsilon 0.25, decodeWeight 8 (a running request costs about a 128-token prefill of
 * contention per step), kvPressure 1. The same shape as Dynamo's KV router cost (prefill blocks plus
 * active decode blocks, lib/llm/src/kv_router/scheduler.rs), with the load bound added.
 */
public final class CostPolicy implements RoutingPolicy {
    private final double epsilon;
    private final double decodeWeight;
    private final double kvPressure;

    public CostPolicy() {
        this(0.25, 8, 1);
    }

    public CostPolicy(double epsilon, double decodeWeight, double kvPressure) {
        if (!(epsilon >= 0) || !(decodeWeight >= 0) || !(kvPressure >= 0)) {
            throw new IllegalArgumentException("epsilon, decodeWeight and kvPressure must be at least 0");
        }
        this.epsilon = epsilon;
        this.decodeWeight = decodeWeight;
        this.kvPressure = kvPressure;
    }

    @Override
    public String name() {
        return "cost";
    }

    /** The most load one replica may carry after this placement. */
    public static int loadBound(List<ReplicaState> replicas, double epsilon) {
        long total = 0;
        for (ReplicaState r : replicas) {
            total += r.load();
        }
        return (int) Math.ceil((1 + epsilon) * (total + 1) / replicas.size());
    }

    @Override
    public Decision choose(RouteRequest request, List<ReplicaState> replicas) {
        int bound = loadBound(replicas, epsilon);
        ReplicaState best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (ReplicaState r : replicas) {
            if (r.load() + 1 > bound) {
                continue;
            }
            double c = cost(request, r);
            if (c < bestCost || (c == bestCost && best != null && (r.load() < best.load()
                    || (r.load() == best.load() && r.indexedBlocks() < best.indexedBlocks())))) {
                best = r;
                bestCost = c;
            }
        }
        if (best == null) {
            return new Decision(LeastLoad.leastLoaded(replicas).slot(), "fallback");
        }
        return new Decision(best.slot(), best.cachedBlocks() > 0 ? "prefix-hit blocks=" + best.cachedBlocks() : "least-load");
    }

    @Override
    public double[] scores(RouteRequest request, List<ReplicaState> replicas) {
        double[] out = new double[replicas.size()];
        int bound = loadBound(replicas, epsilon);
        for (int i = 0; i < out.length; i++) {
            ReplicaState r = replicas.get(i);
            out[i] = r.load() + 1 > bound ? Double.POSITIVE_INFINITY : cost(request, r);
        }
        return out;
    }

    @Override
    public String scoring() {
        return "cost in blocks (prefill added, pending, decode load), lowest wins; infinite above the load bound";
    }

    double cost(RouteRequest request, ReplicaState r) {
        double uncached = request.blocks() - r.cachedBlocks();
        double base = uncached + r.pendingBlocks() + decodeWeight * r.inFlight();
        double penalty = 1 + kvPressure * Math.max(0, r.kvUsage() - 0.9) / 0.1;
        return base * penalty;
    }
}
