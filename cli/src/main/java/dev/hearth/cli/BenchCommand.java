package dev.hearth.cli;

import dev.hearth.warmpools.sim.BurstScenario;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hearth bench}: benchmarks that run here, in simulated time, and print their figures. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run a benchmark and print its figures.",
        subcommands = {BenchCommand.Scaling.class})
public final class BenchCommand implements Runnable {

    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** A traffic burst with and without warm nodes: time to capacity, requests queued and rejected, cost. */
    @Command(name = "scaling", mixinStandardHelpOptions = true,
            description = "Replay a 5x traffic burst in simulated time, with and without warm nodes.")
    static final class Scaling implements Callable<Integer> {
        @Option(names = "--warm-nodes", defaultValue = "5", description = "Warm nodes in the pool (default: ${DEFAULT-VALUE}).")
        int warmNodes;

        @Override
        public Integer call() {
            if (warmNodes < 1 || warmNodes > 64) {
                throw new IllegalArgumentException("--warm-nodes must be between 1 and 64, was " + warmNodes);
            }
            System.out.print(BurstScenario.report(warmNodes));
            return 0;
        }
    }
}
