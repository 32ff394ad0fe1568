package dev.hearth.enginesim.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sweep's outcome as a table, JSON, and two charts (hit ratio and p99 TTFT against the setting,
 * one line per policy), with the ceiling's line beside the hit ratios.
 */
public final class SweepReport {
    private SweepReport() {}

    public static String table(Sweep sweep, List<Sweep.Point> points) {
        StringBuilder s = new StringBuilder();
        BenchReport first = points.get(0).report();
        s.append("sweep of ").append(sweep.axis()).append(" over ").append(first.workload());
        first.workloadParameters().forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        s.append(String.format(Locale.ROOT, "%n%-10s %-20s %9s %9s %9s %10s %10s %9s%n", sweep.parameter(), "policy", "hit",
                "ceiling", "of ceil", "TTFT p50", "TTFT p99", "imbalance"));
        for (Sweep.Point p : points) {
            for (PolicyReport r : p.report().policies()) {
                s.append(String.format(Locale.ROOT, "%-10s %-20s %9.4f %9.4f %9.3f %8.0fms %8.0fms %9.3f%n", Sweep.label(p.value()),
                        r.name(), r.run().hitRatio(), p.report().ceiling().hitRatio(), r.ofCeiling(), r.run().ttft().p50() * 1000,
                        r.run().ttft().p99() * 1000, r.run().imbalance()));
            }
        }
        return s.toString();
    }

    public static String json(Sweep sweep, List<Sweep.Point> points) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sweep", sweep.parameter());
        out.put("values", sweep.values());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Sweep.Point p : points) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("value", p.value());
            row.putAll(ReportJson.tree(p.report()));
            rows.add(row);
        }
        out.put("points", rows);
        return ReportJson.write(out);
    }

    /** Writes {@code sweep-PARAM.json}, {@code .txt} and the two charts; returns their paths. */
    public static List<Path> write(Sweep sweep, List<Sweep.Point> points, Path dir) throws IOException {
        double[] x = points.stream().mapToDouble(Sweep.Point::value).toArray();
        List<SvgChart.Series> hits = new ArrayList<>();
        List<SvgChart.Series> p99 = new ArrayList<>();
        for (int k = 0; k < points.get(0).report().policies().size(); k++) {
            int policy = k;
            String name = points.get(0).report().policies().get(k).name();
            hits.add(new SvgChart.Series(name, x, points.stream().mapToDouble(p -> p.report().policies().get(policy).run()
                    .hitRatio()).toArray()));
            p99.add(new SvgChart.Series(name, x, points.stream().mapToDouble(p -> p.report().policies().get(policy).run()
                    .ttft().p99() * 1000).toArray()));
        }
        hits.add(new SvgChart.Series("ceiling (pooled LRU)", x, points.stream().mapToDouble(p -> p.report().ceiling().hitRatio())
                .toArray()));
        boolean log = sweep.values().stream().mapToDouble(Double::doubleValue).max().orElse(1)
                / sweep.values().stream().mapToDouble(Double::doubleValue).min().orElse(1) > 8;
        String what = points.get(0).report().workload();
        String base = "sweep-" + sweep.parameter();
        Map<String, String> files = new LinkedHashMap<>();
        files.put(base + ".json", json(sweep, points));
        files.put(base + ".txt", table(sweep, points));
        files.put(base + "-hit-ratio.svg", SvgChart.lines("Hit ratio by " + sweep.axis() + ": " + what, sweep.axis(),
                "prompt tokens from cache", hits, log));
        files.put(base + "-ttft-p99.svg", SvgChart.lines("p99 TTFT by " + sweep.axis() + ": " + what, sweep.axis(), "ms", p99, log));
        return ReportFiles.writeAll(dir, files);
    }
}
