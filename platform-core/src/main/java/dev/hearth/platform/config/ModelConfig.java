package dev.hearth.platform.config;

import java.time.Duration;
import java.util.List;

/**
 * A model directory's {@code config.yaml}: what to serve and how. The keys, their types, defaults
 * and meanings are documented in one place, {@code config-schema.md} beside this class (served to
 * assistants as the MCP resource {@code hearth://docs/config-schema}); {@link ConfigLoader} reads
 * and validates a file, naming the key, the line and the fix.
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
