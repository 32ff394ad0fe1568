package dev.hearth.router.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;

/**
 * The embedded default: a Caffeine cache (W-TinyLFU admission, ben-manes/caffeine) bounded by the
 * bytes of its values, each entry living at most {@code ttl}.
 */
public final class MemoryPredictionStore implements PredictionStore {
    private final Cache<String, byte[]> cache;

    public MemoryPredictionStore(long maxBytes, Duration ttl) {
        if (maxBytes <= 0 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the prediction cache needs a positive size and TTL");
        }
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String k, byte[] v) -> k.length() + v.length)
                .expireAfterWrite(ttl)
                .build();
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    @Override
    public void put(String key, byte[] value) {
        cache.put(key, value);
    }

    @Override
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    @Override
    public long bytes() {
        return cache.policy().eviction().map(e -> e.weightedSize().orElse(-1)).orElse(-1L);
    }
}
