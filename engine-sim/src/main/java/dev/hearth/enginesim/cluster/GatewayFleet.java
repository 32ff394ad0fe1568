package dev.hearth.enginesim.cluster;

import dev.hearth.enginesim.kv.KvEvent;
import dev.hearth.router.Router;
import dev.hearth.router.policy.RouteRequest;
import java.util.List;

/**
 * The gateways in front of one set of replicas, each with its own production {@link Router}: a
 * request arrives at one gateway, round-robin over them, as an L4 balancer or a Kubernetes Service
 * spreads connections (per request, the worst case for a conversation; kube-proxy's iptables mode
 * picks at random, evenly on average), and that gateway's router places it and hears its first token
 * and finish, so load counts are per gateway as in production. Every gateway scrapes every engine's
 * metrics. With KV events every router follows every engine's events; without them each router
 * learns from its own decisions, and from the others' when a {@link DecisionBus} shares them.
 * With shared sessions a binding made by one gateway is adopted by the others at the session's
 * next request, as the production lookup in Redis does. One gateway with KV events is
 * {@link ClusterSimulator}'s single router.
 */
public final class GatewayFleet {
    /** Where a request went: the router that placed it, and its ticket for first-token and finish feedback. */
    public record Placement(Router router, Router.Ticket ticket) {}

    private final List<Router> routers;
    private final boolean kvEvents;
    private final DecisionBus bus;
    private final SharedSessions sessions;
    private long arrivals;

    /**
     * {@code bus}: shares learned decisions among exactly these routers, or null for no sharing;
     * {@code shareSessions}: whether a session bound on one gateway is honoured by the others.
     */
    public GatewayFleet(List<Router> routers, boolean kvEvents, DecisionBus bus, boolean shareSessions) {
        if (routers.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway");
        }
        this.routers = List.copyOf(routers);
        this.kvEvents = kvEvents;
        this.bus = bus;
        this.sessions = shareSessions ? new SharedSessions() : null;
    }

    /** One gateway whose router follows the engines' KV events. */
    public static GatewayFleet single(Router router) {
        return new GatewayFleet(List.of(router), true, null, false);
    }

    public List<Router> routers() {
        return routers;
    }

    /** The bus sharing decisions, or null. */
    public DecisionBus bus() {
        return bus;
    }

    void addReplica(String id, int kvBlocks) {
        for (Router r : routers) {
            r.addReplica(id, kvBlocks);
        }
    }

    /** Places a request arriving now at the next gateway in turn, once every batch due by now has been learned. */
    Placement place(RouteRequest request, long nowMillis) {
        if (bus != null) {
            bus.deliverUntil(nowMillis);
        }
        int gateway = (int) (arrivals++ % routers.size());
        Router router = routers.get(gateway);
        String session = request.sessionKey();
        String bound = sessions == null || session == null ? null : sessions.boundTo(session);
        if (bound != null) {
            router.adoptSession(session, bound, nowMillis);
        }
        Router.Ticket ticket = router.route(request, nowMillis);
        if (ticket == null) {
            throw new IllegalStateException("no healthy replica for " + request.promptTokens() + " tokens");
        }
        if (sessions != null && session != null && bound == null) {
            sessions.bind(session, ticket.replica());
        }
        if (bus != null && ticket.learned()) {
            bus.publish(gateway, ticket.replica(), request.blockHashes(), ticket.blocks(), nowMillis);
        }
        return new Placement(router, ticket);
    }

    /** An engine's KV event, to every router when the gateways subscribe to events, else to none. */
    void kvEvent(String replica, KvEvent event, long nowMillis) {
        if (!kvEvents) {
            return;
        }
        for (Router r : routers) {
            switch (event) {
                case KvEvent.BlockStored s -> r.blocksStored(replica, s.blockHashes(), nowMillis);
                case KvEvent.BlockRemoved x -> r.blocksRemoved(replica, x.blockHashes(), nowMillis);
                case KvEvent.AllBlocksCleared c -> r.allCleared(replica, nowMillis);
            }
        }
    }

    /** An engine's scraped metrics, which every gateway reads. */
    void engineStats(String replica, int waiting, double kvUsage) {
        for (Router r : routers) {
            r.engineStats(replica, waiting, kvUsage);
        }
    }
}
