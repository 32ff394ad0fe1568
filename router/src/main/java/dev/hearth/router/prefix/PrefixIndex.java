package dev.hearth.router.prefix;

import java.util.Arrays;

/**
 * Which replicas are believed to hold which prompt blocks. A block is named by its chained hash
 * ({@link BlockHasher}), so a hit on block i implies the whole prefix up to i; a request's cached
 * prefix on a replica is the run of its leading blocks that replica holds.
 *
 * <p>Layout, for speed and a small footprint (the routing benchmark measures both):
 * <ul>
 *   <li>an open-addressing table (linear probing, backward-shift deletion) maps a block hash to a
 *       64-bit mask of the replica slots holding it, so matching a prompt costs one probe per block
 *       and an AND of masks;</li>
 *   <li>each (block, replica) pair is a node in that replica's LRU list (intrusive, over int
 *       arrays) and in a short chain of the block's nodes. Each replica has a capacity, normally its
 *       engine's KV block count: recording past it forgets the replica's least recently used block,
 *       as the engine itself would have evicted it (vllm/v1/core/block_pool.py).</li>
 * </ul>
 * Not thread-safe; callers serialise access. At most {@value #MAX_REPLICAS} replica slots.
 */
public final class PrefixIndex {
    public static final int MAX_REPLICAS = 64;
    private static final int NONE = -1;
    private static final double MAX_LOAD = 0.75;

    // The table: masks[slot] == 0 marks an empty slot.
    private long[] keys;
    private long[] masks;
    private int[] heads; // first node of the block's chain
    private int size;

    // Nodes: one per (block, replica).
    private long[] nodeHash;
    private int[] nodePrev;
    private int[] nodeNext;
    private int[] nodeSibling;
    private byte[] nodeReplica;
    private int nodeCount;
    private int freeNode = NONE;
    private int liveNodes;

    // Per replica slot: its LRU list (head is the oldest) and bounds.
    private final int[] lruHead = new int[MAX_REPLICAS];
    private final int[] lruTail = new int[MAX_REPLICAS];
    private final int[] count = new int[MAX_REPLICAS];
    private final int[] capacity = new int[MAX_REPLICAS];

    public PrefixIndex() {
        this(1 << 10);
    }

    /** {@code expectedEntries} sizes the arrays up front; they grow as needed. */
    public PrefixIndex(int expectedEntries) {
        int tableSize = Integer.highestOneBit(Math.max(16, (int) (expectedEntries / MAX_LOAD)) - 1) << 1;
        keys = new long[tableSize];
        masks = new long[tableSize];
        heads = new int[tableSize];
        int nodes = Math.max(16, expectedEntries);
        nodeHash = new long[nodes];
        nodePrev = new int[nodes];
        nodeNext = new int[nodes];
        nodeSibling = new int[nodes];
        nodeReplica = new byte[nodes];
        Arrays.fill(lruHead, NONE);
        Arrays.fill(lruTail, NONE);
    }

    /** Sets how many blocks replica {@code slot} can hold; shrinking evicts its oldest blocks now. */
    public void setCapacity(int slot, int blocks) {
        checkSlot(slot);
        if (blocks < 0) {
            throw new IllegalArgumentException("capacity must be at least 0, was " + blocks);
        }
        capacity[slot] = blocks;
        while (count[slot] > blocks) {
            evictOldest(slot);
        }
    }

    public int capacity(int slot) {
        return capacity[slot];
    }

    /** Blocks currently indexed for replica {@code slot}. */
    public int blocks(int slot) {
        return count[slot];
    }

    /** Indexed (block, replica) pairs. */
    public int entries() {
        return liveNodes;
    }

    /** Distinct blocks indexed. */
    public int distinctBlocks() {
        return size;
    }

    /** Bytes held by the index's arrays, the figure the benchmark reports per entry. */
    public long bytes() {
        long table = (long) keys.length * (8 + 8 + 4);
        long nodes = (long) nodeHash.length * (8 + 4 + 4 + 4 + 1);
        return table + nodes + 4L * 4 * MAX_REPLICAS;
    }

    /**
     * Records that replica {@code slot} holds the first {@code n} blocks of {@code hashes}, as after
     * routing a request there or on a KV event. The leading blocks become the most recently used,
     * so a shared prefix outlives the tails that hang off it (vLLM frees a request's blocks tail first).
     */
    public void record(int slot, long[] hashes, int n) {
        checkSlot(slot);
        if (capacity[slot] == 0) {
            return;
        }
        for (int i = Math.min(n, hashes.length) - 1; i >= 0; i--) {
            touch(slot, hashes[i]);
        }
    }

    /** Records one block for replica {@code slot} as most recently used. */
    public void touch(int slot, long hash) {
        checkSlot(slot);
        if (capacity[slot] == 0) {
            return;
        }
        int at = find(hash);
        if (at >= 0 && (masks[at] & (1L << slot)) != 0) {
            int node = nodeOf(at, slot);
            unlinkLru(slot, node);
            appendLru(slot, node);
            return;
        }
        if (count[slot] >= capacity[slot]) {
            evictOldest(slot);
            at = find(hash); // the eviction may have shifted the table
        }
        if (at < 0) {
            at = insertKey(hash);
        }
        int node = newNode(hash, slot);
        nodeSibling[node] = heads[at];
        heads[at] = node;
        masks[at] |= 1L << slot;
        appendLru(slot, node);
        count[slot]++;
        liveNodes++;
    }

    /** Forgets one block of one replica (a KV BlockRemoved event). Unknown blocks are ignored. */
    public void remove(int slot, long hash) {
        checkSlot(slot);
        int at = find(hash);
        if (at < 0 || (masks[at] & (1L << slot)) == 0) {
            return;
        }
        removeNode(at, slot);
    }

    /** Forgets every block of replica {@code slot}: it left, turned unhealthy, or cleared its cache. */
    public void clear(int slot) {
        checkSlot(slot);
        while (count[slot] > 0) {
            evictOldest(slot);
        }
    }

    /**
     * For each replica slot, how many leading blocks of {@code hashes} it holds: {@code matched[slot]}
     * is set for every slot in {@code candidates} (a bit mask) and left alone for the others.
     */
    public void match(long[] hashes, int n, long candidates, int[] matched) {
        long alive = candidates;
        int i = 0;
        for (; i < n && alive != 0; i++) {
            int at = find(hashes[i]);
            long holding = at < 0 ? 0 : masks[at] & alive;
            long dropped = alive & ~holding;
            while (dropped != 0) {
                int s = Long.numberOfTrailingZeros(dropped);
                matched[s] = i;
                dropped &= dropped - 1;
            }
            alive = holding;
        }
        while (alive != 0) {
            int s = Long.numberOfTrailingZeros(alive);
            matched[s] = i;
            alive &= alive - 1;
        }
    }

    /** Replica slots holding {@code hash}, as a bit mask. */
    public long holders(long hash) {
        int at = find(hash);
        return at < 0 ? 0 : masks[at];
    }

    private static void checkSlot(int slot) {
        if (slot < 0 || slot >= MAX_REPLICAS) {
            throw new IllegalArgumentException("replica slot must be in 0.." + (MAX_REPLICAS - 1) + ", was " + slot);
        }
    }

    // --- the table ---

    private int home(long hash) {
        long h = hash * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32) & (keys.length - 1);
    }

    private int find(long hash) {
        int m = keys.length - 1;
        for (int at = home(hash); ; at = (at + 1) & m) {
            if (masks[at] == 0) {
                return -1;
            }
            if (keys[at] == hash) {
                return at;
            }
        }
    }

    private int insertKey(long hash) {
        if (size + 1 > keys.length * MAX_LOAD) {
            resize(keys.length * 2);
        }
        int m = keys.length - 1;
        int at = home(hash);
        while (masks[at] != 0) {
            at = (at + 1) & m;
        }
        keys[at] = hash;
        heads[at] = NONE;
        size++;
        return at; // the caller sets the mask, which marks the slot used
    }

    private void resize(int newLength) {
        long[] oldKeys = keys;
        long[] oldMasks = masks;
        int[] oldHeads = heads;
        keys = new long[newLength];
        masks = new long[newLength];
        heads = new int[newLength];
        int m = newLength - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldMasks[i] != 0) {
                int at = home(oldKeys[i]);
                while (masks[at] != 0) {
                    at = (at + 1) & m;
                }
                keys[at] = oldKeys[i];
                masks[at] = oldMasks[i];
                heads[at] = oldHeads[i];
            }
        }
    }

    /** Backward-shift deletion (Knuth, TAOCP vol. 3, 6.4 Algorithm R): no tombstones. */
    private void deleteSlot(int at) {
        int m = keys.length - 1;
        int hole = at;
        for (int next = (hole + 1) & m; masks[next] != 0; next = (next + 1) & m) {
            int want = home(keys[next]);
            // Move the entry back if its home is not cyclically within (hole, next].
            if (((next - want) & m) >= ((next - hole) & m)) {
                keys[hole] = keys[next];
                masks[hole] = masks[next];
                heads[hole] = heads[next];
                hole = next;
            }
        }
        masks[hole] = 0;
        size--;
    }

    // --- nodes and LRU lists ---

    private int nodeOf(int at, int slot) {
        for (int n = heads[at]; n != NONE; n = nodeSibling[n]) {
            if (nodeReplica[n] == slot) {
                return n;
            }
        }
        throw new IllegalStateException("mask and chain disagree for slot " + slot);
    }

    private int newNode(long hash, int slot) {
        int n;
        if (freeNode != NONE) {
            n = freeNode;
            freeNode = nodeNext[n];
        } else {
            if (nodeCount == nodeHash.length) {
                int grown = nodeCount + (nodeCount >> 1);
                nodeHash = Arrays.copyOf(nodeHash, grown);
                nodePrev = Arrays.copyOf(nodePrev, grown);
                nodeNext = Arrays.copyOf(nodeNext, grown);
                nodeSibling = Arrays.copyOf(nodeSibling, grown);
                nodeReplica = Arrays.copyOf(nodeReplica, grown);
            }
            n = nodeCount++;
        }
        nodeHash[n] = hash;
        nodeReplica[n] = (byte) slot;
        return n;
    }

    private void evictOldest(int slot) {
        int node = lruHead[slot];
        removeNode(find(nodeHash[node]), slot);
    }

    private void removeNode(int at, int slot) {
        int prev = NONE;
        int n = heads[at];
        while (nodeReplica[n] != slot) {
            prev = n;
            n = nodeSibling[n];
        }
        if (prev == NONE) {
            heads[at] = nodeSibling[n];
        } else {
            nodeSibling[prev] = nodeSibling[n];
        }
        unlinkLru(slot, n);
        count[slot]--;
        liveNodes--;
        nodeNext[n] = freeNode;
        freeNode = n;
        masks[at] &= ~(1L << slot);
        if (masks[at] == 0) {
            deleteSlot(at);
        }
    }

    private void appendLru(int slot, int node) {
        nodePrev[node] = lruTail[slot];
        nodeNext[node] = NONE;
        if (lruTail[slot] == NONE) {
            lruHead[slot] = node;
        } else {
            nodeNext[lruTail[slot]] = node;
        }
        lruTail[slot] = node;
    }

    private void unlinkLru(int slot, int node) {
        int p = nodePrev[node];
        int x = nodeNext[node];
        if (p == NONE) {
            lruHead[slot] = x;
        } else {
            nodeNext[p] = x;
        }
        if (x == NONE) {
            lruTail[slot] = p;
        } else {
            nodePrev[x] = p;
        }
    }
}
