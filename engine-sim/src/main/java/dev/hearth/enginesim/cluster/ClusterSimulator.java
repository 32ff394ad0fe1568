package dev.hearth.enginesim.cluster;

import dev.hearth.enginesim.engine.EngineCore;
import dev.hearth.enginesim.engine.Output;
import dev.hearth.enginesim.engine.Sampling;
import dev.hearth.enginesim.kv.KvEvent;
import dev.hearth.enginesim.workload.WorkloadRequest;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.Router;
import dev.hearth.router.prefix.BlockHasher;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Replays requests against N simulated engines behind one production {@link Router}, or behind
 * several gateways each with its own ({@link GatewayFleet}), in virtual time: every engine keeps its
 * own clock, and the loop always advances whichever comes first, the next arrival or the engine
 * whose step starts earliest, so an hour of traffic replays in seconds. Engines publish KV events as
 * the real ones do and the routers' indexes follow them (precise mode) unless the gateways learn
 * from decisions only; the engine's own count of cached prompt tokens is what the report calls a
 * hit. Follows the shape of Vidur's cluster simulator (Agrawal et al., MLSys 2024) with vLLM's
 * scheduler as {@link EngineCore}.
 */
public final class ClusterSimulator {
    /** One engine, by the id the router knows it by. */
    public record Replica(String id, EngineCore engine) {}

    /** What became of a request: where it ran, its time to first token and end to end, and its prompt's cache reuse. */
    public record Completion(String id, String replica, double arrival, double ttft, double e2e, int promptTokens,
                             int cachedTokens) {}

    private final List<Replica> replicas;
    private final GatewayFleet fleet;
    private final BlockHasher hasher;
    private final double[] clock;
    private final boolean sessions;
    private final VirtualClock time;

    /**
     * {@code sessions}: whether the router sees requests' session keys. Hearth binds sessions; the
     * baselines are run as their sources run, blind to them.
     */
    public ClusterSimulator(List<Replica> replicas, Router router, boolean sessions) {
        this(replicas, router, sessions, new VirtualClock());
    }

    /** As above, moving {@code time} along so that a policy built on it reads the simulation's clock. */
    public ClusterSimulator(List<Replica> replicas, Router router, boolean sessions, VirtualClock time) {
        this(replicas, GatewayFleet.single(router), sessions, time);
    }

    /** Behind every gateway of {@code fleet}, each placing the requests that reach it. */
    public ClusterSimulator(List<Replica> replicas, GatewayFleet fleet, boolean sessions, VirtualClock time) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("at least one replica");
        }
        this.replicas = List.copyOf(replicas);
        this.fleet = fleet;
        this.hasher = new BlockHasher(replicas.get(0).engine().limits().blockSize());
        this.clock = new double[replicas.size()];
        this.sessions = sessions;
        this.time = time;
        for (Replica r : replicas) {
            fleet.addReplica(r.id(), r.engine().limits().kvBlocks());
        }
    }

    /** Runs every request to its end; returns the completions in the order requests finished. */
    public List<Completion> run(Iterator<WorkloadRequest> requests) {
        return run(requests, c -> {});
    }

    /** As above, telling {@code progress} of each completion as it happens. */
    public List<Completion> run(Iterator<WorkloadRequest> requests, Consumer<Completion> progress) {
        List<Completion> done = new ArrayList<>();
        Consumer<Completion> finished = done::add;
        finished = finished.andThen(progress);
        WorkloadRequest next = requests.hasNext() ? requests.next() : null;
        while (true) {
            int engine = earliestBusyEngine();
            double engineTime = engine < 0 ? Double.POSITIVE_INFINITY : clock[engine];
            if (next != null && next.arrival() <= engineTime) {
                admit(next, finished);
                next = requests.hasNext() ? requests.next() : null;
            } else if (engine >= 0) {
                step(engine);
            } else {
                return done;
            }
        }
    }

    private void admit(WorkloadRequest r, Consumer<Completion> finished) {
        long millis = (long) (r.arrival() * 1000);
        time.advanceTo(r.arrival());
        RouteRequest route = new RouteRequest(hasher.hashes(r.prompt(), null), r.prompt().length, hasher.blockSize(),
                text(r.prompt()), sessions ? r.sessionKey() : null);
        GatewayFleet.Placement placed = fleet.place(route, millis);
        Router router = placed.router(); // first token and finish go back to the gateway that placed it
        Router.Ticket ticket = placed.ticket();
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
                finished.accept(new Completion(o.requestId(), ticket.replica(), o.arrival(), o.ttft(), o.time() - o.arrival(),
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
        time.advanceTo(clock[slot]);
        long millis = (long) (clock[slot] * 1000);
        for (KvEvent e : step.events()) {
            fleet.kvEvent(replica.id(), e, millis);
        }
        step.deliveries().forEach(EngineCore.Delivery::deliver);
        fleet.engineStats(replica.id(), replica.engine().waiting(), replica.engine().pool().usage());
    }

    /**
     * The prompt as text for policies that match characters (SGLang's): one code point per token, so a
     * shared token prefix is a shared character prefix. Supplementary planes keep clear of surrogates.
     */
    static String text(int[] tokens) {
        StringBuilder s = new StringBuilder(tokens.length * 2);
        for (int t : tokens) {
            s.appendCodePoint(0x20000 + Math.floorMod(t, 0xE0000));
        }
        return s.toString();
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
