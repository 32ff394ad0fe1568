package dev.hearth.router.cache;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PredictionStoreTest {
    @Test
    void memoryStoreIsBoundedByBytes() {
        MemoryPredictionStore store = new MemoryPredictionStore(10_000, Duration.ofMinutes(5));
        for (int i = 0; i < 100; i++) {
            store.put("key-" + i, new byte[1_000]);
        }
        assertTrue(store.size() <= 10, "at most 10 KB of 1 KB values: " + store.size());
        store.put("kept", "answer".getBytes());
        assertArrayEquals("answer".getBytes(), store.get("kept").orElseThrow());
        assertTrue(store.get("never").isEmpty());
        assertThrows(IllegalArgumentException.class, () -> new MemoryPredictionStore(0, Duration.ofSeconds(1)));
    }

    @Test
    void coalescerMakesOneLeaderAndSharesItsAnswer() throws Exception {
        Coalescer c = new Coalescer();
        Coalescer.Claim first = c.claim("k");
        List<Coalescer.Claim> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(c.claim("k"));
        }
        assertTrue(first.leader());
        others.forEach(o -> assertFalse(o.leader()));
        assertTrue(c.claim("other").leader(), "another key has its own leader");
        c.complete("k", "v".getBytes());
        for (Coalescer.Claim o : others) {
            assertArrayEquals("v".getBytes(), o.outcome().get());
        }
        assertTrue(c.claim("k").leader(), "after completion the next miss leads again");
        CompletableFuture<byte[]> failed = c.claim("f").outcome();
        c.complete("f", null);
        assertNull(failed.get(), "a leader without an answer releases waiters to try themselves");
    }
}
