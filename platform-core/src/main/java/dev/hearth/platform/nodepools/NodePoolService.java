package dev.hearth.platform.nodepools;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.warmpools.CapacityException;
import dev.hearth.warmpools.NodePool;
import dev.hearth.warmpools.NodeProvider;
import dev.hearth.warmpools.NodeState;
import dev.hearth.warmpools.PoolEvent;
import dev.hearth.warmpools.WarmPools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's nodepools: the {@link WarmPools} library driven by wall time (a tick every 250
 * ms), its pools saved in {@code STATE/nodepools.json}, and a {@code local} pool that always exists
 * for deployments that name none. Nodes themselves are not saved: warm capacity is provisioned
 * again after a restart, and adopted replicas get their node back at once ({@link #adopt}).
 */
public final class NodePoolService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodePoolService.class);
    /** The pool deployments use when their config names none: slots on this machine. */
    public static final String LOCAL = "local";
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final WarmPools pools;
    private final Path file;
    private final dev.hearth.platform.deployments.StateMirror mirror;
    private final Thread ticker;
    private volatile boolean closed;

    public NodePoolService(Path stateDir, Clock clock, Map<String, NodeProvider> providers, WarmPools.Settings settings) {
        this(stateDir, clock, providers, settings, dev.hearth.platform.deployments.StateMirror.NONE);
    }

    /** @param mirror where every save is copied, for gateways that follow this control plane */
    public NodePoolService(Path stateDir, Clock clock, Map<String, NodeProvider> providers, WarmPools.Settings settings,
                           dev.hearth.platform.deployments.StateMirror mirror) {
        this.pools = new WarmPools(clock, providers, settings);
        this.file = stateDir.resolve("nodepools.json");
        this.mirror = mirror;
        for (NodePool p : load()) {
            try {
                pools.put(p);
            } catch (IllegalArgumentException e) {
                LOG.warn("nodepool {} from {} is not used: {}", p.name(), file, e.getMessage());
            }
        }
        if (pools.pool(LOCAL) == null) {
            pools.put(new NodePool(LOCAL, LOCAL, "local", "none", 0, 0, 64, 1_000, 0, 1.0));
            save();
        }
        this.ticker = Thread.ofVirtual().name("nodepools").start(() -> {
            while (!closed) {
                try {
                    pools.tick();
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    LOG.error("nodepool tick failed", e);
                }
            }
        });
    }

    public WarmPools pools() {
        return pools;
    }

    public List<NodePool> list() {
        return pools.pools();
    }

    public NodePool get(String name) {
        NodePool p = pools.pool(name);
        if (p == null) {
            throw new IllegalArgumentException("no nodepool named " + name + "; list them with GET /api/v1/nodepools");
        }
        return p;
    }

    public synchronized NodePool create(NodePool pool) {
        if (pools.pool(pool.name()) != null) {
            throw new IllegalStateException("nodepool " + pool.name() + " exists already; update it with PUT /api/v1/nodepools/"
                    + pool.name());
        }
        pools.put(pool);
        save();
        return pool;
    }

    public synchronized NodePool update(NodePool pool) {
        get(pool.name());
        pools.put(pool);
        save();
        return pool;
    }

    public synchronized void delete(String name) {
        if (name.equals(LOCAL)) {
            throw new IllegalStateException("the local pool stays: deployments that name no pool use it");
        }
        get(name);
        pools.remove(name);
        save();
    }

    /** The pools a deployment's config names, or the local one; unknown names are refused. */
    public List<String> forConfig(List<String> names) {
        if (names.isEmpty()) {
            return List.of(LOCAL);
        }
        for (String n : names) {
            get(n);
        }
        return names;
    }

    public WarmPools.Lease acquire(String replica, List<String> poolNames) throws CapacityException {
        return pools.acquire(replica, poolNames);
    }

    /** A replica found running after a restart: it has its node already. */
    public void adopt(String replica, List<String> poolNames) {
        try {
            pools.acquire(replica, poolNames);
        } catch (CapacityException e) {
            LOG.warn("adopted replica {} has no node in {}: {}", replica, poolNames, e.getMessage());
        }
    }

    /** The pool's nodes by state, in order of the lifecycle. */
    public Map<String, Integer> counts(String pool) {
        Map<String, Integer> out = new LinkedHashMap<>();
        pools.countByState(pool).forEach((s, n) -> {
            if (s != NodeState.TERMINATED) {
                out.put(s.wire(), n);
            }
        });
        return out;
    }

    public List<PoolEvent> events(String pool, int limit) {
        List<PoolEvent> all = new ArrayList<>();
        for (PoolEvent e : pools.events(1_000)) {
            if (pool == null || pool.equals(e.pool())) {
                all.add(e);
            }
        }
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    /** Replicas sent to a later pool because this one could not provide, since start. */
    public long failovers(String pool) {
        return pools.failovers(pool);
    }

    /** Node-seconds the pool's nodes spent warm, since start: the price of warm capacity. */
    public double warmNodeSeconds(String pool) {
        return pools.nodeMillis(pool).getOrDefault(NodeState.WARM, 0L) / 1000.0;
    }

    private List<NodePool> load() {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try {
            return JSON.readValue(file.toFile(), new TypeReference<List<NodePool>>() {});
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}; starting with the local pool only", file, e.getMessage());
            return List.of();
        }
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("nodepools.json.tmp");
            byte[] json = JSON.writeValueAsBytes(pools.pools());
            Files.write(tmp, json);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            mirror.saved(dev.hearth.platform.deployments.StateMirror.NODEPOOLS, json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save nodepools to " + file, e);
        }
    }

    /**
     * Takes the control plane over from another gateway: the pools it saved (mirrored JSON) that
     * this one lacks are added, and all are saved here. Returns how many were added.
     */
    public synchronized int adopt(byte[] mirrored) throws IOException {
        int added = 0;
        for (NodePool p : JSON.readValue(mirrored, new TypeReference<List<NodePool>>() {})) {
            if (pools.pool(p.name()) == null) {
                pools.put(p);
                added++;
            }
        }
        save();
        return added;
    }

    @Override
    public void close() {
        closed = true;
        ticker.interrupt();
    }

    /** The local provider: slots on this machine that come up after {@code delay}. */
    public static NodeProvider localProvider(Duration delay) {
        return new dev.hearth.warmpools.SimulatedProvider(p -> delay.toMillis());
    }
}
