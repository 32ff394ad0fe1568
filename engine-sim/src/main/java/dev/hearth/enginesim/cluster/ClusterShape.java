package dev.hearth.enginesim.cluster;

import dev.hearth.enginesim.engine.EngineCore;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profile;
import dev.hearth.router.tokens.SimTokenizer;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The replicas a comparison runs on: how many, the model and GPU's cost model, and each engine's
 * limits. Every policy in one comparison gets fresh engines of the same shape.
 */
public record ClusterShape(int replicas, Profile profile, EngineLimits limits) {
    public ClusterShape {
        if (replicas < 1 || replicas > 64) {
            throw new IllegalArgumentException("--replicas must be between 1 and 64, was " + replicas);
        }
    }

    /** Fresh, empty engines named r0, r1, ... */
    public List<ClusterSimulator.Replica> engines() {
        return IntStream.range(0, replicas).mapToObj(i -> new ClusterSimulator.Replica(replicaId(i),
                new EngineCore(profile, limits, false, new SimTokenizer(), true))).toList();
    }

    /** The id of replica {@code i}: {@code r0}, {@code r1}, ... */
    public static String replicaId(int i) {
        return "r" + i;
    }

    /** The position of a replica from its id, the inverse of {@link #replicaId}. */
    public static int replicaIndex(String id) {
        return Integer.parseInt(id.substring(1));
    }

    /** The KV capacity of all replicas together, in tokens: what the pooled ceiling may hold. */
    public long pooledTokens() {
        return (long) replicas * limits.kvBlocks() * limits.blockSize();
    }

    public ClusterShape withReplicas(int n) {
        return new ClusterShape(n, profile, limits);
    }

    public ClusterShape withKvBlocks(int blocks) {
        return new ClusterShape(replicas, profile, new EngineLimits(limits.blockSize(), blocks, limits.maxModelLen(),
                limits.maxNumSeqs(), limits.maxNumBatchedTokens()));
    }
}
