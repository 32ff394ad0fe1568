package dev.hearth.platform.config;

import java.time.Duration;
import java.util.List;

/**
 * A model directory's {@code config.yaml}: what to serve and how. Every key but {@code model.id}
 * has a default; {@link ConfigLoader} reads and validates it, naming the key, the line and the fix.
 * <pre>
 * model:          id (required, e.g. Qwen/Qwen3-0.6B), revision (default main)
 * engine:         name (vllm | sglang, default vllm), args (list of extra engine flags),
 *                 launcher (simulator | local | kubernetes, default simulator)
 * context_length: tokens (default 0: the model's own)
 * gpu:            count (default 1), memory_gb (per GPU, default 0: any), kinds (allowed, default any)
 * replicas:       min (default 1), max (default min)
 * nodepools:      names, in priority order (default none: the local pool)
 * routing:        policy (default cost), load_epsilon (default 0.25), session_ttl (default PT1H)
 * cache:          enabled (default true), max_bytes (default 268435456), ttl (default PT1H)
 * autoscaling:    enabled (default false), target_in_flight (per replica, default 8), scale_up_window
 *                 (default PT0S), scale_down_window (default PT5M), idle_to_zero (with replicas.min 0,
 *                 default PT15M)
 * </pre>
 */
public record ModelConfig(Model model, Engine engine, int contextLength, Gpu gpu, Replicas replicas,
                          List<String> nodepools, Routing routing, Cache cache, Autoscaling autoscaling) {

    public record Model(String id, String revision) {}

    /** Where replicas run: the engine simulator, the real engine as a local process, or pods. */
    public static final List<String> LAUNCHERS = List.of("simulator", "local", "kubernetes");

    public record Engine(String name, List<String> args, String launcher) {}

    public record Gpu(int count, int memoryGb, List<String> kinds) {}

    public record Replicas(int min, int max) {}

    public record Routing(String policy, double loadEpsilon, Duration sessionTtl) {}

    public record Cache(boolean enabled, long maxBytes, Duration ttl) {}

    /** Between replicas.min and replicas.max, following requests in flight (warm-pools' Autoscaler). */
    public record Autoscaling(boolean enabled, double targetInFlight, Duration scaleUpWindow, Duration scaleDownWindow,
                              Duration idleToZero) {}
}
