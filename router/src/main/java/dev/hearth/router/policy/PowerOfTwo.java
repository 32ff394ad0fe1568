package dev.hearth.router.policy;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Power of two choices (Mitzenmacher, "The power of two choices in randomized load balancing",
 * 2001; as SGLang's sgl-router/src/policies/power_of_two.rs): two distinct replicas at random, the
 * less loaded of them.
 */
public final class PowerOfTwo implements RoutingPolicy {
    private final SplittableRandom random;

    public PowerOfTwo(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public String name() {
        return "power-of-two";
    }

    @Override
    public synchronized Decision choose(RouteRequest request, List<ReplicaState> replicas) {
        if (replicas.size() == 1) {
            return new Decision(replicas.get(0).slot(), "power-of-two");
        }
        int a = random.nextInt(replicas.size());
        int b = random.nextInt(replicas.size() - 1);
        if (b >= a) {
            b++;
        }
        ReplicaState x = replicas.get(a);
        ReplicaState y = replicas.get(b);
        return new Decision((y.load() < x.load() ? y : x).slot(), "power-of-two");
    }
}
