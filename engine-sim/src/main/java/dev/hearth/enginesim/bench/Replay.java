package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.cluster.ClusterSimulator;
import dev.hearth.enginesim.cluster.VirtualClock;
import dev.hearth.enginesim.workload.Workload;
import java.util.function.Consumer;

/** One contender over one workload on fresh engines of one shape: the unit every report is made of. */
public record Replay(Contender contender, ClusterShape shape, long seed) {
    public RunResult run(Workload workload, Consumer<ClusterSimulator.Completion> progress) {
        VirtualClock clock = new VirtualClock();
        ClusterSimulator sim = new ClusterSimulator(shape.engines(), contender.router(clock, seed), contender.sessions(), clock);
        return RunResult.of(sim.run(workload.requests(), progress), shape);
    }
}
