package dev.hearth.router;

import dev.hearth.router.policy.CostPolicy;
import dev.hearth.router.policy.Decision;
import dev.hearth.router.policy.ReplicaState;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.policy.RoutingPolicy;
import dev.hearth.router.prefix.PrefixIndex;
import dev.hearth.router.session.SessionAffinity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One routing decision, start to finish, over a set of replicas: the prefix index says how much
 * of the prompt each healthy replica holds; a session's binding wins while its replica is healthy
 * and within the load bound; otherwise the policy chooses. The router counts what it sent each
 * replica (in flight, blocks not yet prefilled, blocks active) and learns cache contents
 * approximately from its own decisions, or precisely from KV events while they flow (a replica
 * whose events stopped for {@code eventsStaleMillis} is learned approximately again).
 * The gateway and the cluster simulator drive this same class. Thread-safe.
 */
public final class Router {
    /**
     * A placed request; hand it back on first token and on finish. {@code learned}: the index took
     * this decision as what the replica now caches (no KV events from it), so other gateways
     * routing to the same replicas should learn it too ({@link #learn}).
     */
    public record Ticket(int slot, String replica, Decision decision, int blocks, int uncachedBlocks, boolean learned) {}

    /** What the router knows of one replica, as metrics and the decision log report it. */
    public record ReplicaInfo(String id, boolean healthy, boolean precise, int inFlight, int waiting, double kvUsage,
                              int indexedBlocks) {}

    /** A candidate as a decision saw it: the prompt's leading blocks it holds, and its load. */
    public record Candidate(String replica, int cachedBlocks, int inFlight, int waiting, double kvUsage, double score) {}

    /** One decision, as the log keeps it and an explanation shows it. */
    public record DecisionRecord(long time, String replica, String reason, int promptTokens, int blocks, int cachedBlocks,
                                 List<Candidate> candidates, String scoring) {}

    /** Decisions kept for the decision log. */
    public static final int LOG_SIZE = 256;

    private static final class Replica {
        final int slot;
        final String id;
        boolean healthy = true;
        boolean draining;
        int inFlight;
        long pendingBlocks;
        long activeBlocks;
        int waiting;
        double kvUsage;
        long lastEventMillis = Long.MIN_VALUE;

        Replica(int slot, String id) {
            this.slot = slot;
            this.id = id;
        }
    }

    private final RoutingPolicy policy;
    private final SessionAffinity affinity;
    private final PrefixIndex index;
    private final double epsilon;
    private final long eventsStaleMillis;
    private final Map<String, Replica> byId = new HashMap<>();
    private final Replica[] bySlot = new Replica[PrefixIndex.MAX_REPLICAS];
    private final int[] matched = new int[PrefixIndex.MAX_REPLICAS];
    private long placementsOverBound;
    private long sessionOverflows;
    private final java.util.ArrayDeque<DecisionRecord> log = new java.util.ArrayDeque<>();
    private long promptBlocksRouted;
    private long cachedBlocksRouted;

    public Router(RoutingPolicy policy, SessionAffinity affinity, PrefixIndex index, double epsilon,
                  long eventsStaleMillis) {
        this.policy = policy;
        this.affinity = affinity;
        this.index = index;
        this.epsilon = epsilon;
        this.eventsStaleMillis = eventsStaleMillis;
    }

    /** A router with Hearth's defaults: the cost policy, epsilon 0.25, one-hour sessions, events stale after 10 s. */
    public static Router withDefaults() {
        return new Router(new CostPolicy(), new SessionAffinity(3_600_000), new PrefixIndex(), 0.25, 10_000);
    }

    public RoutingPolicy policy() {
        return policy;
    }

    /** Adds a replica whose engine holds {@code capacityBlocks} KV blocks; returns its slot. */
    public synchronized int addReplica(String id, int capacityBlocks) {
        if (byId.containsKey(id)) {
            throw new IllegalArgumentException("replica " + id + " is already routed to");
        }
        int slot = 0;
        while (slot < bySlot.length && bySlot[slot] != null) {
            slot++;
        }
        if (slot == bySlot.length) {
            throw new IllegalStateException("at most " + PrefixIndex.MAX_REPLICAS + " replicas per router");
        }
        Replica r = new Replica(slot, id);
        byId.put(id, r);
        bySlot[slot] = r;
        index.setCapacity(slot, capacityBlocks);
        return slot;
    }

    public synchronized void removeReplica(String id) {
        Replica r = require(id);
        forget(r);
        byId.remove(id);
        bySlot[r.slot] = null;
        index.setCapacity(r.slot, 0);
    }

    /**
     * Takes no new requests on the replica, for good, while those in flight keep being counted until
     * they finish (unlike an unhealthy replica, whose counts are dropped): the replica is leaving.
     * Its sessions move at their next request.
     */
    public synchronized void drain(String id) {
        Replica r = require(id);
        if (!r.draining) {
            r.draining = true;
            index.clear(r.slot);
            affinity.removeReplica(r.slot);
            policy.onRemoved(r.slot);
        }
    }

    /** Marks a replica healthy or not. An unhealthy one takes no new requests; what it held is forgotten. */
    public synchronized void setHealthy(String id, boolean healthy) {
        Replica r = require(id);
        if (r.healthy == healthy) {
            return;
        }
        r.healthy = healthy;
        if (!healthy || r.draining) {
            forget(r);
        }
    }

    /** Sets how many blocks the replica's engine holds; the index forgets past that, as the engine evicts. */
    public synchronized void setCapacity(String id, int blocks) {
        index.setCapacity(require(id).slot, blocks);
    }

    /** The engine's own view, from its scraped metrics. */
    public synchronized void engineStats(String id, int waiting, double kvUsage) {
        Replica r = require(id);
        r.waiting = waiting;
        r.kvUsage = kvUsage;
    }

    /** Places a request; null when no replica is healthy. */
    public synchronized Ticket route(RouteRequest request, long nowMillis) {
        return route(request, nowMillis, java.util.Set.of());
    }

    /** Places a request on a healthy replica not in {@code exclude} (those that failed it already); null when none. */
    public synchronized Ticket route(RouteRequest request, long nowMillis, java.util.Set<String> exclude) {
        List<ReplicaState> states = states(request, exclude);
        if (states.isEmpty()) {
            return null;
        }
        Decision decision = sessionDecision(request, states, exclude, nowMillis, true);
        Replica chosen = bySlot[decision.slot()];
        if (chosen.inFlight + chosen.waiting + 1 > CostPolicy.loadBound(states, epsilon)) {
            placementsOverBound++; // only a fallback (everyone full) or a load-blind policy does this
        }
        int uncached = request.blocks() - matched[chosen.slot];
        chosen.inFlight++;
        chosen.pendingBlocks += uncached;
        chosen.activeBlocks += request.blocks();
        boolean learned = !precise(chosen, nowMillis);
        if (learned) {
            index.record(chosen.slot, request.blockHashes(), request.blocks());
        }
        policy.onRouted(request, chosen.slot);
        promptBlocksRouted += request.blocks();
        cachedBlocksRouted += matched[chosen.slot];
        log.addLast(record(nowMillis, request, decision, states));
        if (log.size() > LOG_SIZE) {
            log.removeFirst();
        }
        return new Ticket(chosen.slot, chosen.id, decision, request.blocks(), uncached, learned);
    }

    /** Whether a session may land on a replica now: healthy, staying, not excluded, and within the load bound. */
    private java.util.function.IntPredicate usable(List<ReplicaState> states, java.util.Set<String> exclude) {
        int bound = CostPolicy.loadBound(states, epsilon);
        return slot -> bySlot[slot] != null && bySlot[slot].healthy && !bySlot[slot].draining
                && !exclude.contains(bySlot[slot].id) && bySlot[slot].inFlight + bySlot[slot].waiting + 1 <= bound;
    }

    /** The healthy candidates for a request, each with the prompt's leading blocks it holds (in {@code matched}). */
    private List<ReplicaState> states(RouteRequest request, java.util.Set<String> exclude) {
        List<Replica> healthy = new ArrayList<>();
        long mask = 0;
        for (Replica r : byId.values()) {
            if (r.healthy && !r.draining && !exclude.contains(r.id)) {
                healthy.add(r);
                mask |= 1L << r.slot;
            }
        }
        if (healthy.isEmpty()) {
            return List.of();
        }
        healthy.sort((a, b) -> Integer.compare(a.slot, b.slot));
        index.match(request.blockHashes(), request.blocks(), mask, matched);
        List<ReplicaState> states = new ArrayList<>(healthy.size());
        for (Replica r : healthy) {
            states.add(new ReplicaState(r.slot, r.id, r.inFlight, r.waiting, r.kvUsage, matched[r.slot], r.pendingBlocks,
                    r.activeBlocks, index.blocks(r.slot)));
        }
        return states;
    }

    private DecisionRecord record(long now, RouteRequest request, Decision decision, List<ReplicaState> states) {
        List<Candidate> candidates = new ArrayList<>(states.size());
        double[] scores = policy.scores(request, states);
        for (int i = 0; i < states.size(); i++) {
            ReplicaState s = states.get(i);
            candidates.add(new Candidate(s.id(), s.cachedBlocks(), s.inFlight(), s.waiting(), s.kvUsage(),
                    scores == null ? Double.NaN : scores[i]));
        }
        return new DecisionRecord(now, bySlot[decision.slot()].id, decision.reason(), request.promptTokens(),
                request.blocks(), matched[decision.slot()], candidates, policy.scoring());
    }

    /**
     * Where {@code request} would go now and why, with what every candidate holds, placing nothing:
     * no load is counted, no session bound, nothing learned. (A round-robin or random policy still
     * takes its next turn.) Null when no replica is healthy.
     */
    public synchronized DecisionRecord explain(RouteRequest request, long nowMillis) {
        List<ReplicaState> states = states(request, java.util.Set.of());
        if (states.isEmpty()) {
            return null;
        }
        Decision decision = sessionDecision(request, states, java.util.Set.of(), nowMillis, false);
        return record(nowMillis, request, decision, states);
    }

    /**
     * A session's request stays on its bound replica while that one is usable (healthy, within the
     * load bound). Otherwise the policy places it: a conversation's first request goes where the
     * policy would send any request (its system prompt may be cached there, its load is counted)
     * and the session binds there; an overflow leaves the binding where it is. {@code bind} is false
     * for an explanation, which changes nothing.
     */
    private Decision sessionDecision(RouteRequest request, List<ReplicaState> states, java.util.Set<String> exclude,
                                     long nowMillis, boolean bind) {
        String key = request.sessionKey();
        int bound = key == null ? -1 : affinity.boundTo(key, nowMillis);
        if (bound >= 0 && usable(states, exclude).test(bound)) {
            if (bind) {
                affinity.touch(key, nowMillis);
            }
            return new Decision(bound, "session");
        }
        Decision d = policy.choose(request, states);
        if (bound >= 0) {
            if (bind) {
                sessionOverflows++;
            }
            return new Decision(d.slot(), "session-overflow");
        }
        if (key != null && bind) {
            affinity.bind(key, d.slot(), nowMillis);
        }
        return d;
    }

    /**
     * Another gateway placed a prompt on a replica (its {@link Ticket#learned} decision): learn it as
     * this router's own decisions are learned, unless the replica's KV events already tell the truth.
     * Unknown replicas are ignored (that gateway may know one this one does not yet).
     */
    public synchronized void learn(String id, long[] blockHashes, int blocks, long nowMillis) {
        Replica r = byId.get(id);
        if (r != null && r.healthy && !r.draining && !precise(r, nowMillis)) {
            index.record(r.slot, blockHashes, Math.min(blocks, blockHashes.length));
        }
    }

    /**
     * Binds a session where another gateway bound it, so the conversation stays on one replica
     * whichever gateway its requests reach. Ignored for a replica this router does not route to.
     */
    public synchronized void adoptSession(String session, String id, long nowMillis) {
        Replica r = byId.get(id);
        if (r != null && r.healthy && !r.draining && affinity.boundTo(session, nowMillis) != r.slot) {
            affinity.bind(session, r.slot, nowMillis);
        }
    }

    /**
     * Every live session binding, by session, to the id of its replica: what a gateway saves so that,
     * restarted, it can {@link #adoptSession} them again.
     */
    public synchronized Map<String, String> sessionBindings(long nowMillis) {
        Map<String, String> out = new HashMap<>();
        affinity.bound(nowMillis).forEach((session, slot) -> {
            Replica r = bySlot[slot];
            if (r != null) {
                out.put(session, r.id);
            }
        });
        return out;
    }

    /** The last decisions, oldest first, at most {@code limit}. */
    public synchronized List<DecisionRecord> decisions(int limit) {
        List<DecisionRecord> all = new ArrayList<>(log);
        return List.copyOf(all.subList(Math.max(0, all.size() - limit), all.size()));
    }

    /** The share of routed prompt blocks the chosen replica held, as the router's index estimated it. */
    public synchronized double estimatedHitRatio() {
        return promptBlocksRouted == 0 ? 0 : (double) cachedBlocksRouted / promptBlocksRouted;
    }

    /** Prompt blocks routed so far and those of them the chosen replicas held, as the index estimated it. */
    public record RoutedBlocks(long prompt, long cached) {}

    /** The running totals behind {@link #estimatedHitRatio}, so a reader can take the ratio over an interval. */
    public synchronized RoutedBlocks routedBlocks() {
        return new RoutedBlocks(promptBlocksRouted, cachedBlocksRouted);
    }

    /** The replica produced the first token: its prefill of this request is done. */
    public synchronized void firstToken(Ticket t) {
        Replica r = bySlot[t.slot()];
        if (r != null && r.id.equals(t.replica())) {
            r.pendingBlocks = Math.max(0, r.pendingBlocks - t.uncachedBlocks());
        }
    }

    /** The request ended (success, failure or cancel); call once per ticket, after or without firstToken. */
    public synchronized void finished(Ticket t, boolean sawFirstToken) {
        Replica r = bySlot[t.slot()];
        if (r == null || !r.id.equals(t.replica())) {
            return; // the replica left meanwhile
        }
        r.inFlight = Math.max(0, r.inFlight - 1);
        r.activeBlocks = Math.max(0, r.activeBlocks - t.blocks());
        if (!sawFirstToken) {
            r.pendingBlocks = Math.max(0, r.pendingBlocks - t.uncachedBlocks());
        }
        policy.onFinished(t.slot());
    }

    /** KV event: the replica cached these blocks (keys already in this router's block hashing). */
    public synchronized void blocksStored(String id, long[] hashes, long nowMillis) {
        Replica r = require(id);
        r.lastEventMillis = nowMillis;
        index.record(r.slot, hashes, hashes.length);
    }

    /** KV event: the replica evicted these blocks. */
    public synchronized void blocksRemoved(String id, long[] hashes, long nowMillis) {
        Replica r = require(id);
        r.lastEventMillis = nowMillis;
        for (long h : hashes) {
            index.remove(r.slot, h);
        }
    }

    /** KV event: the replica cleared its whole cache. */
    public synchronized void allCleared(String id, long nowMillis) {
        Replica r = require(id);
        r.lastEventMillis = nowMillis;
        index.clear(r.slot);
    }

    public synchronized List<ReplicaInfo> replicas(long nowMillis) {
        List<ReplicaInfo> out = new ArrayList<>();
        for (Replica r : bySlot) {
            if (r != null) {
                out.add(new ReplicaInfo(r.id, r.healthy, precise(r, nowMillis), r.inFlight, r.waiting, r.kvUsage,
                        index.blocks(r.slot)));
            }
        }
        return out;
    }

    public synchronized int sessions() {
        return affinity.sessions();
    }

    /** Sessions whose bound replica left, so their next request was placed afresh, since start. */
    public synchronized long sessionMoves() {
        return affinity.moves();
    }

    /** A session's requests sent elsewhere for a while because its replica was full, since start. */
    public synchronized long sessionOverflows() {
        return sessionOverflows;
    }

    /** Placements that left a replica above ceil((1+epsilon) x mean load), since start. */
    public synchronized long placementsOverBound() {
        return placementsOverBound;
    }

    private boolean precise(Replica r, long nowMillis) {
        return r.lastEventMillis != Long.MIN_VALUE && nowMillis - r.lastEventMillis <= eventsStaleMillis;
    }

    private void forget(Replica r) {
        index.clear(r.slot);
        affinity.removeReplica(r.slot);
        policy.onRemoved(r.slot);
        r.inFlight = 0;
        r.pendingBlocks = 0;
        r.activeBlocks = 0;
    }

    private Replica require(String id) {
        Replica r = byId.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no replica " + id);
        }
        return r;
    }
}
