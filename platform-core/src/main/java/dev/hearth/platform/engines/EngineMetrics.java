package dev.hearth.platform.engines;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the router reads from an engine's Prometheus text: requests waiting and KV cache usage,
 * under vLLM's names (vllm/v1/metrics/loggers.py: vllm:num_requests_waiting,
 * vllm:kv_cache_usage_perc, older vllm:gpu_cache_usage_perc) or SGLang's
 * (python/sglang/srt/metrics/collector.py: sglang:num_queue_reqs, sglang:token_usage); and the
 * KV capacity, from vLLM's vllm:cache_config_info labels num_gpu_blocks x block_size, or SGLang's
 * sglang:max_total_num_tokens.
 */
public record EngineMetrics(int waiting, int running, double kvUsage, long kvCapacityTokens) {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? ([-+0-9.eE]+|NaN)\\s*$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** KV capacity in blocks of {@code blockSize} tokens, or {@code fallback} when the engine does not say. */
    public int capacityBlocks(int blockSize, int fallback) {
        return kvCapacityTokens <= 0 ? fallback : (int) Math.min(Integer.MAX_VALUE, kvCapacityTokens / blockSize);
    }

    public static EngineMetrics parse(String text) {
        double waiting = 0;
        double running = 0;
        double kv = 0;
        long capacity = 0;
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
                case "sglang:max_total_num_tokens" -> capacity = (long) v;
                case "vllm:cache_config_info" -> capacity = fromCacheConfig(m.group(2), capacity);
                default -> { }
            }
        }
        return new EngineMetrics((int) waiting, (int) running, Math.min(1, Math.max(0, kv)), capacity);
    }

    private static long fromCacheConfig(String labels, long fallback) {
        if (labels == null) {
            return fallback;
        }
        long blocks = -1;
        long size = -1;
        Matcher l = LABEL.matcher(labels);
        while (l.find()) {
            try {
                switch (l.group(1)) {
                    case "num_gpu_blocks" -> blocks = Long.parseLong(l.group(2));
                    case "block_size" -> size = Long.parseLong(l.group(2));
                    default -> { }
                }
            } catch (NumberFormatException e) {
                return fallback; // "None" before the engine has profiled its memory
            }
        }
        return blocks > 0 && size > 0 ? blocks * size : fallback;
    }
}
