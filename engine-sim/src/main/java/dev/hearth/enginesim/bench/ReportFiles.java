package dev.hearth.enginesim.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report written to a folder: {@code report.json}, {@code report.txt}, and the charts: hit ratio
 * per policy against the ceiling, p99 time to first token per policy, and the TTFT distributions.
 */
public final class ReportFiles {
    private ReportFiles() {}

    /** Writes every file; returns their paths. */
    public static List<Path> write(BenchReport r, Path dir) throws IOException {
        List<String> names = r.policies().stream().map(PolicyReport::name).toList();
        double[] hits = r.policies().stream().mapToDouble(p -> p.run().hitRatio()).toArray();
        double[] p99 = r.policies().stream().mapToDouble(p -> p.run().ttft().p99() * 1000).toArray();
        Map<String, Double> ceilings = new LinkedHashMap<>();
        ceilings.put("ceiling", r.ceiling().hitRatio());
        ceilings.put("unlimited", r.ceiling().unlimitedHitRatio());
        List<SvgChart.Series> cdf = new ArrayList<>();
        double[] percent = new double[101];
        for (int q = 0; q <= 100; q++) {
            percent[q] = q;
        }
        for (PolicyReport p : r.policies()) {
            double[] ms = p.run().ttft().percentiles().clone();
            for (int q = 0; q < ms.length; q++) {
                ms[q] = Math.max(ms[q] * 1000, 1);
            }
            cdf.add(new SvgChart.Series(p.name(), ms, percent));
        }
        String what = r.workload() + ", " + r.shape().replicas() + " replicas";
        Map<String, String> files = new LinkedHashMap<>();
        files.put("report.json", ReportJson.of(r));
        files.put("report.txt", ReportTable.of(r));
        files.put("hit-ratio.svg", SvgChart.bars("Prefix-cache hit ratio: " + what, "prompt tokens from cache", names, hits, ceilings));
        files.put("ttft-p99.svg", SvgChart.bars("p99 time to first token: " + what, "ms", names, p99,
                Map.of("SLO", r.sloTtftP99() * 1000)));
        files.put("ttft-distribution.svg", SvgChart.lines("Time to first token: " + what, "ms (log scale)",
                "percent of requests at or below", cdf, true));
        return writeAll(dir, files);
    }

    /** Writes each named text into {@code dir}, creating it; returns the paths in order. */
    static List<Path> writeAll(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            written.add(Files.writeString(dir.resolve(f.getKey()), f.getValue()));
        }
        return written;
    }
}
