package dev.hearth.enginesim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.enginesim.cluster.ClusterShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A report as JSON, the shape the benchmark issue fixes: {@code workload}, {@code ceiling.hit_ratio},
 * and per policy {@code hit_ratio}, {@code ttft_*_ms}, {@code e2e_p99_ms}, {@code throughput_rps}
 * (at saturation; null when the search was skipped) and {@code imbalance}, with more beside them.
 */
public final class ReportJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {}

    public static String of(BenchReport r) {
        return write(tree(r));
    }

    /** Indented JSON of maps, lists and numbers, as every report file is written. */
    static String write(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> tree(BenchReport r) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("name", r.workload());
        workload.putAll(r.workloadParameters());
        out.put("workload", workload);
        out.put("cluster", cluster(r.shape()));
        out.put("slo", Map.of("ttft_p99_ms", ms(r.sloTtftP99())));
        Map<String, Object> ceiling = new LinkedHashMap<>();
        ceiling.put("hit_ratio", r.ceiling().hitRatio());
        ceiling.put("unlimited_hit_ratio", r.ceiling().unlimitedHitRatio());
        ceiling.put("capacity_tokens", r.ceiling().capacityTokens());
        out.put("ceiling", ceiling);
        List<Map<String, Object>> policies = new ArrayList<>();
        for (PolicyReport p : r.policies()) {
            policies.add(policy(p));
        }
        out.put("policies", policies);
        List<Map<String, Object>> goals = new ArrayList<>();
        for (Goal g : r.goals()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("goal", g.goal());
            m.put("target", g.target());
            m.put("measured", g.measured());
            m.put("met", g.met());
            m.put("gap", g.gap());
            goals.add(m);
        }
        out.put("goals", goals);
        out.put("elapsed_s", r.elapsedSeconds());
        return out;
    }

    /** The replicas a report ran on, as every report file states them. */
    static Map<String, Object> cluster(ClusterShape shape) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("replicas", shape.replicas());
        cluster.put("profile", shape.profile().name());
        cluster.put("block_size", shape.limits().blockSize());
        cluster.put("kv_blocks_per_replica", shape.limits().kvBlocks());
        cluster.put("max_num_batched_tokens", shape.limits().maxNumBatchedTokens());
        cluster.put("max_num_seqs", shape.limits().maxNumSeqs());
        return cluster;
    }

    private static Map<String, Object> policy(PolicyReport p) {
        RunResult run = p.run();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("hit_ratio", run.hitRatio());
        m.put("hit_ratio_of_ceiling", p.ofCeiling());
        m.put("hit_ratio_of_unlimited", p.ofUnlimited());
        m.put("ttft_mean_ms", ms(run.ttft().mean()));
        m.put("ttft_p50_ms", ms(run.ttft().p50()));
        m.put("ttft_p99_ms", ms(run.ttft().p99()));
        m.put("ttft_max_ms", ms(run.ttft().max()));
        m.put("e2e_p50_ms", ms(run.e2e().p50()));
        m.put("e2e_p99_ms", ms(run.e2e().p99()));
        Saturation s = p.saturation();
        m.put("throughput_rps", s == null ? null : s.achievedRps());
        if (s != null) {
            Map<String, Object> sat = new LinkedHashMap<>();
            sat.put("rate_factor", s.rateFactor());
            sat.put("ttft_p99_ms", ms(s.ttftP99()));
            sat.put("probes", s.probes());
            sat.put("slo_met_at_some_rate", s.found());
            m.put("saturation", sat);
        }
        m.put("achieved_rps", run.achievedRps());
        m.put("imbalance", run.imbalance());
        m.put("completed", run.completed());
        m.put("prompt_tokens", run.promptTokens());
        m.put("cached_tokens", run.cachedTokens());
        m.put("prefill_tokens_per_replica", run.prefillTokensPerReplica());
        return m;
    }

    static double ms(double seconds) {
        return Math.round(seconds * 1_000_000) / 1000.0;
    }
}
