package dev.hearth.enginesim.cluster;

import dev.hearth.enginesim.workload.TraceRequest;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * The ceiling any router is measured against: one prefix cache holding every replica's KV capacity
 * together, evicting least recently used blocks, that sees every request. A request reuses its
 * leading blocks that are present (a prefix cache cannot use a block after a missing one), then all
 * its blocks are stored. Capacity is counted in tokens, so a trace's partial last blocks take only
 * what they hold. A request's blocks are touched from its last to its first, so its tail is evicted
 * before its prefix, as vLLM's free-block queue does (vllm/v1/core/block_pool.py frees a request's
 * blocks in reverse order). With no capacity limit it is the trace's own reuse, the figure the
 * trace's README gives (0.3664 for Mooncake's conversation trace, counted in blocks).
 */
public final class PooledCache {
    private final long capacityTokens;
    private final LinkedHashMap<Long, Integer> tokensOfBlock = new LinkedHashMap<>(1 << 16, 0.75f, true);
    private long held;
    private long promptBlocks;
    private long hitBlocks;
    private long promptTokens;
    private long hitTokens;

    /** A cache of {@code capacityTokens} tokens; {@link Long#MAX_VALUE} for no limit. */
    public PooledCache(long capacityTokens) {
        if (capacityTokens <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacityTokens = capacityTokens;
    }

    public static PooledCache unlimited() {
        return new PooledCache(Long.MAX_VALUE);
    }

    /** Serves one trace request: counts its reused leading blocks and tokens, then stores all its blocks. */
    public int serve(TraceRequest r) {
        return serve(r.blockIds(), r.blockSize(), r.inputLength());
    }

    /**
     * Serves one prompt of {@code tokens} tokens whose leading blocks of {@code blockSize} have the
     * chained keys {@code ids} (a partial last block may have a key, as in traces, or none, as engines hash).
     */
    public int serve(long[] ids, int blockSize, int tokens) {
        int hit = 0;
        while (hit < ids.length && tokensOfBlock.containsKey(ids[hit])) {
            hit++;
        }
        for (int i = 0; i < hit; i++) {
            hitTokens += size(i, blockSize, tokens);
        }
        for (int i = ids.length - 1; i >= 0; i--) {
            Integer before = tokensOfBlock.put(ids[i], size(i, blockSize, tokens)); // touches the reused, stores the rest
            held += size(i, blockSize, tokens) - (before == null ? 0 : before);
        }
        for (Iterator<Integer> eldest = tokensOfBlock.values().iterator(); held > capacityTokens && eldest.hasNext(); ) {
            held -= eldest.next();
            eldest.remove();
        }
        promptBlocks += ids.length;
        hitBlocks += hit;
        promptTokens += tokens;
        return hit;
    }

    private static int size(int block, int blockSize, int tokens) {
        return (int) Math.min(blockSize, tokens - (long) block * blockSize);
    }

    /** Reused prompt tokens over all prompt tokens. */
    public double tokenHitRatio() {
        return promptTokens == 0 ? 0 : (double) hitTokens / promptTokens;
    }

    /** Reused prompt blocks over all prompt blocks, as the trace's README counts. */
    public double blockHitRatio() {
        return promptBlocks == 0 ? 0 : (double) hitBlocks / promptBlocks;
    }
}
