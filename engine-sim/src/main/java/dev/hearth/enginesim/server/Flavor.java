package dev.hearth.enginesim.server;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Which engine the simulator imitates: the two differ in error shape, metric names and extra routes. */
public enum Flavor {
    VLLM,
    SGLANG;

    public static Flavor parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--flavor must be vllm or sglang, was '" + s + "'");
        }
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The default KV block size: vLLM pages of 16 tokens, SGLang's radix cache at page size 1. */
    public int defaultBlockSize() {
        return this == VLLM ? 16 : 1;
    }

    /**
     * The error body. vLLM nests it under "error" since PR 22099 (vllm/entrypoints/openai/protocol.py
     * ErrorResponse/ErrorInfo); SGLang keeps the flat OpenAI-v0 shape
     * (python/sglang/srt/entrypoints/openai/protocol.py ErrorResponse).
     */
    public Map<String, Object> errorBody(ApiError e) {
        Map<String, Object> info = new LinkedHashMap<>();
        if (this == SGLANG) {
            info.put("object", "error");
        }
        info.put("message", e.getMessage());
        info.put("type", e.type());
        info.put("param", e.param());
        info.put("code", e.status());
        return this == VLLM ? Map.of("error", info) : info;
    }
}
