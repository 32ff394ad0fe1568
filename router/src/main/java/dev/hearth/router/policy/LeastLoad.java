package dev.hearth.router.policy;

import java.util.List;

/**
 * Join the shortest queue (Winston, "Optimality of the shortest line discipline", J. Appl. Prob.
 * 1977): the replica with the fewest requests in flight and queued; ties go to the lower slot.
 */
public final class LeastLoad implements RoutingPolicy {
    @Override
    public String name() {
        return "least-load";
    }

    @Override
    public Decision choose(RouteRequest request, List<ReplicaState> replicas) {
        return new Decision(leastLoaded(replicas).slot(), "least-load");
    }

    static ReplicaState leastLoaded(List<ReplicaState> replicas) {
        ReplicaState best = replicas.get(0);
        for (ReplicaState r : replicas) {
            if (r.load() < best.load()) {
                best = r;
            }
        }
        return best;
    }
}
