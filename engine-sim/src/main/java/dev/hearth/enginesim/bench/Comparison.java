package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.workload.RateControl;
import dev.hearth.enginesim.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every contender over the same workload, arrivals, replicas, capacities and cost model, in one
 * run: a replay at the workload's rate, then a saturation search on its first requests. Contenders
 * run in parallel, each on its own engines and router, so the figures do not depend on the order.
 */
public final class Comparison {
    /**
     * How to compare: the cluster, the arrival rate, the SLO that defines saturation (p99 time to first
     * token, seconds), how many leading requests each saturation probe replays (0: no search), the seed
     * for the policies' random choices, and how many contenders run at once.
     */
    public record Settings(ClusterShape shape, RateControl rate, double sloTtftP99, int saturationRequests, long seed,
                           int threads) {
        public Settings {
            if (!(sloTtftP99 > 0) || Double.isInfinite(sloTtftP99)) {
                throw new IllegalArgumentException("--slo-ttft-p99 must be a positive number of seconds, was " + sloTtftP99);
            }
            if (saturationRequests < 0) {
                throw new IllegalArgumentException("--saturation-requests must not be negative, was " + saturationRequests);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
        }
    }

    /** Requests replayed so far out of an estimate of the total (saturation probes are counted as they come). */
    public interface Progress {
        void update(long done, long total);
    }

    private static final int EXPECTED_PROBES = 9;

    private final Settings settings;
    private final Progress progress;

    public Comparison(Settings settings, Progress progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public BenchReport run(Workload workload, List<Contender> contenders) {
        long started = System.nanoTime();
        Workload timed = settings.rate().apply(workload);
        Workload probeLoad = workload.first(settings.saturationRequests());
        long perContender = workload.size() + (settings.saturationRequests() > 0 ? (long) EXPECTED_PROBES * probeLoad.size() : 0);
        long total = perContender * contenders.size();
        AtomicLong done = new AtomicLong();
        progress.update(0, total);
        Ceiling ceiling = Ceiling.of(workload, settings.shape());
        List<java.util.concurrent.Callable<PolicyReport>> runs = new ArrayList<>();
        for (Contender c : contenders) {
            runs.add(() -> {
                Replay replay = new Replay(c, settings.shape(), settings.seed());
                RunResult run = replay.run(timed, x -> progress.update(done.incrementAndGet(), total));
                Saturation saturation = settings.saturationRequests() == 0 ? null : Saturation.search(replay, probeLoad,
                        settings.rate(), settings.sloTtftP99(), n -> progress.update(done.addAndGet(n), Math.max(total, done.get())));
                return new PolicyReport(c.name(), run, saturation, fraction(run.hitRatio(), ceiling.hitRatio()),
                        fraction(run.hitRatio(), ceiling.unlimitedHitRatio()));
            });
        }
        List<PolicyReport> reports = ParallelRuns.all(settings.threads(), runs);
        progress.update(total, total);
        return new BenchReport(workload.name(), timed.parameters(), settings.shape(), settings.sloTtftP99(), ceiling,
                List.copyOf(reports), (System.nanoTime() - started) / 1e9);
    }

    private static double fraction(double value, double of) {
        return of == 0 ? 0 : value / of;
    }
}
