package dev.hearth.enginesim.cluster;

import dev.hearth.enginesim.engine.EngineCore;
import dev.hearth.enginesim.engine.Output;
import dev.hearth.enginesim.engine.Sampling;
import dev.hearth.enginesim.kv.KvEvent;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.Router;
import dev.hearth.router.prefix.BlockHasher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Replays requests against N simulated engines behind one production {@link Router}, in virtual
 * time: every engine keeps its own clock, and the loop always advances whichever comes first, the
 * next arrival or the engine whose step starts earliest, so an hour of traffic replays in seconds.
 * Engines publish KV events as the real ones do and the router's index follows them (precise mode);
 * the engine's own count of cached prompt tokens is what the report calls a hit. Follows the shape of
 * Vidur's cluster simulator (Agrawal et al., MLSys 2024) with vLLM's scheduler as {@link EngineCore}.
 */
public final class ClusterSimulator {
    /** One engine, by the id the router knows it by. */
    public record Replica(String id, EngineCore engine) {}

    /** One request: when it arrives (simulated seconds), its prompt tokens, how many tokens to generate, its session. */
    public record Request(double arrival, String id, int[] prompt, int outputTokens, String sessionKey) {}

    /** What became of a request: where it ran, its time to first token and end to end, and its prompt's cache reuse. */
    public record Completion(String id, String replica, double arrival, double ttft, double e2e, int promptTokens,
                             int cachedTokens) {}

    private final List<Replica> replicas;
    private final Router router;
    private final BlockHasher hasher;
    private final double[] clock;

    public ClusterSimulator(List<Replica> replicas, Router router) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("at least one replica");
        }
        this.replicas = List.copyOf(replicas);
        this.router = router;
        this.hasher = new BlockHasher(replicas.get(0).engine().limits().blockSize());
        this.clock = new double[replicas.size()];
        for (Replica r : replicas) {
            router.addReplica(r.id(), r.engine().limits().kvBlocks());
        }
    }

    /** Runs every request to its end; returns the completions in the order requests finished. */
    public List<Completion> run(Iterator<Request> requests) {
        List<Completion> done = new ArrayList<>();
        Request next = requests.hasNext() ? requests.next() : null;
        while (true) {
            int engine = earliestBusyEngine();
            double engineTime = engine < 0 ? Double.POSITIVE_INFINITY : clock[engine];
            if (next != null && next.arrival() <= engineTime) {
                admit(next, done);
                next = requests.hasNext() ? requests.next() : null;
            } else if (engine >= 0) {
                step(engine);
            } else {
                return done;
            }
        }
    }

    private void admit(Request r, List<Completion> done) {
        long millis = (long) (r.arrival() * 1000);
        RouteRequest route = new RouteRequest(hasher.hashes(r.prompt(), null), r.prompt().length, hasher.blockSize(), null,
                r.sessionKey());
        Router.Ticket ticket = router.route(route, millis);
        int slot = index(ticket.replica());
        EngineCore engine = replicas.get(slot).engine();
        if (engine.idle()) {
            clock[slot] = Math.max(clock[slot], r.arrival()); // an idle engine waits for work; a busy one queues it
        }
        boolean[] first = {true}; // the listener holds its request's ticket: no lookup by id
        engine.submit(r.id(), r.prompt(), null, Sampling.maxTokens(r.outputTokens()), (Output o) -> {
            if (first[0]) {
                first[0] = false;
                router.firstToken(ticket);
            }
            if (o.finish() != null) {
                router.finished(ticket, true);
                done.add(new Completion(o.requestId(), ticket.replica(), o.arrival(), o.ttft(), o.time() - o.arrival(),
                        o.promptTokens(), o.cachedTokens()));
            }
        }, r.arrival());
    }

    private void step(int slot) {
        Replica replica = replicas.get(slot);
        EngineCore.StepResult step = replica.engine().step(clock[slot]);
        if (step.idle()) {
            return;
        }
        clock[slot] += step.duration();
        long millis = (long) (clock[slot] * 1000);
        for (KvEvent e : step.events()) {
            switch (e) {
                case KvEvent.BlockStored s -> router.blocksStored(replica.id(), s.blockHashes(), millis);
                case KvEvent.BlockRemoved r -> router.blocksRemoved(replica.id(), r.blockHashes(), millis);
                case KvEvent.AllBlocksCleared c -> router.allCleared(replica.id(), millis);
            }
        }
        step.deliveries().forEach(EngineCore.Delivery::deliver);
        router.engineStats(replica.id(), replica.engine().waiting(), replica.engine().pool().usage());
    }

    private int earliestBusyEngine() {
        int best = -1;
        for (int i = 0; i < clock.length; i++) {
            if (!replicas.get(i).engine().idle() && (best < 0 || clock[i] < clock[best])) {
                best = i;
            }
        }
        return best;
    }

    private int index(String id) {
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new IllegalStateException("the router chose " + id + ", which is not simulated");
    }
}
