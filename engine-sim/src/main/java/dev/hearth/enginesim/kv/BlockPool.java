package dev.hearth.enginesim.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The paged KV cache of one engine with automatic prefix caching, after vLLM's
 * vllm/v1/core/block_pool.py and kv_cache_utils.py (FreeKVCacheBlockQueue):
 * <ul>
 *   <li>a fixed number of blocks, each with a reference count of the running requests using it;</li>
 *   <li>a free queue in eviction order: a block whose count drops to zero goes to the tail,
 *       allocation takes from the head, so the least recently used free block goes first;</li>
 *   <li>a map from block hash to the block holding it; a free block keeps its hash (and so
 *       stays reusable) until allocation evicts it, which emits {@link KvEvent.BlockRemoved}.</li>
 * </ul>
 * Not thread-safe: one engine loop owns it.
 */
public final class BlockPool {
    private static final int NONE = -1;

    private final int numBlocks;
    private final int blockSize;
    private final int[] refCount;
    private final long[] hash;
    private final boolean[] hashed;
    // The free queue: an intrusive doubly linked list over block ids; head is evicted first.
    private final int[] prev;
    private final int[] next;
    private int head = NONE;
    private int tail = NONE;
    private int freeCount;
    private final Map<Long, Integer> cached = new HashMap<>();
    private final List<KvEvent> events = new ArrayList<>();
    private final boolean recordEvents;

    public BlockPool(int numBlocks, int blockSize, boolean recordEvents) {
        if (numBlocks < 1 || blockSize < 1) {
            throw new IllegalArgumentException("need at least one block of at least one token");
        }
        this.numBlocks = numBlocks;
        this.blockSize = blockSize;
        this.recordEvents = recordEvents;
        refCount = new int[numBlocks];
        hash = new long[numBlocks];
        hashed = new boolean[numBlocks];
        prev = new int[numBlocks];
        next = new int[numBlocks];
        for (int b = 0; b < numBlocks; b++) {
            append(b);
        }
    }

    public int numBlocks() {
        return numBlocks;
    }

    public int blockSize() {
        return blockSize;
    }

    public int freeBlocks() {
        return freeCount;
    }

    /** Share of blocks held by running requests: vLLM's kv_cache_usage (cached free blocks count as free). */
    public double usage() {
        return 1.0 - (double) freeCount / numBlocks;
    }

    public int cachedBlocks() {
        return cached.size();
    }

    public boolean isCached(long blockHash) {
        return cached.containsKey(blockHash);
    }

    /** How many of the leading {@code hashes} (at most {@code limit}) are cached, stopping at the first miss. */
    public int cachedPrefixLength(long[] hashes, int limit) {
        int n = Math.min(limit, hashes.length);
        for (int i = 0; i < n; i++) {
            if (!cached.containsKey(hashes[i])) {
                return i;
            }
        }
        return n;
    }

    /** Takes a reference on the block caching {@code blockHash}; returns its id. The hash must be cached. */
    public int acquireCached(long blockHash) {
        int b = cached.get(blockHash);
        if (refCount[b] == 0) {
            unlink(b);
        }
        refCount[b]++;
        return b;
    }

    /** A fresh block for new tokens, evicting the least recently freed one; {@code -1} when all are in use. */
    public int allocate() {
        int b = head;
        if (b == NONE) {
            return NONE;
        }
        unlink(b);
        if (hashed[b]) {
            cached.remove(hash[b]);
            hashed[b] = false;
            if (recordEvents) {
                events.add(new KvEvent.BlockRemoved(new long[] {hash[b]}));
            }
        }
        refCount[b] = 1;
        return b;
    }

    /**
     * Registers the full blocks {@code blocks[from..to)} of one request under their hashes, emitting one
     * {@link KvEvent.BlockStored}. A hash already held by another block stays with that block.
     */
    public void cache(int[] blocks, long[] hashes, int from, int to, int[] tokens, String salt) {
        if (from >= to) {
            return;
        }
        for (int i = from; i < to; i++) {
            int b = blocks[i];
            if (!cached.containsKey(hashes[i])) {
                cached.put(hashes[i], b);
                hash[b] = hashes[i];
                hashed[b] = true;
            }
        }
        if (recordEvents) {
            long[] stored = java.util.Arrays.copyOfRange(hashes, from, to);
            int[] ids = java.util.Arrays.copyOfRange(tokens, from * blockSize, to * blockSize);
            events.add(new KvEvent.BlockStored(stored, from == 0 ? null : hashes[from - 1], ids, blockSize,
                    from == 0 ? salt : null));
        }
    }

    /** Drops one reference on each block; blocks are freed tail first so a request's last blocks are evicted first. */
    public void release(int[] blocks, int count) {
        for (int i = count - 1; i >= 0; i--) {
            int b = blocks[i];
            if (--refCount[b] == 0) {
                append(b);
            } else if (refCount[b] < 0) {
                throw new IllegalStateException("block " + b + " released more often than acquired");
            }
        }
    }

    /** Forgets every cached hash; only possible when no block is in use, as in vLLM's reset_prefix_cache. */
    public boolean reset() {
        if (freeCount != numBlocks) {
            return false;
        }
        cached.clear();
        java.util.Arrays.fill(hashed, false);
        if (recordEvents) {
            events.add(new KvEvent.AllBlocksCleared());
        }
        return true;
    }

    /** Events since the last call, in order; the caller publishes them as one batch. */
    public List<KvEvent> drainEvents() {
        if (events.isEmpty()) {
            return List.of();
        }
        List<KvEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    public int refCount(int block) {
        return refCount[block];
    }

    private void append(int b) {
        prev[b] = tail;
        next[b] = NONE;
        if (tail == NONE) {
            head = b;
        } else {
            next[tail] = b;
        }
        tail = b;
        freeCount++;
    }

    private void unlink(int b) {
        if (prev[b] == NONE) {
            head = next[b];
        } else {
            next[prev[b]] = next[b];
        }
        if (next[b] == NONE) {
            tail = prev[b];
        } else {
            prev[next[b]] = prev[b];
        }
        freeCount--;
    }
}
