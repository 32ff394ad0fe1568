package dev.hearth.platform.deployments;

import java.util.List;

/**
 * A deployment: a named model configuration ({@code config}, the config.yaml text) served by
 * {@code replicas} replicas. {@code generation} counts config updates; {@code status} is
 * progressing, available, degraded (short of replicas and the latest start failed, or none ready
 * and one failed) or deleting. What the REST API returns and what is persisted.
 */
public record Deployment(String name, String config, int generation, int replicas, int readyReplicas, String status,
                         boolean deleting, String created, String updated, int nextReplica,
                         List<ReplicaStatus> replicaStatuses) {

    public Deployment {
        replicaStatuses = List.copyOf(replicaStatuses);
    }

    Deployment withReplicas(List<ReplicaStatus> next, String now) {
        int ready = (int) next.stream().filter(r -> r.phase() == ReplicaPhase.READY).count();
        boolean rolledOut = next.stream().filter(r -> r.phase().live()).allMatch(r -> r.generation() == generation);
        // Degraded: short of replicas and the latest start failed (a later one may still succeed after its
        // back-off), or none ready and one failed.
        boolean newestFailed = next.stream().max(java.util.Comparator.comparingInt(Rollout::ordinal))
                .map(r -> r.phase() == ReplicaPhase.FAILED).orElse(false);
        String s = deleting ? "deleting"
                : ready >= replicas && rolledOut && next.stream().filter(r -> r.phase().live()).count() == replicas
                ? "available" : replicas > 0 && (newestFailed || ready == 0
                && next.stream().anyMatch(r -> r.phase() == ReplicaPhase.FAILED))
                ? "degraded" : "progressing";
        return new Deployment(name, config, generation, replicas, ready, s, deleting, created, now, nextReplica, next);
    }

    Deployment scaled(int n, String now) {
        return new Deployment(name, config, generation, n, readyReplicas, status, deleting, created, now, nextReplica,
                replicaStatuses).withReplicas(replicaStatuses, now);
    }

    Deployment updated(String yaml, int n, String now) {
        return new Deployment(name, yaml, generation + 1, n, readyReplicas, status, deleting, created, now, nextReplica,
                replicaStatuses).withReplicas(replicaStatuses, now);
    }

    Deployment deleted(String now) {
        return new Deployment(name, config, generation, replicas, readyReplicas, status, true, created, now, nextReplica,
                replicaStatuses).withReplicas(replicaStatuses, now);
    }

    Deployment nextId() {
        return new Deployment(name, config, generation, replicas, readyReplicas, status, deleting, created, updated,
                nextReplica + 1, replicaStatuses);
    }
}
