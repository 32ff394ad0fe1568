package dev.hearth.platform.engines;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EngineMetricsTest {
    @Test
    void readsVllmNamesAndCapacityFromCacheConfigInfo() {
        String text = """
                # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
                # TYPE vllm:num_requests_waiting gauge
                vllm:num_requests_waiting{engine="0",model_name="m"} 3.0
                vllm:num_requests_running{engine="0",model_name="m"} 7.0
                vllm:kv_cache_usage_perc{engine="0",model_name="m"} 0.42
                vllm:cache_config_info{block_size="16",cache_dtype="auto",engine="0",num_gpu_blocks="27000"} 1.0
                """;
        EngineMetrics m = EngineMetrics.parse(text);
        assertEquals(new EngineMetrics(3, 7, 0.42, 432_000), m);
        assertEquals(27_000, m.capacityBlocks(16, 5));
    }

    @Test
    void readsSglangNamesAndToleratesJunk() {
        EngineMetrics m = EngineMetrics.parse("""
                sglang:num_queue_reqs{engine_type="unified",model_name="m"} 2.0
                sglang:token_usage{engine_type="unified",model_name="m"} 1.7
                sglang:max_total_num_tokens{engine_type="unified",model_name="m"} 640000.0
                garbage line here
                vllm:cache_config_info{block_size="16",num_gpu_blocks="None"} 1.0
                """);
        assertEquals(2, m.waiting());
        assertEquals(1.0, m.kvUsage(), "clamped to 0..1");
        assertEquals(40_000, m.capacityBlocks(16, 5));
        assertEquals(5, EngineMetrics.parse("").capacityBlocks(16, 5), "unknown capacity: the fallback");
    }
}
