package dev.hearth.enginesim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One of the benchmark issue's goals for Hearth's default router, with the figure measured and how
 * far it is from the target ({@code gap}: positive when met with room, negative when short).
 */
public record Goal(String goal, String target, double measured, boolean met, String gap) {

    /** The goals that the report's contenders allow judging; a goal needing a contender not run is left out. */
    static List<Goal> evaluate(BenchReport r) {
        List<Goal> out = new ArrayList<>();
        PolicyReport hearth = r.policy(Contender.HEARTH).orElse(null);
        if (hearth == null) {
            return out;
        }
        double ofCeiling = hearth.ofCeiling();
        out.add(new Goal("hit ratio of the ceiling", ">= 0.95", ofCeiling, ofCeiling >= 0.95, fmt(ofCeiling - 0.95)));
        double imbalance = hearth.run().imbalance();
        out.add(new Goal("load imbalance (max/mean prefill work)", "< 1.2", imbalance, imbalance < 1.2, fmt(1.2 - imbalance)));
        double bestBaseline = r.policies().stream().filter(p -> Contender.isBaseline(p.name()))
                .mapToDouble(p -> p.run().ttft().p99()).min().orElse(Double.NaN);
        if (!Double.isNaN(bestBaseline)) {
            double p99 = hearth.run().ttft().p99();
            out.add(new Goal("p99 TTFT below every baseline's", String.format(Locale.ROOT, "< %.0f ms", bestBaseline * 1000), p99 * 1000,
                    p99 < bestBaseline, fmt((bestBaseline - p99) * 1000) + " ms"));
        }
        PolicyReport rr = r.policy("round-robin").orElse(null);
        if (rr != null && rr.saturation() != null && hearth.saturation() != null && rr.saturation().achievedRps() > 0) {
            double ratio = hearth.saturation().achievedRps() / rr.saturation().achievedRps();
            out.add(new Goal("throughput at saturation over round-robin's", ">= 1.5x", ratio, ratio >= 1.5, fmt(ratio - 1.5) + "x"));
        }
        return out;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%+.3f", v);
    }
}
