package dev.hearth.warmpools;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Nodes that come up after a delay, in whatever time the caller keeps: the {@code local} provider
 * (slots on this machine, with a configurable provisioning delay) and the benchmark's cloud. A pool
 * can be made to refuse (a quota or an outage) and a node to fail, for failover tests.
 */
public final class SimulatedProvider implements NodeProvider {
    /** How long provisioning takes for a pool. */
    public interface Delay {
        long provisionMs(NodePool pool);
    }

    private final Delay delay;
    private final Map<String, Long> readyAt = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    private final Map<String, String> refusing = new HashMap<>();
    private final Map<String, String> placeholders = new HashMap<>();

    public SimulatedProvider(Delay delay) {
        this.delay = delay;
    }

    /** Provisioning as the timing model says for the pool's instance type. */
    public static SimulatedProvider timed(TimingModel timings) {
        return new SimulatedProvider(p -> timings.coldStart(p, 0).provisionMs());
    }

    /** From now on, the pool refuses new nodes with {@code why} (null: it provides again). */
    public synchronized void refuse(String pool, String why) {
        if (why == null) {
            refusing.remove(pool);
        } else {
            refusing.put(pool, why);
        }
    }

    /** The node never comes up. */
    public synchronized void fail(String nodeId) {
        failing.add(nodeId);
    }

    @Override
    public synchronized void provision(NodePool pool, String nodeId, long now) throws CapacityException {
        String why = refusing.get(pool.name());
        if (why != null) {
            throw new CapacityException(why);
        }
        readyAt.put(nodeId, now + delay.provisionMs(pool));
    }

    @Override
    public synchronized Status status(NodePool pool, String nodeId, long now) {
        if (failing.contains(nodeId)) {
            return Status.FAILED;
        }
        Long at = readyAt.get(nodeId);
        return at == null ? Status.FAILED : now >= at ? Status.UP : Status.PENDING;
    }

    @Override
    public synchronized void hold(NodePool pool, String nodeId) {
        placeholders.put(nodeId, pool.name());
    }

    @Override
    public synchronized void allocate(NodePool pool, String nodeId, String replica) {
        placeholders.remove(nodeId);
    }

    @Override
    public synchronized void terminate(NodePool pool, String nodeId) {
        placeholders.remove(nodeId);
        readyAt.remove(nodeId);
        failing.remove(nodeId);
    }

    /** Nodes a placeholder holds now. */
    public synchronized Set<String> placeholders() {
        return Set.copyOf(placeholders.keySet());
    }
}
