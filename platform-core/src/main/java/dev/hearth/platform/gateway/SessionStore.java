package dev.hearth.platform.gateway;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routers' session bindings on disk, so a restarted gateway keeps each conversation on the
 * replica that holds its history. {@code STATE/sessions.json} maps each deployment to its bindings,
 * session to replica id: {@code {"deployments": {"NAME": {"SESSION": "REPLICA"}}}}. It is written
 * as {@code DeploymentStore} writes a deployment (a temporary file, then renamed), every
 * {@code interval} while the bindings change and once more on close, so a gateway killed with
 * SIGKILL loses at most the bindings of its last interval. On start every binding is adopted
 * ({@link dev.hearth.router.Router#adoptSession}) whose replica the gateway routes to; bindings of
 * deployments or replicas that are not there yet (a control plane taken over later) are tried again
 * at each interval for a minute, then dropped, as are bindings to replicas that did not come back.
 * A restored binding starts a fresh TTL.
 */
public final class SessionStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long bindings of deployments or replicas not yet served are kept, waiting for them. */
    private static final Duration RESTORE_WINDOW = Duration.ofMinutes(1);

    /** The file's shape. */
    record Saved(Map<String, Map<String, String>> deployments) {}

    private final Path file;
    private final ReplicaGroups groups;
    private final LongSupplier clock;
    private final Duration interval;
    private final Map<String, Map<String, String>> pending = new HashMap<>();
    private Map<String, Map<String, String>> lastSaved = Map.of();
    private long startedAt;
    private int restored;
    private Thread saver;
    private volatile boolean closed;

    /** @param clock milliseconds, as the routers' */
    public SessionStore(Path file, ReplicaGroups groups, LongSupplier clock, Duration interval) {
        this.file = file;
        this.groups = groups;
        this.clock = clock;
        this.interval = interval;
    }

    /** Reads the saved bindings, adopts those it can now and starts saving; returns how many it adopted. */
    public synchronized int start() {
        startedAt = clock.getAsLong();
        if (Files.isRegularFile(file)) {
            try {
                Saved saved = JSON.readValue(file.toFile(), new TypeReference<Saved>() {});
                if (saved.deployments() != null) {
                    saved.deployments().forEach((name, bindings) -> {
                        if (bindings != null && !bindings.isEmpty()) {
                            pending.put(name, new HashMap<>(bindings));
                        }
                    });
                }
                lastSaved = copy(pending);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot read session bindings from {}: {}; starting without them", file, e.toString());
            }
        }
        adoptPending();
        saver = Thread.ofVirtual().name("session-store").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                tick();
            }
        });
        return restored;
    }

    /** Bindings adopted from the file since start. */
    public synchronized int restored() {
        return restored;
    }

    private synchronized void tick() {
        if (clock.getAsLong() - startedAt <= RESTORE_WINDOW.toMillis()) {
            adoptPending();
        } else if (!pending.isEmpty()) {
            LOG.info("dropping {} saved session binding(s) whose replicas did not come back",
                    pending.values().stream().mapToInt(Map::size).sum());
            pending.clear();
        }
        save();
    }

    /** Adopts each pending binding whose deployment and replica are served now. */
    private void adoptPending() {
        long now = clock.getAsLong();
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            ReplicaGroup group = groups.get(e.getKey());
            if (group == null) {
                continue;
            }
            for (var b = e.getValue().entrySet().iterator(); b.hasNext(); ) {
                var binding = b.next();
                if (group.backend(binding.getValue()) != null) {
                    group.router().adoptSession(binding.getKey(), binding.getValue(), now);
                    restored++;
                    b.remove();
                }
            }
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
    }

    /** Writes the bindings when they changed since the last write. */
    synchronized void save() {
        long now = clock.getAsLong();
        Map<String, Map<String, String>> current = copy(pending);
        for (ReplicaGroup g : groups.all()) {
            Map<String, String> bindings = g.router().sessionBindings(now);
            if (!bindings.isEmpty()) {
                current.computeIfAbsent(g.name(), k -> new TreeMap<>()).putAll(bindings);
            }
        }
        if (current.equals(lastSaved)) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), new Saved(current));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            lastSaved = current;
        } catch (IOException e) {
            LOG.warn("cannot save session bindings to {}: {}", file, e.toString());
        }
    }

    private static Map<String, Map<String, String>> copy(Map<String, Map<String, String>> m) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
        return out;
    }

    /** Stops saving, after one last save. */
    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = saver;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        save();
    }
}
