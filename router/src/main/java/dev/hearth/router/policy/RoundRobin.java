package dev.hearth.router.policy;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Each request to the next healthy replica in turn (SGLang sgl-router/src/policies/round_robin.rs). */
public final class RoundRobin implements RoutingPolicy {
    private final AtomicLong counter = new AtomicLong();

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public Decision choose(RouteRequest request, List<ReplicaState> replicas) {
        int i = (int) Math.floorMod(counter.getAndIncrement(), (long) replicas.size());
        return new Decision(replicas.get(i).slot(), "round-robin");
    }
}
