package dev.hearth.enginesim.kv;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class BlockPoolTest {
    private static final int BS = 4;

    /** Allocates {@code n} blocks, caches them under {@code hashes}, and returns their ids. */
    private static int[] fill(BlockPool pool, long... hashes) {
        int[] blocks = new int[hashes.length];
        for (int i = 0; i < hashes.length; i++) {
            blocks[i] = pool.allocate();
            assertTrue(blocks[i] >= 0);
        }
        pool.cache(blocks, hashes, 0, hashes.length, new int[hashes.length * BS], null);
        return blocks;
    }

    @Test
    void evictsTheLeastRecentlyFreedBlockFirst() {
        BlockPool pool = new BlockPool(4, BS, false);
        int[] a = fill(pool, 10, 11);
        int[] b = fill(pool, 20, 21);
        pool.release(a, 2); // freed first: evicted first
        pool.release(b, 2);
        assertEquals(4, pool.freeBlocks());
        assertEquals(4, pool.cachedBlocks(), "freed blocks stay cached until reused");

        pool.allocate();
        // a is freed tail first, so its last block (11) is the least recently freed of a's two blocks.
        assertFalse(pool.isCached(11));
        assertTrue(pool.isCached(10) && pool.isCached(20) && pool.isCached(21));
        pool.allocate();
        assertFalse(pool.isCached(10));
        assertTrue(pool.isCached(20) && pool.isCached(21));
    }

    @Test
    void reusingACachedBlockMakesItRecentlyUsed() {
        BlockPool pool = new BlockPool(3, BS, false);
        int[] a = fill(pool, 1);
        int[] b = fill(pool, 2);
        int[] c = fill(pool, 3);
        pool.release(a, 1);
        pool.release(b, 1);
        pool.release(c, 1);
        int again = pool.acquireCached(1); // a hit on the oldest block
        pool.release(new int[] {again}, 1);
        pool.allocate();
        assertTrue(pool.isCached(1), "the block just reused must not be the one evicted");
        assertFalse(pool.isCached(2));
    }

    @Test
    void neverEvictsABlockInUse() {
        BlockPool pool = new BlockPool(3, BS, false);
        int[] held = fill(pool, 7, 8, 9);
        assertEquals(-1, pool.allocate(), "no free block: allocation fails rather than evicting");
        assertTrue(pool.isCached(7) && pool.isCached(8) && pool.isCached(9));
        int shared = pool.acquireCached(8);
        assertEquals(2, pool.refCount(shared));
        pool.release(held, 3);
        assertEquals(2, pool.freeBlocks(), "8 is still held by the second reference");
        pool.allocate();
        pool.allocate();
        assertEquals(-1, pool.allocate());
        assertTrue(pool.isCached(8));
    }

    @Test
    void largerWorkloadThanCapacityKeepsOnlyTheMostRecent() {
        BlockPool pool = new BlockPool(8, BS, false);
        for (long h = 0; h < 100; h++) {
            int[] b = fill(pool, h);
            pool.release(b, 1);
        }
        assertEquals(8, pool.cachedBlocks());
        for (long h = 92; h < 100; h++) {
            assertTrue(pool.isCached(h), "recent hash " + h);
        }
        assertFalse(pool.isCached(91));
    }

    @Test
    void emitsStoredAndRemovedEventsAndClearsOnlyWhenIdle() {
        BlockPool pool = new BlockPool(2, BS, true);
        int[] blocks = {pool.allocate(), pool.allocate()};
        int[] tokens = {1, 2, 3, 4, 5, 6, 7, 8};
        pool.cache(blocks, new long[] {100, 200}, 0, 1, tokens, "salty");
        pool.cache(blocks, new long[] {100, 200}, 1, 2, tokens, "salty");
        List<KvEvent> events = pool.drainEvents();
        assertEquals(2, events.size());
        KvEvent.BlockStored first = (KvEvent.BlockStored) events.get(0);
        KvEvent.BlockStored second = (KvEvent.BlockStored) events.get(1);
        assertArrayEquals(new long[] {100}, first.blockHashes());
        assertNull(first.parentBlockHash());
        assertEquals("salty", first.firstBlockSalt());
        assertNull(((KvEvent.BlockStored) events.get(1)).firstBlockSalt(), "only a first block carries the salt");
        assertArrayEquals(new int[] {1, 2, 3, 4}, first.tokenIds());
        assertEquals(100L, second.parentBlockHash());
        assertArrayEquals(new int[] {5, 6, 7, 8}, second.tokenIds());

        assertFalse(pool.reset(), "blocks in use: no reset");
        pool.release(blocks, 2);
        pool.allocate();
        assertInstanceOf(KvEvent.BlockRemoved.class, pool.drainEvents().get(0));
        assertThrows(IllegalStateException.class, () -> pool.release(new int[] {blocks[0]}, 1));
    }
}
