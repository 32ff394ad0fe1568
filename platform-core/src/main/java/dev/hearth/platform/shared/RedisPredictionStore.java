package dev.hearth.platform.shared;

import dev.hearth.router.cache.PredictionStore;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Optional;

/**
 * The prediction cache in Redis, shared by every gateway pointed at the same server:
 * {@code SET key value EX ttl} and {@code GET key} under a key prefix, over the gateway's
 * {@link RedisLink}. Redis being down never fails a request: a failure is a miss (and a put not
 * stored), and {@link #available()} reports it for metrics.
 */
public final class RedisPredictionStore implements PredictionStore {
    private static final String PREFIX = "hearth:prediction:";

    private final RedisLink redis;
    private final Duration ttl;

    public RedisPredictionStore(RedisLink redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(redis.call(c -> c.get(PREFIX + key), null));
    }

    @Override
    public void put(String key, byte[] value) {
        redis.call(c -> c.set(PREFIX + key, value, SetArgs.Builder.ex(ttl.toSeconds())), null);
    }

    @Override
    public long size() {
        return -1;
    }

    @Override
    public boolean available() {
        return redis.available();
    }

    @Override
    public void close() {
        // the link is the gateway's, closed with the rest of what it shares
    }
}
