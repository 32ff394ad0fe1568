package dev.hearth.platform.deployments;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollout decisions, step by step, as the reconcile loop would apply them. */
class RolloutTest {

    private static ReplicaStatus replica(int n, int generation, ReplicaPhase phase) {
        return new ReplicaStatus("d-" + n, generation, phase, phase.wire(), null, null, 0, null, "t", null);
    }

    @Test
    void startsWhatIsMissingAndRemovesTheSurplusNotReadyFirstThenNewest() {
        assertEquals(new Rollout.Step(3, List.of()), Rollout.next(List.of(), 3, 1, false));
        var some = List.of(replica(0, 1, ReplicaPhase.READY), replica(1, 1, ReplicaPhase.STARTING));
        assertEquals(new Rollout.Step(1, List.of()), Rollout.next(some, 3, 1, false));
        var many = List.of(replica(0, 1, ReplicaPhase.READY), replica(9, 1, ReplicaPhase.READY),
                replica(10, 1, ReplicaPhase.READY), replica(3, 1, ReplicaPhase.WARMING));
        // 10 is newer than 9 although "d-10" sorts before "d-9" as text.
        assertEquals(List.of("d-3", "d-10"), Rollout.next(many, 2, 1, false).remove());
    }

    @Test
    void endedAndDrainingReplicasDoNotCount() {
        var replicas = List.of(replica(0, 1, ReplicaPhase.FAILED), replica(1, 1, ReplicaPhase.DRAINING),
                replica(2, 1, ReplicaPhase.READY));
        assertEquals(new Rollout.Step(1, List.of()), Rollout.next(replicas, 2, 1, false));
    }

    @Test
    void deletingOrScalingToZeroRemovesEveryLiveReplica() {
        var replicas = List.of(replica(0, 1, ReplicaPhase.READY), replica(1, 1, ReplicaPhase.STARTING),
                replica(2, 1, ReplicaPhase.STOPPED));
        assertEquals(List.of("d-0", "d-1"), Rollout.next(replicas, 2, 1, true).remove());
        assertEquals(List.of("d-0", "d-1"), Rollout.next(replicas, 0, 1, false).remove());
    }

    /** Plays a rolling update of 3 replicas to the end: ready capacity never drops below 3, one surge at a time. */
    @Test
    void aRollingUpdateKeepsCapacityAndSurgesOneAtATime() {
        List<ReplicaStatus> replicas = new ArrayList<>(List.of(replica(0, 1, ReplicaPhase.READY),
                replica(1, 1, ReplicaPhase.READY), replica(2, 1, ReplicaPhase.READY)));
        int next = 3;
        for (int round = 0; round < 20; round++) {
            Rollout.Step step = Rollout.next(replicas, 3, 2, false);
            if (step.idle()) {
                break;
            }
            for (String id : step.remove()) {
                replicas.replaceAll(r -> r.id().equals(id) ? r.to(ReplicaPhase.DRAINING, "draining", "t", null) : r);
            }
            assertTrue(step.start() <= 1, "one new replica at a time");
            long pending = replicas.stream().filter(r -> r.generation() == 2 && r.phase() != ReplicaPhase.READY
                    && r.phase().live()).count();
            assertTrue(step.start() == 0 || pending == 0, "no second surge while one is starting");
            for (int i = 0; i < step.start(); i++) {
                replicas.add(replica(next++, 2, ReplicaPhase.STARTING));
            }
            long ready = replicas.stream().filter(r -> r.phase() == ReplicaPhase.READY).count();
            assertTrue(ready >= 3, "ready capacity fell to " + ready + " in round " + round);
            // The new replica comes up; draining ones finish.
            replicas.replaceAll(r -> r.phase() == ReplicaPhase.STARTING ? r.to(ReplicaPhase.READY, "ready", "t", null)
                    : r.phase() == ReplicaPhase.DRAINING ? r.to(ReplicaPhase.STOPPED, "stopped", "t", null) : r);
        }
        assertEquals(List.of("d-3", "d-4", "d-5"), replicas.stream().filter(r -> r.phase() == ReplicaPhase.READY)
                .map(ReplicaStatus::id).toList());
        assertTrue(replicas.stream().filter(r -> r.generation() == 1).allMatch(r -> r.phase() == ReplicaPhase.STOPPED));
    }

    @Test
    void namesComeFromModelIds() {
        assertEquals("qwen3-0-6b", DeploymentNames.fromModel("Qwen/Qwen3-0.6B"));
        assertEquals("llama-3-1-8b-instruct", DeploymentNames.fromModel("meta-llama/Llama-3.1-8B-Instruct"));
        assertEquals("model", DeploymentNames.fromModel("org/..."));
    }
}
