package dev.hearth.router.session;

import dev.hearth.router.prefix.BlockHasher;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Keeps a conversation on the replica that holds its history. A session's first request is placed
 * by consistent hashing with bounded loads (Mirrokni, Thorup, Zadimoghaddam, SODA 2018): walk the
 * hash ring clockwise from the session's point and take the first replica whose load is within
 * the bound; later requests stay on the bound replica while it is usable (healthy and within its
 * bound) and fall back to the ring otherwise, without moving the binding. A binding moves only when
 * its replica leaves ({@link #removeReplica}). Bindings expire after {@code ttlMillis} unused.
 * Thread-safe.
 */
public final class SessionAffinity {
    private static final int POINTS_PER_REPLICA = 64;

    /** Where a session's request goes: the replica, and whether it is the session's bound one. */
    public record Placement(int slot, boolean bound) {}

    private record Binding(int slot, long lastUsed) {}

    private final long ttlMillis;
    private final Map<String, Binding> bindings = new HashMap<>();
    private long[] ringPoints = new long[0];
    private int[] ringSlots = new int[0];
    private long moves;

    public SessionAffinity(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    /** Puts a replica on the ring (virtual nodes keep shares even). */
    public synchronized void addReplica(int slot, String id) {
        removeFromRing(slot);
        int n = ringPoints.length;
        long[] points = Arrays.copyOf(ringPoints, n + POINTS_PER_REPLICA);
        int[] slots = Arrays.copyOf(ringSlots, n + POINTS_PER_REPLICA);
        for (int v = 0; v < POINTS_PER_REPLICA; v++) {
            points[n + v] = BlockHasher.mix(id.hashCode() * 0x9E3779B97F4A7C15L + v);
            slots[n + v] = slot;
        }
        sortRing(points, slots);
    }

    /** Takes a replica off the ring and moves every session bound to it (and only those). */
    public synchronized void removeReplica(int slot) {
        removeFromRing(slot);
        int moved = 0;
        var it = bindings.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue().slot() == slot) {
                it.remove();
                moved++;
            }
        }
        moves += moved;
    }

    /**
     * The replica for a request of {@code session}. {@code usable} says whether a replica may take
     * it now (healthy and within its load bound); returns null when none may.
     */
    public synchronized Placement place(String session, IntPredicate usable, long nowMillis) {
        Binding b = bindings.get(session);
        if (b != null && nowMillis - b.lastUsed() > ttlMillis) {
            bindings.remove(session);
            b = null;
        }
        if (b != null) {
            if (usable.test(b.slot())) {
                bindings.put(session, new Binding(b.slot(), nowMillis));
                return new Placement(b.slot(), true);
            }
            int overflow = walk(session, usable);
            return overflow < 0 ? null : new Placement(overflow, false); // the binding stays
        }
        int slot = walk(session, usable);
        if (slot < 0) {
            return null;
        }
        bindings.put(session, new Binding(slot, nowMillis));
        return new Placement(slot, true);
    }

    /** Where {@link #place} would put the session now, binding nothing and refreshing nothing. */
    public synchronized Placement peek(String session, IntPredicate usable, long nowMillis) {
        Binding b = bindings.get(session);
        if (b != null && nowMillis - b.lastUsed() <= ttlMillis && usable.test(b.slot())) {
            return new Placement(b.slot(), true);
        }
        int slot = walk(session, usable);
        return slot < 0 ? null : new Placement(slot, b == null || nowMillis - b.lastUsed() > ttlMillis);
    }

    /** The replica a session is bound to, or -1. */
    public synchronized int boundTo(String session) {
        Binding b = bindings.get(session);
        return b == null ? -1 : b.slot();
    }

    /** Drops bindings unused for longer than the TTL, so abandoned sessions do not hold memory; returns how many. */
    public synchronized int expire(long nowMillis) {
        int before = bindings.size();
        bindings.values().removeIf(b -> nowMillis - b.lastUsed() > ttlMillis);
        return before - bindings.size();
    }

    public synchronized int sessions() {
        return bindings.size();
    }

    /** Sessions moved because their replica left, since start. */
    public synchronized long moves() {
        return moves;
    }

    private int walk(String session, IntPredicate usable) {
        if (ringPoints.length == 0) {
            return -1;
        }
        long h = BlockHasher.mix(session.hashCode() * 0xC2B2AE3D27D4EB4FL ^ session.length());
        int i = Arrays.binarySearch(ringPoints, h);
        int start = i >= 0 ? i : -i - 1;
        for (int k = 0; k < ringPoints.length; k++) {
            int slot = ringSlots[(start + k) % ringPoints.length];
            if (usable.test(slot)) {
                return slot;
            }
        }
        return -1;
    }

    private void removeFromRing(int slot) {
        int keep = 0;
        for (int s : ringSlots) {
            if (s != slot) {
                keep++;
            }
        }
        long[] points = new long[keep];
        int[] slots = new int[keep];
        for (int i = 0, j = 0; i < ringSlots.length; i++) {
            if (ringSlots[i] != slot) {
                points[j] = ringPoints[i];
                slots[j++] = ringSlots[i];
            }
        }
        ringPoints = points;
        ringSlots = slots;
    }

    private void sortRing(long[] points, int[] slots) {
        Integer[] order = new Integer[points.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(points[a], points[b]));
        ringPoints = new long[points.length];
        ringSlots = new int[points.length];
        for (int i = 0; i < order.length; i++) {
            ringPoints[i] = points[order[i]];
            ringSlots[i] = slots[order[i]];
        }
    }
}
