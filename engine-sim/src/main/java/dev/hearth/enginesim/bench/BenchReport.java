package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.ClusterShape;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A comparison's outcome: what was replayed (the workload's parameters and arrivals) on what
 * (replicas, cost model, KV capacity), the ceiling, each contender's figures, and the goals.
 */
public record BenchReport(String workload, Map<String, Object> workloadParameters, ClusterShape shape, double sloTtftP99,
                          Ceiling ceiling, List<PolicyReport> policies, double elapsedSeconds) {

    public Optional<PolicyReport> policy(String name) {
        return policies.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public List<Goal> goals() {
        return Goal.evaluate(this);
    }
}
