package dev.hearth.platform.shared;

import dev.hearth.platform.gateway.SessionDirectory;
import io.lettuce.core.GetExArgs;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Session bindings in Redis, one key per session ({@code hearth:session:DEPLOYMENT:SESSION} holding
 * the replica id) with the bindings' time to live, refreshed on every read ({@code GETEX}), so a
 * conversation bound on one gateway continues on the same replica through any other. The first
 * binding wins ({@code SET NX}) when two gateways see a conversation's first turn at once; a
 * binding replaces another only when that one's replica left. When Redis returns after an outage
 * (perhaps empty: it need keep nothing on disk) the gateway writes back, NX, the live bindings it
 * made or used, so conversations stay put and one bound meanwhile elsewhere keeps that binding.
 */
public final class RedisSessions implements SessionDirectory {
    private record Session(String deployment, String session) {}

    private record Known(String replica, long usedMillis) {}

    private final RedisLink redis;
    private final Duration ttl;
    private final Map<Session, Known> known = new ConcurrentHashMap<>();
    private final Map<Session, String> pending = new ConcurrentHashMap<>();

    public RedisSessions(RedisLink redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
        redis.onReturn(this::reconcile);
    }

    @Override
    public String replicaOf(String deployment, String session) {
        byte[] bytes = redis.call(c -> c.getex(key(deployment, session), GetExArgs.Builder.ex(ttl)), null);
        if (bytes == null) {
            return null;
        }
        String replica = new String(bytes, StandardCharsets.UTF_8);
        remember(new Session(deployment, session), replica);
        return replica;
    }

    @Override
    public void bound(String deployment, String session, String replica, boolean replacing) {
        SetArgs args = replacing ? SetArgs.Builder.ex(ttl) : SetArgs.Builder.nx().ex(ttl);
        String done = redis.call(c -> {
            c.set(key(deployment, session), replica.getBytes(StandardCharsets.UTF_8), args);
            return "ok";
        }, null);
        Session s = new Session(deployment, session);
        remember(s, replica);
        if (done == null) {
            pending.put(s, replica);
        }
    }

    /** Bindings this gateway relies on, kept for one TTL after their last use, to write back after an outage. */
    private void remember(Session s, String replica) {
        long now = System.currentTimeMillis();
        known.put(s, new Known(replica, now));
        if (known.size() % 4_096 == 0) {
            known.values().removeIf(k -> now - k.usedMillis() > ttl.toMillis());
        }
    }

    /** Live bindings written back, unless another gateway bound the session meanwhile. */
    private void reconcile() {
        long now = System.currentTimeMillis();
        for (Map.Entry<Session, Known> k : Map.copyOf(known).entrySet()) {
            long left = ttl.toMillis() - (now - k.getValue().usedMillis());
            if (left <= 0) {
                known.remove(k.getKey(), k.getValue());
                pending.remove(k.getKey());
                continue;
            }
            String done = redis.call(c -> {
                c.set(key(k.getKey().deployment(), k.getKey().session()),
                        k.getValue().replica().getBytes(StandardCharsets.UTF_8), SetArgs.Builder.nx().px(left));
                return "ok";
            }, null);
            if (done == null) {
                return; // away again: the next return tries them all again
            }
            pending.remove(k.getKey());
        }
    }

    /** Bindings made while Redis was away, not yet written. */
    public int pending() {
        return pending.size();
    }

    /** Session ids are the client's: long ones are hashed so keys stay small. */
    static String key(String deployment, String session) {
        String id = session.length() <= 128 ? session : sha256(session);
        return "hearth:session:" + deployment + ":" + id;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
