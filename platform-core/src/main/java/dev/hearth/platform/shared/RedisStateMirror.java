package dev.hearth.platform.shared;

import dev.hearth.platform.deployments.StateMirror;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The control plane's saved state copied into one Redis hash ({@code hearth:state}: key to JSON).
 * The last copy of each key is kept here too: a save made while Redis is away is written when it
 * returns, as is everything (it need keep nothing on disk).
 */
public final class RedisStateMirror implements StateMirror {
    static final String HASH = "hearth:state";

    private final RedisLink redis;
    private final Map<String, byte[]> last = new ConcurrentHashMap<>();
    private final Map<String, Boolean> removedUnsent = new ConcurrentHashMap<>();

    public RedisStateMirror(RedisLink redis) {
        this.redis = redis;
        redis.onReturn(this::resend);
    }

    @Override
    public void saved(String key, byte[] json) {
        last.put(key, json);
        removedUnsent.remove(key);
        redis.call(c -> c.hset(HASH, key, json), null);
    }

    @Override
    public void removed(String key) {
        last.remove(key);
        if (redis.call(c -> c.hdel(HASH, key), null) == null) {
            removedUnsent.put(key, Boolean.TRUE);
        }
    }

    @Override
    public Map<String, byte[]> all() {
        return redis.call(c -> c.hgetall(HASH), null);
    }

    /** Only the control plane's own gateway writes; it sends its whole state again after an outage. */
    private void resend() {
        if (!last.isEmpty()) {
            redis.call(c -> c.hset(HASH, Map.copyOf(last)), null);
        }
        for (String key : Map.copyOf(removedUnsent).keySet()) {
            if (redis.call(c -> c.hdel(HASH, key), null) != null) {
                removedUnsent.remove(key);
            }
        }
    }
}
