package dev.hearth.platform.shared;

import dev.hearth.platform.gateway.KeyDirectory;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * API key digests in one Redis hash ({@code hearth:api-keys}: SHA-256 hex to the key's holder,
 * {@code tenant [admin] [share=GROUP]}), so a key
 * added to, or removed from, any gateway's keys file holds at every gateway within a probe
 * interval. Only digests travel and rest in Redis. When Redis returns (perhaps empty: it need keep
 * nothing on disk) each gateway writes its file's keys again and the removals it could not send;
 * meanwhile every gateway keeps the keys it last read.
 */
public final class RedisKeys implements KeyDirectory {
    static final String HASH = "hearth:api-keys";

    private final RedisLink redis;
    private final Map<String, String> mine = new HashMap<>();
    private final Set<String> unsentRemoved = new HashSet<>();
    private boolean unsent;

    public RedisKeys(RedisLink redis) {
        this.redis = redis;
        redis.onReturn(this::republish);
    }

    private synchronized void republish() {
        unsent = true;
        publish(Map.of(), Set.of());
    }

    @Override
    public Map<String, String> all() {
        Map<String, byte[]> raw = redis.call(c -> c.hgetall(HASH), null);
        if (raw == null) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        raw.forEach((digest, tenant) -> out.put(digest, new String(tenant, StandardCharsets.UTF_8)));
        return out;
    }

    @Override
    public synchronized void publish(Map<String, String> added, Set<String> removed) {
        added.forEach((d, t) -> {
            unsentRemoved.remove(d);
            mine.put(d, t);
        });
        removed.forEach(d -> {
            mine.remove(d);
            unsentRemoved.add(d);
        });
        unsent |= !added.isEmpty();
        if (!unsent && unsentRemoved.isEmpty()) {
            return;
        }
        Map<String, byte[]> put = new HashMap<>();
        mine.forEach((d, t) -> put.put(d, t.getBytes(StandardCharsets.UTF_8)));
        String[] gone = unsentRemoved.toArray(String[]::new);
        String done = redis.call(c -> {
            if (!put.isEmpty()) {
                c.hset(HASH, put);
            }
            if (gone.length > 0) {
                c.hdel(HASH, gone);
            }
            return "ok";
        }, null);
        if (done != null) {
            unsent = false;
            unsentRemoved.clear();
        }
    }
}
