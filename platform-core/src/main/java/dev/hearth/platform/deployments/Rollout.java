package dev.hearth.platform.deployments;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What to do next to bring a deployment's replicas to what it asks for: how many to start and which
 * to take away. A pure function of the current replicas, re-run on every change, as Kubernetes'
 * Deployment controller does (pkg/controller/deployment/rolling.go): a rolling update surges one
 * new replica at a time and drains an old one only once a new one is ready, so serving capacity
 * never drops below what was asked for.
 */
public final class Rollout {
    private Rollout() {}

    /** Start {@code start} replicas of the current generation; stop {@code remove} (drain ready ones, cancel others). */
    public record Step(int start, List<String> remove) {
        public boolean idle() {
            return start == 0 && remove.isEmpty();
        }
    }

    /** Replica ids end in a counter ({@code NAME-7}); a higher one is newer. */
    static int ordinal(ReplicaStatus r) {
        String id = r.id();
        try {
            return Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static Step next(List<ReplicaStatus> replicas, int desired, int generation, boolean deleting) {
        List<ReplicaStatus> live = replicas.stream().filter(r -> r.phase().live()).toList();
        if (deleting || desired == 0) {
            return new Step(0, live.stream().map(ReplicaStatus::id).toList());
        }
        List<ReplicaStatus> current = live.stream().filter(r -> r.generation() == generation).toList();
        List<ReplicaStatus> old = live.stream().filter(r -> r.generation() != generation).toList();
        long currentReady = current.stream().filter(r -> r.phase() == ReplicaPhase.READY).count();
        long currentPending = current.size() - currentReady;
        List<String> remove = new ArrayList<>();
        if (!old.isEmpty()) {
            // Old replicas not serving yet serve nobody: cancel them at once.
            old.stream().filter(r -> r.phase() != ReplicaPhase.READY).forEach(r -> remove.add(r.id()));
            List<ReplicaStatus> oldReady = old.stream().filter(r -> r.phase() == ReplicaPhase.READY)
                    .sorted(Comparator.comparingInt(Rollout::ordinal)).toList();
            long excess = currentReady + oldReady.size() - desired;
            for (int i = 0; i < Math.min(excess, oldReady.size()); i++) {
                remove.add(oldReady.get(i).id());
            }
            int start = current.size() < desired && currentPending == 0 ? 1 : 0;
            return new Step(start, remove);
        }
        if (current.size() < desired) {
            return new Step(desired - current.size(), List.of());
        }
        // Too many: the ones not serving yet first, then the newest.
        List<ReplicaStatus> byPreference = current.stream()
                .sorted(Comparator.comparing((ReplicaStatus r) -> r.phase() == ReplicaPhase.READY)
                        .thenComparing(Comparator.comparingInt(Rollout::ordinal).reversed())).toList();
        for (int i = 0; i < current.size() - desired; i++) {
            remove.add(byPreference.get(i).id());
        }
        return new Step(0, remove);
    }
}
