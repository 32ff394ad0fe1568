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
 * binding replaces another only when that one's replica left. Bindings made while Redis is away
 * live in the router alone and are written (NX) when it returns.
 */
public final class RedisSessions implements SessionDirectory {
    private record Pending(String deployment, String session) {}

    private final RedisLink redis;
    private final Duration ttl;
    private final Map<Pending, String> pending = new ConcurrentHashMap<>();

    public RedisSessions(RedisLink redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
        redis.onReturn(this::reconcile);
    }

    @Override
    public String replicaOf(String deployment, String session) {
        byte[] replica = redis.call(c -> c.getex(key(deployment, session), GetExArgs.Builder.ex(ttl)), null);
        return replica == null ? null : new String(replica, StandardCharsets.UTF_8);
    }

    @Override
    public void bound(String deployment, String session, String replica, boolean replacing) {
        SetArgs args = replacing ? SetArgs.Builder.ex(ttl) : SetArgs.Builder.nx().ex(ttl);
        String done = redis.call(c -> {
            c.set(key(deployment, session), replica.getBytes(StandardCharsets.UTF_8), args);
            return "ok";
        }, null);
        if (done == null) {
            pending.put(new Pending(deployment, session), replica);
        }
    }

    /** Bindings made while Redis was away, written unless another gateway bound the session meanwhile. */
    private void reconcile() {
        for (Map.Entry<Pending, String> p : Map.copyOf(pending).entrySet()) {
            String done = redis.call(c -> {
                c.set(key(p.getKey().deployment(), p.getKey().session()), p.getValue().getBytes(StandardCharsets.UTF_8),
                        SetArgs.Builder.nx().ex(ttl));
                return "ok";
            }, null);
            if (done == null) {
                return; // away again: the next return tries the rest
            }
            pending.remove(p.getKey(), p.getValue());
        }
    }

    /** Bindings waiting for Redis to return. */
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
