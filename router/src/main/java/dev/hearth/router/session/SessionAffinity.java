package dev.hearth.router.session;

import java.util.HashMap;
import java.util.Map;

/**
 * Keeps a conversation on the replica that holds its history. The router places a session's first
 * request with its policy, as any request (so the conversation starts where its system prompt is
 * cached and load is lightest) and binds the session there; later requests stay while that replica
 * is usable, and overflow without moving the binding otherwise. A binding moves only when its
 * replica leaves ({@link #removeReplica}); bindings expire after {@code ttlMillis} unused. The same
 * shape as sticky sessions in llm-d's session-affinity scorer and SGLang's router, with Hearth's
 * load bound on top. Thread-safe.
 */
public final class SessionAffinity {
    private record Binding(int slot, long lastUsed) {}

    private final long ttlMillis;
    private final Map<String, Binding> bindings = new HashMap<>();
    private long moves;

    public SessionAffinity(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    /** The replica a session is bound to and has used within the TTL, or -1. */
    public synchronized int boundTo(String session, long nowMillis) {
        Binding b = bindings.get(session);
        return b == null || nowMillis - b.lastUsed() > ttlMillis ? -1 : b.slot();
    }

    /** Binds a session to the replica its first request was placed on. */
    public synchronized void bind(String session, int slot, long nowMillis) {
        bindings.put(session, new Binding(slot, nowMillis));
    }

    /** Marks a session used now, so its binding lives another TTL. */
    public synchronized void touch(String session, long nowMillis) {
        bindings.computeIfPresent(session, (k, b) -> new Binding(b.slot(), nowMillis));
    }

    /** Unbinds every session bound to a replica that left (and only those); their next request is placed afresh. */
    public synchronized void removeReplica(int slot) {
        int before = bindings.size();
        bindings.values().removeIf(b -> b.slot() == slot);
        moves += before - bindings.size();
    }

    /** Drops bindings unused for longer than the TTL, so abandoned sessions do not hold memory; returns how many. */
    public synchronized int expire(long nowMillis) {
        int before = bindings.size();
        bindings.values().removeIf(b -> nowMillis - b.lastUsed() > ttlMillis);
        return before - bindings.size();
    }

    /** Every session bound and used within the TTL, with its replica's slot. */
    public synchronized Map<String, Integer> bound(long nowMillis) {
        Map<String, Integer> out = new HashMap<>();
        bindings.forEach((session, b) -> {
            if (nowMillis - b.lastUsed() <= ttlMillis) {
                out.put(session, b.slot());
            }
        });
        return out;
    }

    public synchronized int sessions() {
        return bindings.size();
    }

    /** Sessions moved because their replica left, since start. */
    public synchronized long moves() {
        return moves;
    }
}
