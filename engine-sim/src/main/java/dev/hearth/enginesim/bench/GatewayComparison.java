package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.cluster.ClusterSimulator;
import dev.hearth.enginesim.cluster.DecisionBus;
import dev.hearth.enginesim.cluster.GatewayFleet;
import dev.hearth.enginesim.cluster.VirtualClock;
import dev.hearth.enginesim.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far several gateways without KV events fall short of one: every contender replayed over the
 * same workload and replicas once per {@link GatewaySetup}, in parallel, each on fresh engines and
 * routers. The question of issue 10: the decision-based prefix index of each gateway sees only the
 * requests that reach it, unless the gateways share their decisions.
 */
public final class GatewayComparison {
    /** The replicas, the seed, how decisions are shared, the setups to replay, and how many replays run at once. */
    public record Settings(ClusterShape shape, long seed, DecisionBus.Settings share, List<GatewaySetup> setups, int threads) {
        public Settings {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, was " + threads);
            }
            if (!setups.contains(GatewaySetup.ONE_WITHOUT_EVENTS)) {
                throw new IllegalArgumentException("the setups must include one gateway without KV events, the reference");
            }
            setups = List.copyOf(setups);
        }
    }

    /** One contender replayed behind one setup, with what its bus carried (zero without sharing). */
    public record Run(String contender, GatewaySetup setup, RunResult result, long decisionsShared, long batches) {}

    private final Settings settings;
    private final Comparison.Progress progress;

    public GatewayComparison(Settings settings, Comparison.Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    /** Replays one contender behind one setup. */
    public Run replay(Contender contender, GatewaySetup setup, Workload workload, Runnable onCompletion) {
        VirtualClock clock = new VirtualClock();
        GatewayFleet fleet = setup.fleet(contender, clock, settings.seed(), settings.share());
        ClusterSimulator sim = new ClusterSimulator(settings.shape().engines(), fleet, contender.sessions(), clock);
        RunResult result = RunResult.of(sim.run(workload.requests(), c -> onCompletion.run()), settings.shape());
        DecisionBus bus = fleet.bus();
        return new Run(contender.name(), setup, result, bus == null ? 0 : bus.decisions(), bus == null ? 0 : bus.batches());
    }

    public GatewayReport run(Workload workload, List<Contender> contenders) {
        long started = System.nanoTime();
        long total = (long) workload.size() * settings.setups().size() * contenders.size();
        AtomicLong done = new AtomicLong();
        progress.update(0, total);
        List<java.util.concurrent.Callable<Run>> jobs = new ArrayList<>();
        for (Contender c : contenders) {
            for (GatewaySetup s : settings.setups()) {
                jobs.add(() -> replay(c, s, workload, () -> progress.update(done.incrementAndGet(), total)));
            }
        }
        List<Run> runs = ParallelRuns.all(settings.threads(), jobs);
        progress.update(total, total);
        return new GatewayReport(workload.name(), workload.parameters(), settings.shape(), settings.share(), List.copyOf(runs),
                (System.nanoTime() - started) / 1e9);
    }
}
