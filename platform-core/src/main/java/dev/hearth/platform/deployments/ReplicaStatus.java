package dev.hearth.platform.deployments;

/**
 * One replica of a deployment as the control plane knows it. {@code stage} refines the phase for
 * progress displays (scheduled, pulling, loading, warming, ready); {@code generation} is the
 * deployment's config generation it runs, so a rolling update knows old from new.
 */
public record ReplicaStatus(String id, int generation, ReplicaPhase phase, String stage, String url, String kvEvents,
                            long pid, String log, String since, String message) {

    ReplicaStatus to(ReplicaPhase next, String nextStage, String now, String why) {
        return new ReplicaStatus(id, generation, next, nextStage, url, kvEvents, pid, log, now, why);
    }
}
