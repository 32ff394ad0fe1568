package dev.hearth.router.cache;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns concurrent identical misses into one engine call: the first caller for a key leads and
 * later ones wait on its outcome. The leader completes with the answer, or with null when it got
 * none worth sharing (a failure, a cut-off stream), and then each waiter goes to the engine itself.
 */
public final class Coalescer {
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> inFlight = new ConcurrentHashMap<>();

    /** A claim on a key: {@code leader} must call {@link #complete}; others wait on {@code outcome}. */
    public record Claim(boolean leader, CompletableFuture<byte[]> outcome) {}

    public Claim claim(String key) {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> existing = inFlight.putIfAbsent(key, mine);
        return existing == null ? new Claim(true, mine) : new Claim(false, existing);
    }

    /** The leader's outcome (null for none); releases the key. */
    public void complete(String key, byte[] value) {
        CompletableFuture<byte[]> f = inFlight.remove(key);
        if (f != null) {
            f.complete(value);
        }
    }

    public int inFlight() {
        return inFlight.size();
    }
}
