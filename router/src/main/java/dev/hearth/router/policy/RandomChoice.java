package dev.hearth.router.policy;

import java.util.List;
import java.util.SplittableRandom;

/** A healthy replica uniformly at random (SGLang sgl-router/src/policies/random.rs); seeded for replays. */
public final class RandomChoice implements RoutingPolicy {
    private final SplittableRandom random;

    public RandomChoice(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public synchronized Decision choose(RouteRequest request, List<ReplicaState> replicas) {
        return new Decision(replicas.get(random.nextInt(replicas.size())).slot(), "random");
    }
}
