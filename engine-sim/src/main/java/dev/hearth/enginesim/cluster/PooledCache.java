package dev.hearth.enginesim.cluster;

import dev.hearth.enginesim.workload.TraceRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ceiling any router is measured against: one prefix cache holding every replica's KV capacity
 * together, evicting least recently used blocks, that sees every request. A request reuses its
 * leading blocks that are present (a prefix cache cannot use a block after a missing one), then all
 * its blocks are stored. With no capacity limit it is the trace's own reuse, the figure the trace's
 * README gives (0.3664 for Mooncake's conversation trace, counted in blocks).
 */
public final class PooledCache {
    private final long capacityBlocks;
    private final LinkedHashMap<Long, Boolean> blocks = new LinkedHashMap<>(1 << 16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > capacityBlocks;
        }
    };
    private long promptBlocks;
    private long hitBlocks;
    private long promptTokens;
    private long hitTokens;

    /** A cache of {@code capacityBlocks} trace blocks; {@link Long#MAX_VALUE} for no limit. */
    public PooledCache(long capacityBlocks) {
        if (capacityBlocks <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacityBlocks = capacityBlocks;
    }

    public static PooledCache unlimited() {
        return new PooledCache(Long.MAX_VALUE);
    }

    /** Serves one request: counts its reused leading blocks and tokens, then stores all its blocks. */
    public int serve(TraceRequest r) {
        long[] ids = r.blockIds();
        int hit = 0;
        while (hit < ids.length && blocks.containsKey(ids[hit])) {
            hit++;
        }
        for (int i = 0; i < hit; i++) {
            hitTokens += r.tokensInBlock(i);
        }
        for (long id : ids) {
            blocks.put(id, Boolean.TRUE); // touches the reused ones, stores the rest
        }
        promptBlocks += ids.length;
        hitBlocks += hit;
        promptTokens += r.inputLength();
        return hit;
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
