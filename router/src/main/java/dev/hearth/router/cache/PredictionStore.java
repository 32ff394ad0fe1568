package dev.hearth.router.cache;

import java.util.Optional;

/**
 * Where answers to repeated requests are kept, by their key (a SHA-256 of tenant, model, version
 * and the canonical request). Implementations never throw on a failed store: a cache that cannot
 * answer is a miss, so no request fails because of the cache.
 */
public interface PredictionStore extends AutoCloseable {
    Optional<byte[]> get(String key);

    void put(String key, byte[] value);

    /** Entries held (approximate for remote stores; -1 when unknown). */
    long size();

    /** Bytes the entries take (keys and values; -1 when unknown, as for a remote store). */
    default long bytes() {
        return -1;
    }

    /** Whether the store is answering now (a remote store may be down). */
    default boolean available() {
        return true;
    }

    @Override
    default void close() {}
}
