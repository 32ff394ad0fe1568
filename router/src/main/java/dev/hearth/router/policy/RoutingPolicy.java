package dev.hearth.router.policy;

import java.util.List;

/**
 * A way to choose a replica, one class per policy (as SGLang's router keeps one file per policy
 * behind one trait, sgl-router/src/policies/mod.rs). {@code replicas} holds only healthy replicas
 * and is never empty. Policies with state of their own learn outcomes through the callbacks.
 */
public interface RoutingPolicy {
    /** The name users pass to {@code --policy}. */
    String name();

    Decision choose(RouteRequest request, List<ReplicaState> replicas);

    /**
     * What the policy weighed each replica at, in the order of {@code replicas}, for the decision
     * log; null for a policy that does not score (round robin, random). {@link #scoring} says
     * which way the figures point.
     */
    default double[] scores(RouteRequest request, List<ReplicaState> replicas) {
        return null;
    }

    /** What {@link #scores} are, for a reader of the decision log, e.g. "cost in blocks, lowest wins". */
    default String scoring() {
        return null;
    }

    /** The request was sent to {@code slot}. */
    default void onRouted(RouteRequest request, int slot) {}

    /** A request sent to {@code slot} finished, successfully or not. */
    default void onFinished(int slot) {}

    /** Replica {@code slot} left or turned unhealthy: forget what is known of it. */
    default void onRemoved(int slot) {}
}
