package dev.hearth.router.policy;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * SGLang router's {@code cache_aware} policy, as sgl-model-gateway/src/policies/cache_aware.rs
 * decides (after PR 14650, December 2025: a miss goes to the least loaded replica):
 * <ol>
 *   <li>if the router's own in-flight counts are imbalanced, {@code max - min > balanceAbs} and
 *       {@code max > min * balanceRel}, the least loaded replica, and its text is still inserted;</li>
 *   <li>else the longest match of the request text in an approximate radix tree of text routed to
 *       each replica: if matched characters / text characters > {@code cacheThreshold}, that replica;</li>
 *   <li>else the least loaded replica; the text is inserted under whichever replica was chosen.</li>
 * </ol>
 * Defaults are those the launcher gives (sglang_router/router_args.py): cache threshold 0.3,
 * balance 64 absolute and 1.5 relative, each replica's tree held to 2^26 characters, evicted every
 * 120 s. Comparisons are in 32-bit floats as upstream. Load is the router's in-flight count only.
 */
public final class SglangCacheAware implements RoutingPolicy {
    private final TextRadixTree tree = new TextRadixTree();
    private final float cacheThreshold;
    private final int balanceAbs;
    private final float balanceRel;
    private final long maxTreeChars;
    private final long evictionIntervalMs;
    private final LongSupplier clockMs;
    private long lastEviction;

    public SglangCacheAware(LongSupplier clockMs) {
        this(0.3f, 64, 1.5f, 1L << 26, 120_000, clockMs);
    }

    public SglangCacheAware(float cacheThreshold, int balanceAbs, float balanceRel, long maxTreeChars,
                            long evictionIntervalMs, LongSupplier clockMs) {
        this.cacheThreshold = cacheThreshold;
        this.balanceAbs = balanceAbs;
        this.balanceRel = balanceRel;
        this.maxTreeChars = maxTreeChars;
        this.evictionIntervalMs = evictionIntervalMs;
        this.clockMs = clockMs;
        this.lastEviction = clockMs.getAsLong();
    }

    @Override
    public String name() {
        return "sglang-cache-aware";
    }

    @Override
    public synchronized Decision choose(RouteRequest request, List<ReplicaState> replicas) {
        long now = clockMs.getAsLong();
        if (evictionIntervalMs > 0 && now - lastEviction >= evictionIntervalMs) {
            tree.evictBySize(maxTreeChars);
            lastEviction = now;
        }
        for (ReplicaState r : replicas) {
            tree.addTenant(r.slot(), now);
        }
        int[] text = request.text() == null ? new int[0] : request.text().codePoints().toArray();
        int max = Integer.MIN_VALUE;
        int min = Integer.MAX_VALUE;
        ReplicaState leastLoaded = replicas.get(0);
        for (ReplicaState r : replicas) {
            max = Math.max(max, r.inFlight());
            min = Math.min(min, r.inFlight());
            if (r.inFlight() < leastLoaded.inFlight()) {
                leastLoaded = r;
            }
        }
        if (max - min > balanceAbs && (float) max > (float) min * balanceRel) {
            tree.insert(text, leastLoaded.slot(), now);
            return new Decision(leastLoaded.slot(), "imbalanced");
        }
        TextRadixTree.Match match = tree.prefixMatch(text, now);
        float rate = text.length == 0 ? 0f : (float) match.matched() / (float) text.length;
        int chosen = leastLoaded.slot();
        String reason = "least-load";
        if (rate > cacheThreshold && holds(replicas, match.tenant())) {
            chosen = match.tenant();
            reason = "prefix-hit chars=" + match.matched();
        }
        tree.insert(text, chosen, now);
        return new Decision(chosen, reason);
    }

    private static boolean holds(List<ReplicaState> replicas, int slot) {
        for (ReplicaState r : replicas) {
            if (r.slot() == slot) {
                return true;
            }
        }
        return false;
    }

    @Override
    public synchronized void onRemoved(int slot) {
        tree.removeTenant(slot);
    }

    /** Characters held for a replica; for tests. */
    synchronized long treeChars(int slot) {
        return tree.chars(slot);
    }
}
