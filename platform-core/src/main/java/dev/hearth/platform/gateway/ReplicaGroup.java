package dev.hearth.platform.gateway;

import dev.hearth.platform.engines.EngineClient;
import dev.hearth.platform.engines.EngineMetrics;
import dev.hearth.platform.engines.KvEventSubscriber;
import dev.hearth.router.Router;
import dev.hearth.router.tokens.PromptBlocks;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicas serving one deployment: its {@link Router}, the {@link Backend}s it routes to, and a
 * KV event subscription per replica that publishes them. Replicas join when ready and leave by
 * draining: a draining replica takes no new request but finishes those it holds, which
 * {@link #inFlight} counts, before {@link #remove} lets it go. Each replica the gateway has sent
 * requests to has a {@link CircuitBreaker}, which leaves with it.
 */
public final class ReplicaGroup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaGroup.class);
    /** Until the first scrape says how large a replica's cache is. */
    private static final int UNKNOWN_CAPACITY_BLOCKS = 100_000;

    /** What the group serves: the model id clients name, the version in every cache key, the context. */
    public record Served(String model, String version, int maxModelLen) {}

    private final String name;
    private volatile Served served;
    private final Router router;
    private final PromptBlocks prompts;
    private final LongSupplier clock;
    private final Map<String, Backend> backends = new ConcurrentHashMap<>();
    private final Map<String, KvEventSubscriber> subscribers = new ConcurrentHashMap<>();
    private final Set<String> draining = ConcurrentHashMap.newKeySet();
    /** Probes in a row each replica left unanswered within the timeout. */
    private final Map<String, Integer> slowProbes = new ConcurrentHashMap<>();
    static final int SLOW_PROBES = 3;
    private volatile Waker waker;
    private final DeploymentStats stats = new DeploymentStats();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong timeouts = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong circuitOpens = new java.util.concurrent.atomic.AtomicLong();

    /** Wakes a deployment with no replica (scaled to zero): true once one serves, false after {@code timeout}. */
    public interface Waker {
        boolean wake(java.time.Duration timeout);
    }

    public ReplicaGroup(String name, Served served, Router router, PromptBlocks prompts, LongSupplier clock) {
        this.name = name;
        this.served = served;
        this.router = router;
        this.prompts = prompts;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public Served served() {
        return served;
    }

    /** A rolling update changes the version: answers cached for the old one are never reused. */
    public void serve(Served next) {
        this.served = next;
    }

    public void waker(Waker w) {
        this.waker = w;
    }

    /** Waits for a replica when there is none and the deployment can be woken; false when it cannot or did not. */
    boolean wake(java.time.Duration timeout) {
        Waker w = waker;
        return w != null && w.wake(timeout);
    }

    public DeploymentStats stats() {
        return stats;
    }

    public Router router() {
        return router;
    }

    public PromptBlocks prompts() {
        return prompts;
    }

    public Backend backend(String id) {
        return backends.get(id);
    }

    public int size() {
        return backends.size();
    }

    /** Starts routing to a replica (already added to the router when {@code routed}); subscribes to its KV events. */
    public synchronized void add(Backend b, boolean routed) {
        if (!routed) {
            router.addReplica(b.id(), UNKNOWN_CAPACITY_BLOCKS);
        }
        backends.put(b.id(), b);
        if (b.kvEvents() != null) {
            subscribers.put(b.id(), new KvEventSubscriber(b.kvEvents(), prompts.blockSize(), new KvEventSubscriber.Sink() {
                @Override
                public void stored(long[] keys) {
                    router.blocksStored(b.id(), keys, clock.getAsLong());
                }

                @Override
                public void removed(long[] keys) {
                    router.blocksRemoved(b.id(), keys, clock.getAsLong());
                }

                @Override
                public void cleared() {
                    router.allCleared(b.id(), clock.getAsLong());
                }
            }));
        }
    }

    /** Takes no new requests on the replica; those in flight run to their end. */
    public synchronized void drain(String id) {
        if (backends.containsKey(id)) {
            draining.add(id);
            router.drain(id);
        }
    }

    /** Requests the gateway has in flight on the replica (0 once it has left). */
    public int inFlight(String id) {
        return router.replicas(clock.getAsLong()).stream().filter(r -> r.id().equals(id))
                .mapToInt(Router.ReplicaInfo::inFlight).findFirst().orElse(0);
    }

    /** The replica's circuit breaker, made with {@code settings} on first use. */
    CircuitBreaker breaker(String id, CircuitBreaker.Settings settings) {
        return breakers.computeIfAbsent(id, k -> new CircuitBreaker(settings, clock));
    }

    /** Replicas whose breaker admits no request now (open and cooling down, or half-open with its probe out). */
    Set<String> circuitsRefusing() {
        Set<String> out = new java.util.HashSet<>();
        breakers.forEach((id, b) -> {
            if (!b.admits()) {
                out.add(id);
            }
        });
        return out;
    }

    /** Whether the replica's breaker is open or half-open: it takes at most a probe. */
    public boolean circuitOpen(String id) {
        CircuitBreaker b = breakers.get(id);
        return b != null && b.state() != CircuitBreaker.State.CLOSED;
    }

    /** An engine call that timed out: no first byte in time, or a response that went quiet. */
    void timedOut() {
        timeouts.incrementAndGet();
    }

    /** Engine calls that timed out, since the group was made. */
    public long timeouts() {
        return timeouts.get();
    }

    void circuitOpened() {
        circuitOpens.incrementAndGet();
    }

    /** Times a replica's circuit breaker opened, since the group was made. */
    public long circuitOpens() {
        return circuitOpens.get();
    }

    /** Forgets the replica: no routing, no KV events. */
    public synchronized void remove(String id) {
        if (backends.remove(id) == null) {
            return;
        }
        breakers.remove(id);
        draining.remove(id);
        slowProbes.remove(id);
        KvEventSubscriber s = subscribers.remove(id);
        if (s != null) {
            s.close();
        }
        router.removeReplica(id);
    }

    public List<Router.ReplicaInfo> replicas() {
        return router.replicas(clock.getAsLong());
    }

    /**
     * Health and load of every replica not draining: /health, then /metrics for queue, KV usage and
     * capacity. A replica that refuses or fails the probe is out at once; one that answers too late
     * keeps its standing for {@value #SLOW_PROBES} probes in a row (a burst of load slows /health on
     * every replica at once, and taking them all out would turn the burst into 503s), as Kubernetes'
     * failureThreshold does.
     */
    void probe() {
        for (Backend b : List.copyOf(backends.values())) {
            EngineClient.Health health = b.client().health();
            if (health == EngineClient.Health.SLOW && slowProbes.merge(b.id(), 1, Integer::sum) < SLOW_PROBES) {
                continue; // no verdict yet
            }
            if (health != EngineClient.Health.SLOW) {
                slowProbes.remove(b.id());
            }
            boolean healthy = health == EngineClient.Health.UP;
            EngineMetrics m = null;
            if (healthy) {
                try {
                    m = b.client().metrics();
                } catch (Exception e) {
                    LOG.debug("metrics of {} unavailable: {}", b.id(), e.toString());
                }
            }
            record(b.id(), healthy, m);
        }
    }

    private synchronized void record(String id, boolean healthy, EngineMetrics m) {
        if (!backends.containsKey(id) || draining.contains(id)) {
            return; // left or draining while probed: the probe must not bring it back
        }
        router.setHealthy(id, healthy);
        if (m != null) {
            router.engineStats(id, m.waiting(), m.kvUsage());
            if (m.kvCapacityTokens() > 0) {
                router.setCapacity(id, m.capacityBlocks(prompts.blockSize(), 0));
            }
        }
    }

    @Override
    public synchronized void close() {
        subscribers.values().forEach(KvEventSubscriber::close);
        subscribers.clear();
    }
}
