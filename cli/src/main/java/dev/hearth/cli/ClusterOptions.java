package dev.hearth.cli;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profile;
import dev.hearth.enginesim.engine.Profiles;
import picocli.CommandLine.Option;

/** The simulated replicas a benchmark runs on, as {@code hearth bench} and {@code hearth bench gateways} take them. */
final class ClusterOptions {
    @Option(names = "--replicas", defaultValue = "4", description = "Simulated replicas (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--profile", defaultValue = "h100-llama3-8b",
            description = "Engine cost model: h100-llama3-8b or h100-qwen3-0.6b (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--kv-blocks", paramLabel = "N",
            description = "KV cache blocks of 16 tokens per replica (default: the profile's, 27,000 for Llama-3-8B on an H100).")
    Integer kvBlocks;

    /** The replicas' shape; a clear error for an unknown profile or too small a cache. */
    ClusterShape shape() {
        Profile engine = Profiles.named(profile).orElseThrow(() -> new IllegalArgumentException(
                "--profile must be one of " + Profiles.ALL.stream().map(Profile::name).toList() + ", was '" + profile + "'"));
        int blocks = kvBlocks == null ? engine.kvBlocks() : kvBlocks;
        if (blocks < 8_192) {
            throw new IllegalArgumentException("--kv-blocks must be at least 8192 (one 128k-token prompt), was " + blocks);
        }
        return new ClusterShape(replicas, engine, new EngineLimits(16, blocks, 131_072, engine.maxNumSeqs(),
                engine.maxNumBatchedTokens()));
    }
}
