package dev.hearth.platform.deployments;

import dev.hearth.platform.config.ConfigError;
import dev.hearth.platform.config.ConfigLoader;
import dev.hearth.platform.config.ModelConfig;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.platform.gateway.Backend;
import dev.hearth.platform.gateway.ReplicaGroup;
import dev.hearth.platform.gateway.ReplicaGroups;
import dev.hearth.platform.nodepools.NodePoolService;
import dev.hearth.warmpools.Autoscaler;
import dev.hearth.warmpools.ScalingPolicy;
import dev.hearth.warmpools.WarmPools;
import dev.hearth.platform.replicas.EngineCommand;
import dev.hearth.platform.replicas.EngineCommands;
import dev.hearth.platform.replicas.LaunchSpec;
import dev.hearth.platform.replicas.ProcessLauncher;
import dev.hearth.platform.replicas.ReplicaProcess;
import dev.hearth.router.Router;
import dev.hearth.router.policy.Policies;
import dev.hearth.router.prefix.PrefixIndex;
import dev.hearth.router.session.SessionAffinity;
import dev.hearth.router.tokens.PromptBlocks;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's deployments: create, scale, update (rolling), delete (draining), each a change
 * of the desired state that a reconcile loop then carries out, as a Kubernetes controller does.
 * Replicas are started by an {@link EngineCommand} through the {@link ProcessLauncher}, watched
 * through starting, warming and ready, joined to the gateway's {@link ReplicaGroup} when ready, and
 * replaced when they die. State is saved after every change, so a restarted Hearth adopts the
 * replicas still running instead of starting new ones.
 */
public final class DeploymentService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);
    /** DNS-1123 label, as Kubernetes names objects: names become pod and file names. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?");
    private static final int EVENTS_KEPT = 200;
    private static final int ENDED_REPLICAS_KEPT = 8;
    /** One event per line of events.jsonl. */
    private static final com.fasterxml.jackson.databind.ObjectWriter EVENT_LINE = DeploymentStore.JSON.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    /** Timings a test may shorten: how long draining may wait for requests, how often to reconcile. */
    public record Timings(Duration drainTimeout, Duration tick, Duration stopGrace) {
        public static Timings standard() {
            return new Timings(Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(10));
        }
    }

    private final DeploymentStore store;
    private final NodePoolService nodePools;
    private final ReplicaGroups groups;
    private final EngineCommands commands;
    private final ProcessLauncher launcher;
    private final Supplier<PromptBlocks> prompts;
    private final Clock clock;
    private final Timings timings;

    private final Map<String, Deployment> deployments = new LinkedHashMap<>();
    private final Map<String, ModelConfig> configs = new HashMap<>();
    private final Map<String, ReplicaProcess> processes = new HashMap<>();
    private final Map<String, Thread> starting = new HashMap<>();
    private final Set<String> stopping = new HashSet<>();
    private final Map<String, Long> drainSince = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();
    private final Map<String, Long> retryAt = new HashMap<>();
    private final Map<String, Deque<DeploymentEvent>> events = new HashMap<>();
    private final Map<String, Autoscaler> autoscalers = new HashMap<>();
    /** Autoscaler decisions that changed a deployment's replicas, by "deployment|up" or "deployment|down". */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> scalings = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Integer> waking = new HashMap<>();
    private long lastAutoscale;
    private final Thread loop;
    private volatile boolean closed;

    public DeploymentService(DeploymentStore store, NodePoolService nodePools, ReplicaGroups groups,
                             EngineCommands commands, ProcessLauncher launcher, Supplier<PromptBlocks> prompts, Clock clock,
                             Timings timings) {
        this.store = store;
        this.nodePools = nodePools;
        this.groups = groups;
        this.commands = commands;
        this.launcher = launcher;
        this.prompts = prompts;
        this.clock = clock;
        this.timings = timings;
        this.loop = Thread.ofVirtual().name("deployments").unstarted(this::run);
    }

    /** Loads saved deployments, adopts their replicas that still run, and starts reconciling. */
    public synchronized List<String> start() {
        List<String> notes = new ArrayList<>();
        for (Deployment d : store.load(notes)) {
            try {
                restore(d, notes);
            } catch (RuntimeException e) {
                notes.add(d.name() + ": cannot restore: " + e.getMessage());
            }
        }
        loop.start();
        return notes;
    }

    // ---- the API ---------------------------------------------------------------------------------

    public synchronized Deployment create(String name, String configYaml) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "deployment name '" + name + "' is not valid: use "
                    + "lower-case letters, digits and '-', starting and ending with a letter or digit, at most 52 characters");
        }
        if (deployments.containsKey(name)) {
            throw new DeploymentError(DeploymentError.Kind.CONFLICT, "deployment " + name
                    + " exists already; update it (PUT /api/v1/deployments/" + name + ") or delete it first");
        }
        if (groups.get(name) != null) {
            throw new DeploymentError(DeploymentError.Kind.CONFLICT, name + " is already served by the gateway");
        }
        ModelConfig config = parse(name, configYaml);
        command(config);
        poolsOf(config);
        String now = now();
        Deployment d = new Deployment(name, configYaml, 1, config.replicas().min(), 0, "progressing", false, now, now, 0,
                List.of()).withReplicas(List.of(), now);
        groups.add(group(name, config, 1));
        scaling(name, config);
        deployments.put(name, d);
        configs.put(name, config);
        store.save(d);
        events.remove(name); // a deployment of the same name before this one: its history is not this one's
        try {
            Files.deleteIfExists(store.dir(name).resolve("events.jsonl"));
        } catch (IOException e) {
            LOG.warn("cannot clear old events of {}: {}", name, e.toString());
        }
        event(name, null, "Created", "serving " + config.model().id() + " on " + config.engine().name() + " ("
                + config.engine().launcher() + "), " + d.replicas() + " replica(s)");
        notifyAll();
        return d;
    }

    public synchronized Deployment get(String name) {
        return require(name);
    }

    public synchronized List<Deployment> list() {
        return List.copyOf(deployments.values());
    }

    /** Sets how many replicas run; within the config's replicas.min and replicas.max. */
    public synchronized Deployment scale(String name, int replicas) {
        Deployment d = require(name);
        refuseWhileDeleting(d);
        ModelConfig c = configs.get(name);
        if (autoscalers.containsKey(name)) {
            throw new DeploymentError(DeploymentError.Kind.CONFLICT, name + " is autoscaled between " + c.replicas().min()
                    + " and " + c.replicas().max() + " replicas, which would undo a manual scale; change replicas.min and "
                    + "replicas.max, or set autoscaling.enabled: false, with an update");
        }
        if (replicas < c.replicas().min() || replicas > c.replicas().max()) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "replicas " + replicas + " is outside replicas.min "
                    + c.replicas().min() + " .. replicas.max " + c.replicas().max() + " of " + name
                    + "; update the config's replicas first (PUT /api/v1/deployments/" + name + ")");
        }
        if (replicas == d.replicas()) {
            return d;
        }
        Deployment next = d.scaled(replicas, now());
        put(next);
        event(name, null, "Scaled", d.replicas() + " -> " + replicas + " replica(s)");
        return next;
    }

    /**
     * A new config: a rolling update (one new replica at a time, an old one drained only once a new
     * one is ready). The same model and engine keep cached answers; anything else starts afresh.
     */
    public synchronized Deployment update(String name, String configYaml) {
        Deployment d = require(name);
        refuseWhileDeleting(d);
        ModelConfig config = parse(name, configYaml);
        command(config);
        poolsOf(config);
        if (configYaml.equals(d.config())) {
            return d;
        }
        scaling(name, config);
        int replicas = Math.max(config.replicas().min(), Math.min(config.replicas().max(), d.replicas()));
        Deployment next = d.updated(configYaml, replicas, now());
        ModelConfig old = configs.put(name, config);
        put(next);
        groups.get(name).serve(served(config, next.generation(), 0));
        event(name, null, "Updated", "generation " + next.generation() + ": rolling " + replicas + " replica(s)"
                + (old.routing().equals(config.routing()) ? "" : "; routing options apply when the deployment is recreated"));
        return next;
    }

    /** Drains every replica (requests in flight finish), stops it, then forgets the deployment. */
    public synchronized Deployment delete(String name) {
        Deployment d = require(name);
        if (d.deleting()) {
            return d;
        }
        Deployment next = d.deleted(now());
        put(next);
        event(name, null, "Deleting", "draining " + d.readyReplicas() + " ready replica(s)");
        return next;
    }

    /** Events of one deployment (null: all), oldest first, at most {@code limit}. */
    public synchronized List<DeploymentEvent> events(String name, int limit) {
        List<DeploymentEvent> all = new ArrayList<>();
        if (name != null) {
            require(name);
            all.addAll(events.getOrDefault(name, new ArrayDeque<>()));
        } else {
            events.values().forEach(all::addAll);
            all.sort(java.util.Comparator.comparing(DeploymentEvent::time));
        }
        return all.subList(Math.max(0, all.size() - limit), all.size());
    }

    /** The deployment's replica processes' logs, by replica id (for `describe` and log tails). */
    public synchronized Map<String, Path> logs(String name) {
        Map<String, Path> out = new LinkedHashMap<>();
        for (ReplicaStatus r : require(name).replicaStatuses()) {
            if (r.log() != null) {
                out.put(r.id(), Path.of(r.log()));
            }
        }
        return out;
    }

    /** Waits until the deployment is available (or gone, when deleting); false on timeout. */
    public synchronized boolean await(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Deployment d = deployments.get(name);
            if (d == null || (!d.deleting() && d.status().equals("available"))) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    // ---- the reconcile loop ------------------------------------------------------------------------

    private void run() {
        while (!closed) {
            synchronized (this) {
                autoscale();
                for (String name : List.copyOf(deployments.keySet())) {
                    try {
                        reconcile(name);
                    } catch (RuntimeException e) {
                        LOG.error("reconciling {} failed", name, e);
                    }
                }
                try {
                    wait(timings.tick().toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void reconcile(String name) {
        Deployment d = deployments.get(name);
        ReplicaGroup group = groups.get(name);
        List<ReplicaStatus> replicas = new ArrayList<>(d.replicaStatuses());
        boolean changed = false;
        for (int i = 0; i < replicas.size(); i++) {
            ReplicaStatus r = replicas.get(i);
            ReplicaProcess p = processes.get(r.id());
            if ((r.phase() == ReplicaPhase.READY || r.phase() == ReplicaPhase.DRAINING) && p != null && !p.alive()) {
                group.remove(r.id());
                processes.remove(r.id());
                nodePools.pools().release(r.id());
                replicas.set(i, r.to(ReplicaPhase.FAILED, "exited", now(), "the process exited; see " + r.log()));
                event(name, r.id(), "ReplicaFailed", "process " + r.pid() + " exited" + lastLine(r.log()));
                changed = true;
            } else if (r.phase() == ReplicaPhase.DRAINING && !stopping.contains(r.id())) {
                long since = drainSince.computeIfAbsent(r.id(), k -> clock.millis());
                int inFlight = group.inFlight(r.id());
                boolean overdue = clock.millis() - since > timings.drainTimeout().toMillis();
                if (inFlight == 0 || overdue) {
                    if (overdue) {
                        event(name, r.id(), "DrainTimedOut", inFlight + " request(s) still in flight after "
                                + timings.drainTimeout().toSeconds() + " s; stopping anyway");
                    }
                    stopAsync(name, r.id());
                }
            }
        }
        Rollout.Step step = Rollout.next(replicas, d.replicas(), d.generation(), d.deleting());
        for (String id : step.remove()) {
            int i = indexOf(replicas, id);
            ReplicaStatus r = replicas.get(i);
            if (r.phase() == ReplicaPhase.READY) {
                group.drain(id);
                nodePools.pools().draining(id);
                drainSince.put(id, clock.millis());
                replicas.set(i, r.to(ReplicaPhase.DRAINING, "draining", now(), null));
                event(name, id, "ReplicaDraining", group.inFlight(id) + " request(s) in flight");
            } else {
                Thread t = starting.remove(id);
                if (t != null) {
                    t.interrupt();
                }
                ReplicaProcess p = processes.remove(id);
                Thread.ofVirtual().start(() -> {
                    if (p != null) {
                        p.stop(timings.stopGrace());
                    }
                    nodePools.pools().release(id);
                });
                replicas.set(i, r.to(ReplicaPhase.STOPPED, "stopped", now(), "cancelled before it was ready"));
                event(name, id, "ReplicaStopped", "cancelled while " + r.phase().wire());
            }
            changed = true;
        }
        if (step.start() > 0 && clock.millis() >= retryAt.getOrDefault(name, 0L)) {
            for (int k = 0; k < step.start(); k++) {
                d = deployments.get(name).nextId();
                deployments.put(name, d);
                String id = name + "-" + (d.nextReplica() - 1);
                replicas.add(new ReplicaStatus(id, d.generation(), ReplicaPhase.STARTING, "scheduled", null, null, 0, null,
                        now(), null));
                event(name, id, "ReplicaScheduled", "generation " + d.generation());
                Deployment at = d;
                starting.put(id, Thread.ofVirtual().name("start-" + id).start(() -> startReplica(at.name(), id,
                        configs.get(name))));
            }
            changed = true;
        }
        if (d.deleting() && replicas.stream().allMatch(r -> r.phase().ended())) {
            deployments.remove(name);
            configs.remove(name);
            autoscalers.remove(name);
            groups.remove(name);
            store.remove(name);
            event(name, null, "Deleted", "every replica stopped");
            notifyAll();
            return;
        }
        if (changed) {
            put(deployments.get(name), replicas);
        }
    }

    /** Runs on its own virtual thread: launch, then watch /health and /v1/models until ready. */
    private void startReplica(String name, String id, ModelConfig config) {
        ReplicaProcess p = null;
        try {
            EngineCommand command = commands.forConfig(config);
            awaitNode(name, id, config);
            LaunchSpec spec = launcher.plan(id, config);
            p = launcher.start(command, spec, store.dir(name));
            ReplicaProcess started = p;
            synchronized (this) {
                if (!starting.containsKey(id)) {
                    throw new InterruptedException();
                }
                processes.put(id, started);
                change(name, id, r -> new ReplicaStatus(id, r.generation(), ReplicaPhase.STARTING, "loading",
                        started.url().toString(), started.kvEvents(), started.pid(), started.log().toString(), now(), null));
                event(name, id, "ReplicaStarted", "pid " + started.pid() + " at " + started.url());
            }
            EngineClient client = client(p.url());
            long deadline = System.nanoTime() + command.startTimeout().toNanos();
            boolean warming = false;
            while (true) {
                if (!p.alive()) {
                    throw new IOException("the process exited during start-up" + lastLine(p.log().toString()));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("not ready within " + command.startTimeout().toSeconds() + " s");
                }
                if (!warming && client.healthy()) {
                    warming = true;
                    synchronized (this) {
                        change(name, id, r -> r.to(ReplicaPhase.WARMING, "warming", now(), null));
                    }
                }
                if (warming) {
                    EngineClient.ServedModel m = served(client);
                    if (m != null && m.id().equals(config.model().id())) {
                        join(name, id, p, m);
                        return;
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            if (p != null) {
                p.stop(timings.stopGrace());
            }
            nodePools.pools().release(id);
        } catch (Exception e) {
            if (p != null) {
                p.stop(timings.stopGrace());
            }
            nodePools.pools().release(id);
            failed(name, id, e.getMessage());
        }
    }

    /** A node for the replica from its pools: a warm one at once, else it waits while one is provisioned. */
    private void awaitNode(String name, String id, ModelConfig config) throws Exception {
        WarmPools.Lease lease = nodePools.acquire(id, poolsOf(config));
        synchronized (this) {
            event(name, id, "NodeAssigned", (lease.warm() ? "warm node " : "new node ") + lease.node() + " in pool "
                    + lease.pool());
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (!nodePools.pools().ready(id)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("no node came up for it within 30 min");
            }
            Thread.sleep(100);
        }
    }

    /** A replica's client: 2 s to connect and to answer a probe, as the gateway's prober uses. */
    private static EngineClient client(URI url) {
        return new EngineClient(url, Duration.ofSeconds(2), Duration.ofSeconds(2));
    }

    private static EngineClient.ServedModel served(EngineClient client) {
        try {
            return client.model();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private synchronized void join(String name, String id, ReplicaProcess p, EngineClient.ServedModel m) {
        ReplicaGroup group = groups.get(name);
        if (starting.remove(id) == null || group == null) { // cancelled meanwhile
            Thread.ofVirtual().start(() -> p.stop(timings.stopGrace()));
            return;
        }
        group.add(new Backend(id, client(p.url()), p.kvEvents()),
                false);
        if (group.served().maxModelLen() == 0 && m.maxModelLen() > 0) {
            group.serve(new ReplicaGroup.Served(group.served().model(), group.served().version(), m.maxModelLen()));
        }
        failures.remove(name);
        change(name, id, r -> r.to(ReplicaPhase.READY, "ready", now(), null));
        event(name, id, "ReplicaReady", "serving " + m.id() + " at " + p.url());
    }

    private synchronized void failed(String name, String id, String why) {
        processes.remove(id);
        if (starting.remove(id) == null || !deployments.containsKey(name)) {
            return; // cancelled meanwhile: already stopped
        }
        int n = failures.merge(name, 1, Integer::sum);
        long backoff = Math.min(60_000, 1_000L << Math.min(6, n - 1));
        retryAt.put(name, clock.millis() + backoff);
        change(name, id, r -> r.to(ReplicaPhase.FAILED, "failed", now(), why));
        event(name, id, "ReplicaFailed", why + "; next start in " + backoff / 1000 + " s");
    }

    private void stopAsync(String name, String id) {
        stopping.add(id);
        ReplicaProcess p = processes.get(id);
        Thread.ofVirtual().name("stop-" + id).start(() -> {
            if (p != null) {
                p.stop(timings.stopGrace());
            }
            nodePools.pools().release(id);
            synchronized (this) {
                stopping.remove(id);
                drainSince.remove(id);
                processes.remove(id);
                ReplicaGroup group = groups.get(name);
                if (group != null) {
                    group.remove(id);
                }
                if (deployments.containsKey(name)) {
                    change(name, id, r -> r.to(ReplicaPhase.STOPPED, "stopped", now(), null));
                    event(name, id, "ReplicaStopped", "drained and stopped");
                }
                notifyAll();
            }
        });
    }

    // ---- restart ---------------------------------------------------------------------------------

    private void restore(Deployment d, List<String> notes) {
        ModelConfig config = parse(d.name(), d.config());
        ReplicaGroup group = group(d.name(), config, d.generation());
        scaling(d.name(), config);
        deployments.put(d.name(), d);
        configs.put(d.name(), config);
        readEvents(d.name());
        List<ReplicaStatus> replicas = new ArrayList<>();
        for (ReplicaStatus r : d.replicaStatuses()) {
            if (!r.phase().live() && r.phase() != ReplicaPhase.DRAINING) {
                replicas.add(r);
                continue;
            }
            ReplicaProcess p = adoptable(r, config);
            if (p == null) {
                replicas.add(r.to(ReplicaPhase.FAILED, "lost", now(), "not running after the restart"));
                event(d.name(), r.id(), "ReplicaLost", "pid " + r.pid() + " was not serving after the restart");
                continue;
            }
            processes.put(r.id(), p);
            nodePools.adopt(r.id(), poolsOf(config));
            group.add(new Backend(r.id(), client(p.url()),
                    p.kvEvents()), false);
            if (r.phase() == ReplicaPhase.DRAINING) {
                group.drain(r.id());
                replicas.add(r);
            } else {
                replicas.add(r.to(ReplicaPhase.READY, "ready", now(), null));
            }
            event(d.name(), r.id(), "ReplicaAdopted", "pid " + r.pid() + " still serving at " + r.url());
            notes.add(d.name() + ": adopted " + r.id() + " (pid " + r.pid() + ")");
        }
        // Served once its adopted replicas are in: taking over from a follower's group of the same
        // deployment, no request may find it empty.
        groups.replace(group);
        put(d, replicas);
    }

    /** The replica's process, when it still runs the command we started (pid reuse is ruled out) and serves. */
    private static ReplicaProcess adoptable(ReplicaStatus r, ModelConfig config) {
        if (r.pid() <= 0 || r.url() == null) {
            return null;
        }
        var handle = ProcessHandle.of(r.pid()).filter(ProcessHandle::isAlive).orElse(null);
        URI url = URI.create(r.url());
        if (handle == null || !ReplicaProcess.arguments(handle).contains(Integer.toString(url.getPort()))) {
            return null;
        }
        EngineClient client = client(url);
        EngineClient.ServedModel m = client.healthy() ? served(client) : null;
        if (m == null || !m.id().equals(config.model().id())) {
            return null;
        }
        return new ReplicaProcess(r.id(), url, r.kvEvents(), handle, Path.of(r.log()));
    }

    // ---- bookkeeping -----------------------------------------------------------------------------

    private Deployment require(String name) {
        Deployment d = deployments.get(name);
        if (d == null) {
            throw new DeploymentError(DeploymentError.Kind.NOT_FOUND, "no deployment named " + name
                    + "; list them with GET /api/v1/deployments");
        }
        return d;
    }

    private static void refuseWhileDeleting(Deployment d) {
        if (d.deleting()) {
            throw new DeploymentError(DeploymentError.Kind.CONFLICT, "deployment " + d.name() + " is being deleted");
        }
    }

    private static ModelConfig parse(String name, String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "the config is empty; give a config.yaml (see "
                    + "`hearth model init`)");
        }
        try {
            return ConfigLoader.parse(name + "/config.yaml", yaml);
        } catch (ConfigError e) {
            List<String> problems = e.problems().stream().map(ConfigError.Problem::toString).toList();
            throw new DeploymentError(DeploymentError.Kind.INVALID, "the config is not valid: "
                    + String.join("; ", problems), problems);
        }
    }

    private EngineCommand command(ModelConfig config) {
        try {
            return commands.forConfig(config);
        } catch (IllegalArgumentException e) {
            throw new DeploymentError(DeploymentError.Kind.UNAVAILABLE, e.getMessage());
        }
    }

    private ReplicaGroup group(String name, ModelConfig config, int generation) {
        ReplicaGroup g = group(name, config, generation, prompts.get(), clock::millis);
        g.waker(timeout -> wake(name, timeout));
        return g;
    }

    /** A deployment's replica group as the control plane builds it; a gateway following another's control plane builds the same. */
    public static ReplicaGroup group(String name, ModelConfig config, int generation, PromptBlocks prompts,
                                     java.util.function.LongSupplier clock) {
        return new ReplicaGroup(name, served(config, generation, 0), router(config), prompts, clock);
    }

    private List<String> poolsOf(ModelConfig config) {
        try {
            return nodePools.forConfig(config.nodepools());
        } catch (IllegalArgumentException e) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "nodepools: " + e.getMessage());
        }
    }

    private void scaling(String name, ModelConfig config) {
        ModelConfig.Autoscaling a = config.autoscaling();
        if (a.enabled()) {
            autoscalers.put(name, new Autoscaler(new ScalingPolicy(config.replicas().min(), config.replicas().max(),
                    a.targetInFlight(), a.scaleUpWindow(), a.scaleDownWindow(), a.idleToZero())));
        } else {
            autoscalers.remove(name);
        }
    }

    /** Autoscaler decisions that changed a deployment's replica count, since start: up and down. */
    public long autoscalerDecisions(String deployment, boolean up) {
        java.util.concurrent.atomic.AtomicLong n = scalings.get(deployment + (up ? "|up" : "|down"));
        return n == null ? 0 : n.get();
    }

    /** Once a second: each autoscaled deployment's replicas follow its requests in flight, waiting or waking it. */
    private void autoscale() {
        long now = clock.millis();
        boolean woken = waking.values().stream().anyMatch(n -> n > 0);
        if (now - lastAutoscale < 1_000 && !woken) {
            return;
        }
        lastAutoscale = now;
        for (var e : autoscalers.entrySet()) {
            Deployment d = deployments.get(e.getKey());
            ReplicaGroup g = groups.get(e.getKey());
            if (d == null || g == null || d.deleting()) {
                continue;
            }
            double load = waking.getOrDefault(d.name(), 0);
            for (Router.ReplicaInfo r : g.replicas()) {
                load += r.inFlight() + r.waiting();
            }
            int want = e.getValue().recommend(now, load, d.replicas());
            if (want != d.replicas()) {
                scalings.computeIfAbsent(d.name() + (want > d.replicas() ? "|up" : "|down"),
                        k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
                put(d.scaled(want, now()));
                event(d.name(), null, "Autoscaled", d.replicas() + " -> " + want + " replica(s) for " + (long) load
                        + " request(s) in flight or waiting");
            }
        }
    }

    /**
     * A request found no replica: with autoscaling it counts as load, which wakes a deployment at
     * zero; waits until a replica serves. False when none did within {@code timeout}.
     */
    private boolean wake(String name, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            if (!autoscalers.containsKey(name)) {
                return false;
            }
            waking.merge(name, 1, Integer::sum);
            notifyAll();
            try {
                while (true) {
                    ReplicaGroup g = groups.get(name);
                    if (g == null) {
                        return false;
                    }
                    if (g.size() > 0 && g.replicas().stream().anyMatch(Router.ReplicaInfo::healthy)) {
                        return true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    wait(Math.max(1, Math.min(100, left / 1_000_000)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                waking.merge(name, -1, Integer::sum);
            }
        }
    }

    private static Router router(ModelConfig config) {
        return new Router(Policies.named(config.routing().policy(), System.nanoTime(), System::currentTimeMillis),
                new SessionAffinity(config.routing().sessionTtl().toMillis()), new PrefixIndex(),
                config.routing().loadEpsilon(), 10_000);
    }

    /**
     * The version in every prediction cache key: the revision and a digest of the engine and its
     * flags, so a change that can change answers never reuses old ones, while scaling keeps them.
     */
    public static ReplicaGroup.Served served(ModelConfig config, int generation, int maxModelLen) {
        String engine = config.engine().name() + " " + String.join(" ", config.engine().args());
        String digest = Integer.toHexString(engine.hashCode());
        return new ReplicaGroup.Served(config.model().id(), config.model().revision() + "/" + digest,
                config.contextLength() > 0 ? config.contextLength() : maxModelLen);
    }

    private void put(Deployment d) {
        deployments.put(d.name(), d);
        store.save(d);
        notifyAll();
    }

    private void put(Deployment d, List<ReplicaStatus> replicas) {
        List<ReplicaStatus> kept = new ArrayList<>(replicas);
        long ended = kept.stream().filter(r -> r.phase().ended()).count();
        for (var it = kept.iterator(); it.hasNext() && ended > ENDED_REPLICAS_KEPT; ) {
            if (it.next().phase().ended()) {
                it.remove();
                ended--;
            }
        }
        put(d.withReplicas(kept, now()));
    }

    private void change(String name, String id, java.util.function.UnaryOperator<ReplicaStatus> f) {
        Deployment d = deployments.get(name);
        if (d == null) {
            return;
        }
        List<ReplicaStatus> replicas = new ArrayList<>(d.replicaStatuses());
        int i = indexOf(replicas, id);
        if (i >= 0) {
            replicas.set(i, f.apply(replicas.get(i)));
            put(d, replicas);
        }
    }

    private static int indexOf(List<ReplicaStatus> replicas, String id) {
        for (int i = 0; i < replicas.size(); i++) {
            if (replicas.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private void event(String name, String replica, String reason, String message) {
        DeploymentEvent e = new DeploymentEvent(now(), name, replica, reason, message);
        Deque<DeploymentEvent> q = events.computeIfAbsent(name, k -> new ArrayDeque<>());
        q.addLast(e);
        while (q.size() > EVENTS_KEPT) {
            q.removeFirst();
        }
        LOG.info("{}{}: {} {}", name, replica == null ? "" : "/" + replica, reason, message);
        try {
            Path dir = store.dir(name);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("events.jsonl"), EVENT_LINE.writeValueAsString(e) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException ex) {
            LOG.warn("cannot record event of {}: {}", name, ex.toString());
        }
    }

    private void readEvents(String name) {
        Path file = store.dir(name).resolve("events.jsonl");
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(file);
            Deque<DeploymentEvent> q = events.computeIfAbsent(name, k -> new ArrayDeque<>());
            for (String line : lines.subList(Math.max(0, lines.size() - EVENTS_KEPT), lines.size())) {
                try {
                    q.addLast(DeploymentStore.JSON.readValue(line, DeploymentEvent.class));
                } catch (IOException ignored) {
                    // a torn last line after a crash
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read events of {}: {}", name, e.toString());
        }
    }

    private static String lastLine(String log) {
        if (log == null) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(Path.of(log));
            return lines.isEmpty() ? "" : "; last log line: " + lines.get(lines.size() - 1);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private String now() {
        return clock.instant().toString();
    }

    /**
     * Stops reconciling. With {@code stopReplicas}, stops every replica too (saved as stopped, so
     * the next start launches new ones); without, leaves them running for the next start to adopt.
     */
    public void close(boolean stopReplicas) {
        closed = true;
        loop.interrupt();
        List<ReplicaProcess> running;
        synchronized (this) {
            starting.values().forEach(Thread::interrupt);
            running = List.copyOf(processes.values());
            if (stopReplicas) {
                for (String name : List.copyOf(deployments.keySet())) {
                    Deployment d = deployments.get(name);
                    List<ReplicaStatus> next = d.replicaStatuses().stream()
                            .map(r -> r.phase().ended() ? r : r.to(ReplicaPhase.STOPPED, "stopped", now(),
                                    "Hearth stopped")).toList();
                    put(d, next);
                }
            }
        }
        if (stopReplicas) {
            running.parallelStream().forEach(p -> {
                p.stop(timings.stopGrace());
                nodePools.pools().release(p.id());
            });
        }
    }

    @Override
    public void close() {
        close(true);
    }
}
