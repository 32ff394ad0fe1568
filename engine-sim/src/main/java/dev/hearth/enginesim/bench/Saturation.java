package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.workload.RateControl;
import dev.hearth.enginesim.workload.Workload;
import java.util.function.LongConsumer;

/**
 * Throughput at saturation: the highest arrival rate at which p99 time to first token stays within
 * the SLO, found by doubling (or halving) the rate from the workload's own until the SLO breaks,
 * then bisecting four times (about 6% resolution). What is reported is the rate requests finished
 * at in that run, which at a sustainable load equals the rate offered.
 */
public record Saturation(double rateFactor, double achievedRps, double ttftP99, int probes, boolean found) {
    private static final double LOWEST = 1.0 / 256;
    private static final double HIGHEST = 256;
    private static final int BISECTIONS = 4;

    /** Searches with {@code replay} over {@code workload} replayed under {@code base} times a factor. */
    public static Saturation search(Replay replay, Workload workload, RateControl base, double sloSeconds,
                                    LongConsumer progress) {
        Probe at1 = probe(replay, workload, base, 1, sloSeconds, progress);
        Probe pass = at1.ok ? at1 : null;
        Probe fail = at1.ok ? null : at1;
        int probes = 1;
        while (pass == null && fail.factor / 2 >= LOWEST) {
            Probe p = probe(replay, workload, base, fail.factor / 2, sloSeconds, progress);
            probes++;
            if (p.ok) {
                pass = p;
            } else {
                fail = p;
            }
        }
        if (pass == null) {
            return new Saturation(0, 0, fail.result.ttft().p99(), probes, false); // even a trickle misses the SLO
        }
        while (fail == null && pass.factor * 2 <= HIGHEST) {
            Probe p = probe(replay, workload, base, pass.factor * 2, sloSeconds, progress);
            probes++;
            if (p.ok) {
                pass = p;
            } else {
                fail = p;
            }
        }
        for (int i = 0; fail != null && i < BISECTIONS; i++) {
            Probe p = probe(replay, workload, base, Math.sqrt(pass.factor * fail.factor), sloSeconds, progress);
            probes++;
            if (p.ok) {
                pass = p;
            } else {
                fail = p;
            }
        }
        return new Saturation(pass.factor, pass.result.achievedRps(), pass.result.ttft().p99(), probes, true);
    }

    private record Probe(double factor, RunResult result, boolean ok) {}

    private static Probe probe(Replay replay, Workload workload, RateControl base, double factor, double slo,
                               LongConsumer progress) {
        RunResult r = replay.run(base.times(factor).apply(workload), c -> progress.accept(1));
        return new Probe(factor, r, r.ttft().p99() <= slo);
    }
}
