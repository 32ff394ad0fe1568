package dev.hearth.router.prefix;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PrefixIndexTest {
    private static final long ALL = -1L;

    @Test
    void matchCountsLeadingBlocksPerReplica() {
        PrefixIndex index = new PrefixIndex();
        index.setCapacity(0, 100);
        index.setCapacity(1, 100);
        index.setCapacity(2, 100);
        long[] prompt = {11, 12, 13, 14, 15};
        index.record(0, prompt, 5);
        index.record(1, prompt, 2);
        index.touch(2, 12); // holds block 1 but not block 0: no usable prefix
        int[] matched = new int[PrefixIndex.MAX_REPLICAS];
        index.match(prompt, 5, 0b111L, matched);
        assertArrayEquals(new int[] {5, 2, 0}, java.util.Arrays.copyOf(matched, 3));
        matched[3] = 77;
        index.match(prompt, 5, 0b011L, matched);
        assertEquals(77, matched[3], "slots outside the candidates are left alone");
    }

    @Test
    void capacityForgetsTheLeastRecentlyUsedAndKeepsSharedPrefixesLongest() {
        PrefixIndex index = new PrefixIndex();
        index.setCapacity(0, 6);
        long[] a = {1, 2, 3, 4};
        long[] b = {1, 2, 7, 8};
        index.record(0, a, 4);
        index.record(0, b, 4); // shares 1,2; 7,8 new: 6 blocks held
        assertEquals(6, index.blocks(0));
        index.record(0, new long[] {20, 21}, 2); // 2 over capacity: a's tail (4, then 3) goes first
        assertEquals(0, index.holders(4));
        assertEquals(0, index.holders(3));
        assertEquals(1L, index.holders(1), "the shared prefix was touched last, so it stays");
        assertEquals(6, index.blocks(0));
        index.setCapacity(0, 2);
        assertEquals(2, index.blocks(0));
        assertEquals(1L, index.holders(20));
    }

    @Test
    void removeAndClearForgetExactlyTheirReplica() {
        PrefixIndex index = new PrefixIndex();
        index.setCapacity(0, 10);
        index.setCapacity(5, 10);
        index.record(0, new long[] {1, 2, 3}, 3);
        index.record(5, new long[] {1, 2, 3}, 3);
        index.remove(0, 2);
        assertEquals(1L << 5, index.holders(2));
        index.remove(0, 99); // unknown: ignored
        index.clear(5);
        assertEquals(0, index.holders(2));
        assertEquals(1L, index.holders(1));
        assertEquals(2, index.entries());
        assertEquals(2, index.distinctBlocks());
        assertThrows(IllegalArgumentException.class, () -> index.touch(64, 1));
    }

    /** Random operations against a plain model: sets per replica with access-ordered LRU. */
    @Test
    void agreesWithASimpleModelUnderRandomOperations() {
        SplittableRandom random = new SplittableRandom(3);
        PrefixIndex index = new PrefixIndex(16); // start tiny: exercise growth and shifting
        List<LinkedHashMap<Long, Boolean>> model = new ArrayList<>();
        int[] caps = new int[8];
        for (int r = 0; r < 8; r++) {
            caps[r] = 50 + random.nextInt(400);
            index.setCapacity(r, caps[r]);
            model.add(new LinkedHashMap<>(16, 0.75f, true));
        }
        for (int op = 0; op < 200_000; op++) {
            int r = random.nextInt(8);
            long hash = random.nextInt(3_000) * 0x9E3779B97F4A7C15L; // collisions in the table's home slots
            int kind = random.nextInt(10);
            LinkedHashMap<Long, Boolean> m = model.get(r);
            if (kind < 7) {
                index.touch(r, hash);
                m.put(hash, true);
                if (m.size() > caps[r]) {
                    m.remove(m.keySet().iterator().next());
                }
            } else if (kind < 9) {
                index.remove(r, hash);
                m.remove(hash);
            } else if (random.nextInt(200) == 0) {
                index.clear(r);
                m.clear();
            }
        }
        Map<Long, Long> expected = new HashMap<>();
        int pairs = 0;
        for (int r = 0; r < 8; r++) {
            assertEquals(model.get(r).size(), index.blocks(r), "replica " + r);
            pairs += model.get(r).size();
            for (long h : model.get(r).keySet()) {
                expected.merge(h, 1L << r, (a, b) -> a | b);
            }
        }
        assertEquals(pairs, index.entries());
        assertEquals(expected.size(), index.distinctBlocks());
        for (long i = 0; i < 3_000; i++) {
            long h = i * 0x9E3779B97F4A7C15L;
            assertEquals(expected.getOrDefault(h, 0L), index.holders(h), "holders of block " + i);
        }
        // And LRU order: evicting by shrinking removes what the model says is oldest.
        int r = 0;
        List<Long> order = new ArrayList<>(model.get(r).keySet());
        index.setCapacity(r, order.size() / 2);
        for (int i = 0; i < order.size(); i++) {
            boolean kept = (index.holders(order.get(i)) & 1L) != 0;
            assertEquals(i >= order.size() - order.size() / 2, kept, "entry " + i + " of " + order.size());
        }
    }

    @Test
    void zeroCapacityIndexesNothing() {
        PrefixIndex index = new PrefixIndex();
        index.record(3, new long[] {1, 2}, 2);
        assertEquals(0, index.entries());
        int[] matched = new int[PrefixIndex.MAX_REPLICAS];
        index.match(new long[] {1, 2}, 2, ALL, matched);
        assertEquals(0, matched[3]);
    }
}
