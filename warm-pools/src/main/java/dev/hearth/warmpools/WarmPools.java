package dev.hearth.warmpools;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Nodepools and their nodes: replicas lease nodes, warm capacity is kept, spill-over pools are
 * pre-warmed, and a pool that cannot provide is failed over. The cluster-overprovisioning pattern of
 * Kubernetes' cluster autoscaler (its FAQ, "How can I configure overprovisioning"): placeholder
 * workloads of low priority hold warm nodes, and a replica takes one at once, without waiting for
 * provisioning. Everything runs on the given {@link Clock} and advances in {@link #tick()}, so
 * tests and the benchmark run it in simulated time.
 */
public final class WarmPools {
    /** How long things wait: warm nodes beyond targets, a pool that refused, a node that never came up. */
    public record Settings(Duration cooldown, Duration unavailableFor, Duration provisionTimeout) {
        public static Settings standard() {
            return new Settings(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(20));
        }
    }

    /** A replica's claim on a node: where, whether the node was warm when taken, the pools it may use. */
    public record Lease(String replica, String node, String pool, boolean warm, long since, List<String> pools) {}

    private static final int EVENTS_KEPT = 1_000;

    private final Clock clock;
    private final Map<String, NodeProvider> providers;
    private final Settings settings;
    private final Map<String, NodePool> pools = new LinkedHashMap<>();
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Map<String, Lease> leases = new LinkedHashMap<>();
    private final Map<String, Long> unavailableUntil = new HashMap<>();
    private final Map<String, Integer> surge = new HashMap<>();
    private final Map<String, Map<NodeState, Long>> nodeMillis = new HashMap<>();
    private final Map<String, Long> failovers = new HashMap<>();
    private final Deque<PoolEvent> events = new ArrayDeque<>();
    private long accountedUntil;
    private int nextNode;

    public WarmPools(Clock clock, Map<String, NodeProvider> providers, Settings settings) {
        this.clock = clock;
        this.providers = Map.copyOf(providers);
        this.settings = settings;
        this.accountedUntil = clock.millis();
    }

    // ---- pools -----------------------------------------------------------------------------------

    /** Adds or changes a pool; its nodes follow its new targets at the next tick. */
    public synchronized void put(NodePool pool) {
        if (!providers.containsKey(pool.provider())) {
            throw new IllegalArgumentException("pool " + pool.name() + ": unknown provider '" + pool.provider()
                    + "'; known: " + providers.keySet().stream().sorted().toList());
        }
        NodePool old = pools.put(pool.name(), pool);
        event(pool.name(), null, old == null ? "PoolCreated" : "PoolUpdated", describe(pool));
    }

    /** Removes a pool with no replica on it; its warm nodes go. */
    public synchronized void remove(String name) {
        require(name);
        long busy = nodes.values().stream().filter(n -> n.pool().equals(name) && n.replica() != null).count();
        if (busy > 0) {
            throw new IllegalStateException("pool " + name + " has " + busy + " replica(s) on it; move or delete them first");
        }
        for (Node n : List.copyOf(nodes.values())) {
            if (n.pool().equals(name)) {
                terminate(n, "the pool was removed");
            }
        }
        pools.remove(name);
        event(name, null, "PoolRemoved", "");
    }

    public synchronized List<NodePool> pools() {
        return pools.values().stream().sorted(Comparator.comparingInt(NodePool::priority).thenComparing(NodePool::name))
                .toList();
    }

    public synchronized NodePool pool(String name) {
        return pools.get(name);
    }

    /** The pool's nodes that are not terminated. */
    public synchronized List<Node> nodes(String pool) {
        return nodes.values().stream().filter(n -> n.pool().equals(pool) && n.state() != NodeState.TERMINATED).toList();
    }

    public synchronized Map<NodeState, Integer> countByState(String pool) {
        Map<NodeState, Integer> out = new EnumMap<>(NodeState.class);
        for (NodeState s : NodeState.values()) {
            out.put(s, 0);
        }
        nodes(pool).forEach(n -> out.merge(n.state(), 1, Integer::sum));
        return out;
    }

    // ---- leases ----------------------------------------------------------------------------------

    /**
     * A node for {@code replica} from {@code poolNames}, tried in priority order: a warm node is
     * taken at once (its placeholder evicted); else a new node is asked for in the first pool that
     * has room and does not refuse. A pool that refuses is skipped for a while and counted as a
     * failover. Throws when no pool can provide.
     */
    public synchronized Lease acquire(String replica, List<String> poolNames) throws CapacityException {
        if (leases.containsKey(replica)) {
            return leases.get(replica);
        }
        List<NodePool> order = ordered(poolNames);
        return place(replica, order, poolNames);
    }

    private Lease place(String replica, List<NodePool> order, List<String> poolNames) throws CapacityException {
        long now = clock.millis();
        for (NodePool p : order) {
            Node warm = firstWarm(p.name());
            if (warm != null) {
                return take(replica, warm, poolNames, now);
            }
        }
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            NodePool p = order.get(i);
            if (!available(p, now)) {
                refusals.add(p.name() + ": unavailable after a failure");
                continue;
            }
            if (liveCount(p.name()) >= p.maxNodes()) {
                refusals.add(p.name() + ": at max_nodes " + p.maxNodes());
                continue;
            }
            try {
                Node n = provision(p, replica, now);
                Lease lease = new Lease(replica, n.id(), p.name(), false, now, List.copyOf(poolNames));
                leases.put(replica, lease);
                if (i > 0) {
                    event(p.name(), n.id(), "SpilledOver", replica + " placed on " + p.name() + ": " + String.join("; ", refusals));
                }
                return lease;
            } catch (CapacityException e) {
                refuse(p, e.getMessage(), now);
                refusals.add(p.name() + ": " + e.getMessage());
            }
        }
        throw new CapacityException("no pool can provide a node for " + replica + " (" + String.join("; ", refusals) + ")");
    }

    private Lease take(String replica, Node warm, List<String> poolNames, long now) {
        NodePool p = pools.get(warm.pool());
        providers.get(p.provider()).allocate(p, warm.id(), replica);
        set(warm.to(NodeState.ALLOCATED, now, replica));
        Lease lease = new Lease(replica, warm.id(), p.name(), true, now, List.copyOf(poolNames));
        leases.put(replica, lease);
        event(p.name(), warm.id(), "WarmNodeTaken", replica + " evicted the placeholder: no provisioning wait");
        return lease;
    }

    /** The replica's lease; it may move to another node when its first one fails. Null when it has none. */
    public synchronized Lease lease(String replica) {
        return leases.get(replica);
    }

    /** Whether the replica's node is up and its own. */
    public synchronized boolean ready(String replica) {
        Lease l = leases.get(replica);
        Node n = l == null ? null : nodes.get(l.node());
        return n != null && n.state() == NodeState.ALLOCATED;
    }

    /** The replica is being drained off its node. */
    public synchronized void draining(String replica) {
        Lease l = leases.get(replica);
        Node n = l == null ? null : nodes.get(l.node());
        if (n != null && n.state() == NodeState.ALLOCATED) {
            set(n.to(NodeState.DRAINING, clock.millis(), replica));
        }
    }

    /** The replica is gone: its node is warm again when its pool wants more warm nodes, else it goes. */
    public synchronized void release(String replica) {
        Lease l = leases.remove(replica);
        Node n = l == null ? null : nodes.get(l.node());
        if (n == null || n.state() == NodeState.TERMINATED) {
            return;
        }
        NodePool p = pools.get(n.pool());
        long now = clock.millis();
        if (n.state() == NodeState.PROVISIONING) {
            set(n.to(NodeState.PROVISIONING, now, null)); // comes up as warm capacity; tick trims it
            return;
        }
        if (p != null && warmCount(p.name()) < wantWarm(p)) {
            providers.get(p.provider()).hold(p, n.id());
            set(n.to(NodeState.WARM, now, null));
            event(p.name(), n.id(), "NodeWarm", replica + " left; a placeholder holds the node again");
            handOverWarmNodes(now);
        } else {
            terminate(n, replica + " left and the pool has warm nodes enough");
        }
    }

    // ---- time ------------------------------------------------------------------------------------

    /** Moves everything on to the clock's now: nodes come up or fail, targets are kept, spill-over is warmed. */
    public synchronized void tick() {
        long now = clock.millis();
        account(now);
        for (Node n : List.copyOf(nodes.values())) {
            if (n.state() != NodeState.PROVISIONING) {
                continue;
            }
            NodePool p = pools.get(n.pool());
            NodeProvider.Status s = providers.get(p.provider()).status(p, n.id(), now);
            if (s == NodeProvider.Status.UP) {
                up(p, n, now);
            } else if (s == NodeProvider.Status.FAILED || now - n.since() > settings.provisionTimeout().toMillis()) {
                failed(p, n, now, s == NodeProvider.Status.FAILED ? "the provider reports it failed"
                        : "not up within " + settings.provisionTimeout().toMinutes() + " min");
            }
        }
        handOverWarmNodes(now);
        spillOver(now);
        keepTargets(now);
    }

    private void up(NodePool p, Node n, long now) {
        NodeProvider provider = providers.get(p.provider());
        if (n.replica() != null) {
            provider.allocate(p, n.id(), n.replica());
            set(n.to(NodeState.ALLOCATED, now, n.replica()));
            event(p.name(), n.id(), "NodeReady", "up for " + n.replica());
        } else {
            provider.hold(p, n.id());
            set(n.to(NodeState.WARM, now, null));
            event(p.name(), n.id(), "NodeWarm", "up; a placeholder holds it");
        }
    }

    private void failed(NodePool p, Node n, long now, String why) {
        terminate(n, "failed: " + why);
        if (liveCount(p.name()) == 0) { // all its nodes failed: the pool cannot provide
            refuse(p, "node " + n.id() + " " + why + " and no node of the pool is left", now);
        }
        if (n.replica() != null) { // the replica waits elsewhere
            Lease old = leases.remove(n.replica());
            try {
                Lease moved = place(n.replica(), ordered(old.pools()), old.pools());
                event(moved.pool(), moved.node(), "ReplicaMoved", n.replica() + " moved from " + p.name() + " (" + why + ")");
            } catch (CapacityException e) {
                event(p.name(), n.id(), "ReplicaUnplaced", n.replica() + ": " + e.getMessage());
            }
        }
    }

    /** A replica still waiting for a new node takes a warm one that has come up meanwhile. */
    private void handOverWarmNodes(long now) {
        for (Lease l : List.copyOf(leases.values())) {
            Node waiting = nodes.get(l.node());
            if (waiting == null || waiting.state() != NodeState.PROVISIONING) {
                continue;
            }
            for (NodePool p : ordered(l.pools())) {
                Node warm = firstWarm(p.name());
                if (warm != null) {
                    set(waiting.to(NodeState.PROVISIONING, waiting.since(), null)); // becomes warm capacity
                    leases.remove(l.replica());
                    take(l.replica(), warm, l.pools(), now);
                    break;
                }
            }
        }
    }

    /**
     * When a pool's allocated share passes its spill-over threshold, the next pool by priority warms
     * as many nodes as the first had headroom; when it falls back, that extra goes after the cool-down.
     */
    private void spillOver(long now) {
        List<NodePool> order = pools();
        for (int i = 0; i + 1 < order.size(); i++) {
            NodePool p = order.get(i);
            NodePool next = order.get(i + 1);
            long allocated = nodes(p.name()).stream().filter(n -> n.replica() != null).count();
            boolean over = allocated >= Math.ceil(p.maxNodes() * p.spillOver()) || !available(p, now);
            int extra = over ? p.spillHeadroom() : 0;
            Integer before = surge.put(next.name(), extra);
            if (before == null || before != extra) {
                if (extra > 0) {
                    event(next.name(), null, "PreWarming", p.name() + " is at " + allocated + " of " + p.maxNodes()
                            + (available(p, now) ? " (spill-over " + p.spillOver() + ")" : " and unavailable")
                            + "; warming " + extra + " node(s) here");
                } else if (before != null && before > 0) {
                    event(next.name(), null, "PreWarmEnded", p.name() + " is back under its spill-over share");
                }
            }
        }
    }

    /** Minimum nodes and warm targets are kept; warm nodes beyond them go after the cool-down. */
    private void keepTargets(long now) {
        for (NodePool p : pools()) {
            if (!available(p, now)) {
                continue;
            }
            int want = wantWarm(p);
            long spare = nodes(p.name()).stream().filter(n -> n.replica() == null
                    && (n.state() == NodeState.WARM || n.state() == NodeState.PROVISIONING)).count();
            while ((spare < want || liveCount(p.name()) < p.minNodes()) && liveCount(p.name()) < p.maxNodes()) {
                try {
                    provision(p, null, now);
                    spare++;
                } catch (CapacityException e) {
                    refuse(p, e.getMessage(), now);
                    break;
                }
            }
            List<Node> warm = nodes(p.name()).stream().filter(n -> n.state() == NodeState.WARM)
                    .sorted(Comparator.comparingLong(Node::since)).toList();
            long excess = warm.size() - want;
            for (Node n : warm) {
                if (excess <= 0 || liveCount(p.name()) <= p.minNodes()) {
                    break;
                }
                if (now - n.since() >= settings.cooldown().toMillis()) {
                    terminate(n, "warm beyond the pool's target for " + settings.cooldown().toMinutes() + " min");
                    excess--;
                }
            }
        }
    }

    // ---- accounting ------------------------------------------------------------------------------

    /** Node-milliseconds spent in each state by the pool's nodes so far (warm ones are the price of speed). */
    public synchronized Map<NodeState, Long> nodeMillis(String pool) {
        account(clock.millis());
        return Map.copyOf(nodeMillis.getOrDefault(pool, Map.of()));
    }

    /** Times a replica went to a later pool because an earlier one could not provide. */
    public synchronized long failovers(String pool) {
        return failovers.getOrDefault(pool, 0L);
    }

    public synchronized List<PoolEvent> events(int limit) {
        List<PoolEvent> all = new ArrayList<>(events);
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    private void account(long now) {
        long span = now - accountedUntil;
        if (span <= 0) {
            return;
        }
        for (Node n : nodes.values()) {
            if (n.state() != NodeState.TERMINATED) {
                nodeMillis.computeIfAbsent(n.pool(), k -> new EnumMap<>(NodeState.class)).merge(n.state(), span, Long::sum);
            }
        }
        accountedUntil = now;
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private List<NodePool> ordered(List<String> poolNames) {
        List<NodePool> out = new ArrayList<>();
        for (String name : poolNames) {
            out.add(require(name));
        }
        out.sort(Comparator.comparingInt(NodePool::priority));
        return out;
    }

    private NodePool require(String name) {
        NodePool p = pools.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no nodepool named " + name + "; known: " + pools.keySet());
        }
        return p;
    }

    private Node provision(NodePool p, String replica, long now) throws CapacityException {
        String id = p.name() + "-n" + nextNode++;
        providers.get(p.provider()).provision(p, id, now);
        Node n = new Node(id, p.name(), NodeState.PROVISIONING, now, replica);
        set(n);
        event(p.name(), id, "NodeProvisioning", replica == null ? "for warm capacity" : "for " + replica);
        return n;
    }

    private void refuse(NodePool p, String why, long now) {
        boolean was = available(p, now);
        unavailableUntil.put(p.name(), now + settings.unavailableFor().toMillis());
        failovers.merge(p.name(), 1L, Long::sum);
        if (was) {
            event(p.name(), null, "PoolUnavailable", why + "; new nodes go to the next pool for "
                    + settings.unavailableFor().toMinutes() + " min");
        }
    }

    private boolean available(NodePool p, long now) {
        return now >= unavailableUntil.getOrDefault(p.name(), Long.MIN_VALUE);
    }

    private Node firstWarm(String pool) {
        return nodes.values().stream().filter(n -> n.pool().equals(pool) && n.state() == NodeState.WARM).findFirst()
                .orElse(null);
    }

    private int wantWarm(NodePool p) {
        return Math.min(p.maxNodes(), p.warmTarget() + surge.getOrDefault(p.name(), 0));
    }

    private long warmCount(String pool) {
        return nodes(pool).stream().filter(n -> n.state() == NodeState.WARM).count();
    }

    private long liveCount(String pool) {
        return nodes(pool).size();
    }

    private void terminate(Node n, String why) {
        NodePool p = pools.get(n.pool());
        if (p != null) {
            providers.get(p.provider()).terminate(p, n.id());
        }
        set(n.to(NodeState.TERMINATED, clock.millis(), null));
        nodes.remove(n.id());
        event(n.pool(), n.id(), "NodeTerminated", why);
    }

    private void set(Node n) {
        nodes.put(n.id(), n);
    }

    private void event(String pool, String node, String reason, String message) {
        events.addLast(new PoolEvent(clock.millis(), pool, node, reason, message));
        while (events.size() > EVENTS_KEPT) {
            events.removeFirst();
        }
    }

    private static String describe(NodePool p) {
        return p.provider() + " " + p.instanceType() + ", " + p.gpusPerNode() + " x " + p.gpuKind() + " per node, "
                + p.minNodes() + ".." + p.maxNodes() + " nodes, warm " + p.warmTarget() + ", priority " + p.priority();
    }
}
