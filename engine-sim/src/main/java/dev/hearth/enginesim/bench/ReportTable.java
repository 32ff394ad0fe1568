package dev.hearth.enginesim.bench;

import java.util.Locale;
import java.util.Map;

/** A report as text: what ran, one row per contender, and the goals with how far each is from met. */
public final class ReportTable {
    private ReportTable() {}

    public static String of(BenchReport r) {
        StringBuilder s = new StringBuilder();
        s.append("workload: ").append(r.workload());
        for (Map.Entry<String, Object> e : r.workloadParameters().entrySet()) {
            s.append(' ').append(e.getKey()).append('=').append(e.getValue());
        }
        s.append('\n');
        s.append(String.format(Locale.ROOT, "cluster: %d replicas x %s, %,d KV blocks of %d tokens each; SLO p99 TTFT %.0f ms%n",
                r.shape().replicas(), r.shape().profile().name(), r.shape().limits().kvBlocks(), r.shape().limits().blockSize(),
                r.sloTtftP99() * 1000));
        s.append(String.format(Locale.ROOT, "ceiling: pooled LRU %.4f, unlimited %.4f (hit ratio in prompt tokens)%n%n",
                r.ceiling().hitRatio(), r.ceiling().unlimitedHitRatio()));
        s.append(String.format(Locale.ROOT, "%-20s %9s %9s %9s %10s %10s %10s %10s %11s %9s%n", "policy", "hit", "of ceil",
                "of unlim", "TTFT mean", "TTFT p50", "TTFT p99", "e2e p99", "sat. req/s", "imbalance"));
        for (PolicyReport p : r.policies()) {
            RunResult run = p.run();
            s.append(String.format(Locale.ROOT, "%-20s %9.4f %9.3f %9.3f %8.0fms %8.0fms %8.0fms %8.0fms %11s %9.3f%n",
                    p.name(), run.hitRatio(), p.ofCeiling(), p.ofUnlimited(), run.ttft().mean() * 1000,
                    run.ttft().p50() * 1000, run.ttft().p99() * 1000, run.e2e().p99() * 1000,
                    p.saturation() == null ? "-" : p.saturation().found()
                            ? String.format(Locale.ROOT, "%.2f", p.saturation().achievedRps()) : "never",
                    run.imbalance()));
        }
        if (!r.goals().isEmpty()) {
            s.append("\ngoals for hearth:\n");
            for (Goal g : r.goals()) {
                s.append(String.format(Locale.ROOT, "  %-4s %-45s target %-12s measured %-10.3f gap %s%n", g.met() ? "met" : "MISS",
                        g.goal(), g.target(), g.measured(), g.gap()));
            }
        }
        s.append(String.format(Locale.ROOT, "%n%d contenders in %.1f s%n", r.policies().size(), r.elapsedSeconds()));
        return s.toString();
    }
}
