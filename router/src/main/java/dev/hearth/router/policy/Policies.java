package dev.hearth.router.policy;

import java.util.List;
import java.util.function.LongSupplier;

/** The policies users can name with {@code --policy}. */
public final class Policies {
    public static final List<String> NAMES = List.of("cost", "round-robin", "random", "least-load", "power-of-two",
            "sglang-cache-aware", "llm-d", "dynamo");

    private Policies() {}

    /** A new policy by name; {@code seed} drives the random ones, {@code clockMs} SGLang's tree eviction. */
    public static RoutingPolicy named(String name, long seed, LongSupplier clockMs) {
        return switch (name) {
            case "cost" -> new CostPolicy();
            case "round-robin" -> new RoundRobin();
            case "random" -> new RandomChoice(seed);
            case "least-load" -> new LeastLoad();
            case "power-of-two" -> new PowerOfTwo(seed);
            case "sglang-cache-aware" -> new SglangCacheAware(clockMs);
            case "llm-d" -> new LlmdWeightedScorers(seed);
            case "dynamo" -> new DynamoKvCost(seed);
            default -> throw new IllegalArgumentException("--policy must be one of " + NAMES + ", was '" + name + "'");
        };
    }
}
