package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.cluster.DecisionBus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What several gateways without KV events cost in reuse: each contender behind each setup, its hit
 * ratio over that of one gateway learning from its own decisions (the reference), and the shortfall,
 * one minus that; as a table, as JSON, and as one hit-ratio chart per contender.
 */
public record GatewayReport(String workload, Map<String, Object> workloadParameters, ClusterShape shape,
                            DecisionBus.Settings share, List<GatewayComparison.Run> runs, double elapsedSeconds) {

    /** The contender's run behind one gateway without KV events. */
    public GatewayComparison.Run reference(String contender) {
        return runs.stream().filter(r -> r.contender().equals(contender) && r.setup().equals(GatewaySetup.ONE_WITHOUT_EVENTS))
                .findFirst().orElseThrow(() -> new IllegalStateException("no one-gateway run for " + contender));
    }

    /** A run's hit ratio over its contender's reference. */
    public double ofOneGateway(GatewayComparison.Run run) {
        double ref = reference(run.contender()).result().hitRatio();
        return ref == 0 ? 0 : run.result().hitRatio() / ref;
    }

    public String table() {
        StringBuilder s = new StringBuilder();
        s.append("workload: ").append(workload);
        workloadParameters.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
        s.append('\n');
        s.append(String.format(Locale.ROOT, "cluster: %d replicas x %s, %,d KV blocks of %d tokens each%n", shape.replicas(),
                shape.profile().name(), shape.limits().kvBlocks(), shape.limits().blockSize()));
        s.append(String.format(Locale.ROOT, "gateways: requests spread round-robin; shared decisions published every %d ms, "
                + "delivered %d ms later; sessions (hearth) shared by every gateway%n", share.batchMillis(), share.deliveryMillis()));
        s.append("reference: 1 gateway learning from its own decisions (of 1 gw = hit / its hit; shortfall = 1 - that)\n\n");
        s.append(String.format(Locale.ROOT, "%-10s %-32s %9s %8s %10s %10s %10s %9s %10s%n", "policy", "gateways", "hit", "of 1 gw",
                "shortfall", "TTFT p50", "TTFT p99", "imbalance", "batches"));
        for (GatewayComparison.Run r : runs) {
            double of = ofOneGateway(r);
            s.append(String.format(Locale.ROOT, "%-10s %-32s %9.4f %8.3f %9.1f%% %8.0fms %8.0fms %9.3f %10s%n", r.contender(),
                    r.setup().label(), r.result().hitRatio(), of, (1 - of) * 100, r.result().ttft().p50() * 1000,
                    r.result().ttft().p99() * 1000, r.result().imbalance(), r.setup().sharing() ? String.format(Locale.ROOT, "%,d",
                            r.batches()) : "-"));
        }
        s.append(String.format(Locale.ROOT, "%n%d replays in %.1f s%n", runs.size(), elapsedSeconds));
        return s.toString();
    }

    public String json() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("name", workload);
        w.putAll(workloadParameters);
        out.put("workload", w);
        out.put("cluster", ReportJson.cluster(shape));
        Map<String, Object> gateways = new LinkedHashMap<>();
        gateways.put("spreading", "round-robin");
        gateways.put("share_batch_ms", share.batchMillis());
        gateways.put("share_delivery_ms", share.deliveryMillis());
        gateways.put("sessions_shared", true);
        out.put("gateways", gateways);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (GatewayComparison.Run r : runs) {
            RunResult run = r.result();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("policy", r.contender());
            m.put("gateways", r.setup().gateways());
            m.put("kv_events", r.setup().kvEvents());
            m.put("shared_decisions", r.setup().sharing());
            m.put("hit_ratio", run.hitRatio());
            m.put("hit_ratio_of_one_gateway", ofOneGateway(r));
            m.put("shortfall", 1 - ofOneGateway(r));
            m.put("ttft_mean_ms", ReportJson.ms(run.ttft().mean()));
            m.put("ttft_p50_ms", ReportJson.ms(run.ttft().p50()));
            m.put("ttft_p99_ms", ReportJson.ms(run.ttft().p99()));
            m.put("e2e_p99_ms", ReportJson.ms(run.e2e().p99()));
            m.put("imbalance", run.imbalance());
            m.put("completed", run.completed());
            m.put("prompt_tokens", run.promptTokens());
            m.put("cached_tokens", run.cachedTokens());
            m.put("decisions_shared", r.decisionsShared());
            m.put("batches", r.batches());
            rows.add(m);
        }
        out.put("runs", rows);
        out.put("elapsed_s", elapsedSeconds);
        return ReportJson.write(out);
    }

    /** Writes {@code report.json}, {@code report.txt} and {@code hit-ratio-POLICY.svg} per contender; returns their paths. */
    public List<Path> write(Path dir) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("report.json", json());
        files.put("report.txt", table());
        for (String contender : runs.stream().map(GatewayComparison.Run::contender).distinct().toList()) {
            List<GatewayComparison.Run> mine = runs.stream().filter(r -> r.contender().equals(contender)).toList();
            files.put("hit-ratio-" + contender + ".svg", SvgChart.bars("Hit ratio by gateways: " + contender + ", " + workload + ", "
                            + shape.replicas() + " replicas", "prompt tokens from cache",
                    mine.stream().map(r -> r.setup().shortLabel()).toList(), mine.stream().mapToDouble(r -> r.result().hitRatio()).toArray(),
                    Map.of("1 gateway", reference(contender).result().hitRatio())));
        }
        return ReportFiles.writeAll(dir, files);
    }
}
