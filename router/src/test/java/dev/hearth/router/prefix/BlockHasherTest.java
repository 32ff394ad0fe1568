package dev.hearth.router.prefix;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlockHasherTest {
    private final BlockHasher hasher = new BlockHasher(16);

    private static int[] tokens(int n, int seed) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = seed * 1_000 + i;
        }
        return t;
    }

    @Test
    void onlyFullBlocksAreHashed() {
        assertEquals(0, hasher.hashes(tokens(15, 1), null).length);
        assertEquals(2, hasher.hashes(tokens(47, 1), null).length);
        assertEquals(3, hasher.hashes(tokens(48, 1), null).length);
    }

    @Test
    void aChangeInOneBlockChangesItAndEveryLaterBlockOnly() {
        int[] a = tokens(64, 1);
        int[] b = a.clone();
        b[20] = 7; // inside block 1
        long[] ha = hasher.hashes(a, null);
        long[] hb = hasher.hashes(b, null);
        assertEquals(ha[0], hb[0]);
        for (int i = 1; i < 4; i++) {
            assertNotEquals(ha[i], hb[i], "block " + i);
        }
    }

    @Test
    void equalBlocksUnderDifferentParentsHashDifferently() {
        int[] a = tokens(32, 1);
        int[] b = a.clone();
        System.arraycopy(tokens(16, 2), 0, b, 0, 16); // same second block, other first block
        assertNotEquals(hasher.hashes(a, null)[1], hasher.hashes(b, null)[1]);
    }

    @Test
    void saltsSeparateEveryBlockAndNoSaltEqualsEmptySalt() {
        int[] t = tokens(64, 3);
        long[] plain = hasher.hashes(t, null);
        long[] salted = hasher.hashes(t, "tenant-a");
        long[] other = hasher.hashes(t, "tenant-b");
        assertArrayEquals(plain, hasher.hashes(t, ""));
        for (int i = 0; i < plain.length; i++) {
            assertNotEquals(plain[i], salted[i]);
            assertNotEquals(salted[i], other[i]);
        }
        assertArrayEquals(salted, hasher.hashes(t, "tenant-a"));
    }

    @Test
    void noCollisionsOverManyBlocks() {
        Set<Long> seen = new HashSet<>();
        for (int seed = 0; seed < 2_000; seed++) {
            for (long h : hasher.hashes(tokens(160, seed), null)) {
                assertTrue(seen.add(h));
            }
        }
        assertEquals(20_000, seen.size());
    }

    @Test
    void prefixLengthVariantMatchesAPrefixOfTheFullHashes() {
        int[] t = tokens(100, 4);
        assertArrayEquals(Arrays.copyOf(hasher.hashes(t, "s"), 3), hasher.hashes(t, 50, "s"));
        assertThrows(IllegalArgumentException.class, () -> new BlockHasher(0));
    }
}
