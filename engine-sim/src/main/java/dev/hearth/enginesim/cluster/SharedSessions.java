package dev.hearth.enginesim.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * Session bindings as the gateways share them in Redis: a gateway looks a session up before routing
 * its request and adopts the binding it finds ({@code Router.adoptSession}); a session it finds
 * unbound it writes where its router placed it. The first gateway to place a conversation binds it
 * for all. Bindings do not expire here: the one-hour TTL outlives every conversation in the traces.
 */
final class SharedSessions {
    private final Map<String, String> replicaOf = new HashMap<>();

    /** The replica a session is bound to, or null. */
    String boundTo(String session) {
        return replicaOf.get(session);
    }

    /** Binds a session that was unbound. */
    void bind(String session, String replica) {
        replicaOf.putIfAbsent(session, replica);
    }
}
