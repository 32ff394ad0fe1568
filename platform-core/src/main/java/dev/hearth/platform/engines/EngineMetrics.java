package dev.hearth.platform.engines;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the router reads from an engine's Prometheus text: requests waiting and KV cache usage,
 * under vLLM's names (vllm/v1/metrics/loggers.py: vllm:num_requests_waiting,
 * vllm:kv_cache_usage_perc, older vllm:gpu_cache_usage_perc) or SGLang's
 * (python/sglang/srt/metrics/collector.py: sglang:num_queue_reqs, sglang:token_usage).
 */
public record EngineMetrics(int waiting, int running, double kvUsage) {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([-+0-9.eE]+|NaN)\\s*$");

    public static EngineMetrics parse(String text) {
        double waiting = 0;
        double running = 0;
        double kv = 0;
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            double v;
            try {
                v = Double.parseDouble(m.group(3));
            } catch (NumberFormatException e) {
                continue;
            }
            if (Double.isNaN(v)) {
                continue;
            }
            switch (m.group(1)) {
                case "vllm:num_requests_waiting", "sglang:num_queue_reqs" -> waiting += v;
                case "vllm:num_requests_running", "sglang:num_running_reqs" -> running += v;
                case "vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc", "sglang:token_usage" -> kv = Math.max(kv, v);
                default -> { }
            }
        }
        return new EngineMetrics((int) waiting, (int) running, Math.min(1, Math.max(0, kv)));
    }
}
