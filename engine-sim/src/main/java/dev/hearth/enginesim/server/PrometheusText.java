package dev.hearth.enginesim.server;

import dev.hearth.enginesim.engine.EngineLoop;
import dev.hearth.enginesim.engine.EngineStats;
import dev.hearth.enginesim.engine.FinishReason;
import java.util.Locale;

/**
 * Renders the engine's metrics in the Prometheus text format (version 0.0.4) under the real
 * engines' names: vLLM's from vllm/v1/metrics/loggers.py (labels model_name and engine), SGLang's
 * from python/sglang/srt/metrics/collector.py (SchedulerMetricsCollector gauges,
 * TokenizerMetricsCollector counters and histograms).
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    static String render(Flavor flavor, String model, EngineLoop loop) {
        EngineStats s = loop.core().stats();
        StringBuilder out = new StringBuilder(4_096);
        if (flavor == Flavor.VLLM) {
            String l = "model_name=\"" + escape(model) + "\",engine=\"0\"";
            gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.", l, loop.running());
            gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", l, loop.waiting());
            gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", l, loop.kvUsage());
            var pool = loop.core().pool();
            // vLLM's CacheConfig as labels of a constant gauge (vllm/v1/metrics/loggers.py, cache_config_info).
            gauge(out, "vllm:cache_config_info", "Information of the LLMEngine CacheConfig",
                    "block_size=\"" + pool.blockSize() + "\",enable_prefix_caching=\"True\",engine=\"0\",num_gpu_blocks=\""
                            + pool.numBlocks() + "\"", 1);
            counter(out, "vllm:prefix_cache_queries", "Prefix cache queries, in terms of number of queried tokens.",
                    l, s.prefixQueries.sum());
            counter(out, "vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.",
                    l, s.prefixHits.sum());
            counter(out, "vllm:prompt_tokens", "Number of prefill tokens processed.", l, s.promptTokens.sum());
            counter(out, "vllm:generation_tokens", "Number of generation tokens processed.", l,
                    s.generationTokens.sum());
            out.append("# HELP vllm:request_success_total Count of successfully processed requests.\n")
                    .append("# TYPE vllm:request_success_total counter\n");
            for (FinishReason r : FinishReason.values()) {
                out.append("vllm:request_success_total{").append(l).append(",finished_reason=\"").append(r.wire())
                        .append("\"} ").append(num(s.finished(r))).append('\n');
            }
            histogram(out, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", l, s.ttft);
            histogram(out, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", l, s.e2e);
        } else {
            String g = "engine_type=\"unified\",model_name=\"" + escape(model) + "\",pp_rank=\"0\",tp_rank=\"0\"";
            String t = "model_name=\"" + escape(model) + "\"";
            var pool = loop.core().pool();
            long queries = s.prefixQueries.sum();
            gauge(out, "sglang:num_running_reqs", "The number of running requests.", g, loop.running());
            gauge(out, "sglang:num_queue_reqs", "The number of requests in the waiting queue.", g, loop.waiting());
            gauge(out, "sglang:token_usage", "The token usage.", g, loop.kvUsage());
            gauge(out, "sglang:num_used_tokens", "The number of used tokens.", g,
                    Math.round(loop.kvUsage() * pool.numBlocks()) * (long) pool.blockSize());
            gauge(out, "sglang:max_total_num_tokens", "Maximum total number of tokens in the KV cache pool.", g,
                    (long) pool.numBlocks() * pool.blockSize());
            gauge(out, "sglang:cache_hit_rate", "The prefix cache hit rate.", g,
                    queries == 0 ? 0 : (double) s.prefixHits.sum() / queries);
            counter(out, "sglang:prompt_tokens", "Number of prefill tokens processed.", t, s.promptTokens.sum());
            counter(out, "sglang:generation_tokens", "Number of generation tokens processed.", t,
                    s.generationTokens.sum());
            counter(out, "sglang:cached_tokens", "Number of cached prompt tokens.", t, s.prefixHits.sum());
            counter(out, "sglang:num_requests", "Number of requests processed.", t,
                    s.finished(FinishReason.STOP) + s.finished(FinishReason.LENGTH));
            counter(out, "sglang:num_aborted_requests", "Number of requests aborted.", t, s.finished(FinishReason.ABORT));
            histogram(out, "sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.", t, s.ttft);
            histogram(out, "sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds",
                    t, s.e2e);
        }
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append('{').append(labels).append("} ").append(num(value)).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, String labels, double value) {
        out.append("# HELP ").append(name).append("_total ").append(help).append('\n')
                .append("# TYPE ").append(name).append("_total counter\n")
                .append(name).append("_total{").append(labels).append("} ").append(num(value)).append('\n');
    }

    private static void histogram(StringBuilder out, String name, String help, String labels, EngineStats.Histogram h) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" histogram\n");
        double[] bounds = h.bounds();
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{").append(labels).append(",le=\"").append(num(bounds[i])).append("\"} ")
                    .append(num(h.cumulative(i))).append('\n');
        }
        out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(num(h.count())).append('\n')
                .append(name).append("_count{").append(labels).append("} ").append(num(h.count())).append('\n')
                .append(name).append("_sum{").append(labels).append("} ").append(num(h.sum())).append('\n');
    }

    /** Prometheus' Python client prints floats with repr: 1.0, 0.25, 2560.0. */
    private static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return Double.toString(v);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
