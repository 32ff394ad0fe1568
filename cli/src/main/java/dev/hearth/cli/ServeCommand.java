package dev.hearth.cli;

import dev.hearth.platform.deployments.DeploymentMeters;
import dev.hearth.platform.metrics.PrometheusMetrics;
import dev.hearth.platform.nodepools.NodePoolMeters;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.platform.gateway.Backend;
import dev.hearth.platform.gateway.Gateway;
import dev.hearth.platform.gateway.CircuitBreaker;
import dev.hearth.platform.gateway.GatewayConfig;
import dev.hearth.platform.gateway.SessionStore;
import dev.hearth.platform.gateway.UpstreamLimits;
import dev.hearth.platform.gateway.SharedState;
import dev.hearth.platform.tracing.Tracing;
import dev.hearth.platform.tracing.TracingSettings;
import dev.hearth.platform.shared.SharedRedis;
import dev.hearth.platform.shared.ControlPlaneLease;
import dev.hearth.platform.shared.ControlPlaneRole;
import dev.hearth.platform.shared.FollowedDeployments;
import dev.hearth.platform.shared.LeaderProxy;
import dev.hearth.platform.deployments.StateMirror;
import dev.hearth.router.cache.MemoryPredictionStore;
import dev.hearth.mcp.McpHttp;
import dev.hearth.platform.api.ControlApi;
import dev.hearth.platform.dashboard.Dashboard;
import dev.hearth.platform.gateway.MetricHistory;
import dev.hearth.platform.deployments.Deployment;
import dev.hearth.platform.deployments.DeploymentNames;
import dev.hearth.platform.deployments.DeploymentService;
import dev.hearth.platform.deployments.DeploymentStore;
import dev.hearth.platform.deployments.ReplicaPhase;
import dev.hearth.platform.deployments.ReplicaStatus;
import dev.hearth.platform.deployments.StateLock;
import dev.hearth.platform.gateway.ReplicaGroup;
import dev.hearth.platform.gateway.ReplicaGroups;
import dev.hearth.platform.replicas.EngineCommands;
import dev.hearth.platform.replicas.ProcessLauncher;
import dev.hearth.platform.nodepools.NodePoolService;
import dev.hearth.warmpools.WarmPools;
import java.util.Map;
import java.time.Clock;
import dev.hearth.router.Router;
import dev.hearth.router.policy.Policies;
import dev.hearth.router.prefix.PrefixIndex;
import dev.hearth.router.session.SessionAffinity;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hearth serve}: the main job. Runs the cache-aware gateway and the control plane: restores
 * the deployments saved under {@code --state-dir} (adopting replicas still running), or on a first
 * start deploys the model given by the flags on simulated replicas. {@code --engine-url} routes over
 * engines already running instead.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the cache-aware gateway in front of simulated (or given) vLLM or SGLang replicas.")
public final class ServeCommand implements Callable<Integer> {
    /** How often each deployment is sampled for the dashboard's charts, and how long samples are kept. */
    private static final Duration HISTORY_INTERVAL = Duration.ofSeconds(5);
    private static final Duration HISTORY_KEPT = Duration.ofMinutes(15);
    /** How often session bindings are saved under --state-dir while they change. */
    private static final Duration SESSIONS_SAVED_EVERY = Duration.ofSeconds(2);


    @Option(names = "--replicas", defaultValue = "4", description = "Simulated replicas to start (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--port", defaultValue = "8080", description = "Gateway port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Gateway address (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--flavor", defaultValue = "vllm", description = "vllm or sglang (default: ${DEFAULT-VALUE}).")
    String flavor;

    @Option(names = "--model", defaultValue = "Qwen/Qwen3-0.6B", description = "Model to serve (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--engine-url", paramLabel = "URL",
            description = "Route over an engine that is already running (repeatable); no replicas are started then.")
    List<URI> engineUrls = new ArrayList<>();

    @Option(names = "--engine-kv-events", paramLabel = "ENDPOINT",
            description = "The KV events endpoint (tcp://HOST:PORT) of each --engine-url, in the same order, so this "
                    + "gateway follows their caches itself; without it, caches are learned from routing decisions.")
    List<String> engineKvEvents = new ArrayList<>();

    @Option(names = "--policy", defaultValue = "cost", description = "Routing policy (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--time-scale", defaultValue = "1.0", description = "Simulated seconds per wall second (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--state-dir", defaultValue = "${sys:user.home}/.hearth",
            description = "Where deployments, logs and launch files live (default: ~/.hearth).")
    Path stateDir;

    @Option(names = "--node-provision-delay", defaultValue = "PT0S",
            description = "How long a new node of the local pool takes to come up, ISO-8601: simulates a cloud's "
                    + "provisioning (default: ${DEFAULT-VALUE}).")
    Duration nodeProvisionDelay;

    @Option(names = "--kubernetes-namespace", paramLabel = "NS",
            description = "Offer the kubernetes nodepool provider, placing placeholders in NS of the current kubeconfig's cluster.")
    String kubernetesNamespace;

    @Option(names = "--discover-pods", paramLabel = "SELECTOR",
            description = "Route over the Kubernetes pods this label selector picks (e.g. app.kubernetes.io/name=hearth-engine): "
                    + "each joins when Ready and drains when not; no replicas are started then.")
    String discoverPods;

    @Option(names = "--discover-namespace", paramLabel = "NS",
            description = "Namespace --discover-pods looks in (default: this pod's own, else the kubeconfig's).")
    String discoverNamespace;

    @Option(names = "--engine-port", paramLabel = "PORT", defaultValue = "8000",
            description = "HTTP port of a discovered pod that names no container port 'http' (default: ${DEFAULT-VALUE}).")
    int enginePort;

    @Option(names = "--kv-events-port", paramLabel = "PORT", defaultValue = "5557",
            description = "KV events port of a discovered pod that names no container port 'kv-events'; 0 for none "
                    + "(default: ${DEFAULT-VALUE}).")
    int kvEventsPort;

    @Option(names = "--mcp-allowed-origin", paramLabel = "ORIGIN",
            description = "A browser origin, beyond this machine's, that may call /mcp (repeatable).")
    List<String> mcpAllowedOrigins = new ArrayList<>();

    @Option(names = "--mcp-read-only", description = "Offer only MCP tools that change nothing at /mcp.")
    boolean mcpReadOnly;

    @Option(names = "--keep", description = "Keep each replica's generated launch file (REPLICA.sh) for debugging.")
    boolean keep;

    @Option(names = "--api-keys", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer KEY'; FILE holds 'KEY TENANT [admin] [share=GROUP]' lines "
                    + "(KEY plain or sha256:HEX; see hearth keys add), re-read when it changes. Only admin keys may "
                    + "call /api/v1; share=GROUP puts tenants in one prefix-cache namespace.")
    Path apiKeys;

    @Option(names = "--tenant-concurrency", defaultValue = "256",
            description = "Most requests one tenant may have in flight; 0 for no limit (default: ${DEFAULT-VALUE}).")
    int tenantConcurrency;

    @Option(names = "--max-body-bytes", defaultValue = "16777216",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--upstream-timeout", paramLabel = "DURATION", defaultValue = "PT60S",
            description = "How long an engine may take to the first byte of its answer (the whole answer when not "
                    + "streaming), ISO-8601; past it the request is retried on another replica (default: ${DEFAULT-VALUE}).")
    Duration upstreamTimeout;

    @Option(names = "--upstream-idle-timeout", paramLabel = "DURATION", defaultValue = "PT60S",
            description = "Longest silence within an engine's answer, ISO-8601; past it a stream ends with an error event "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration upstreamIdleTimeout;

    @Option(names = "--circuit-breaker-failures", paramLabel = "N", defaultValue = "5",
            description = "Consecutive failures or timeouts of a replica that open its circuit breaker, so it takes no "
                    + "request until a probe succeeds; 0 for no breaker (default: ${DEFAULT-VALUE}).")
    int circuitBreakerFailures;

    @Option(names = "--circuit-breaker-cool-down", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long an open circuit breaker sends its replica nothing before one probe request, ISO-8601 "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration circuitBreakerCoolDown;

    @Option(names = "--cache-bytes", defaultValue = "268435456",
            description = "Prediction cache size in bytes; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long cacheBytes;

    @Option(names = "--redis", paramLabel = "URL",
            description = "Share the prediction cache, session bindings, tenant limits and learned routing decisions "
                    + "with every gateway using this Redis (redis://HOST:PORT); without it, each serves alone.")
    String redis;

    @Option(names = "--advertise-url", paramLabel = "URL",
            description = "With --redis: the address other gateways reach this one's control API at, while it runs "
                    + "the control plane (default: http://HOST:PORT of this gateway).")
    URI advertiseUrl;

    @Option(names = "--cache-ttl", defaultValue = "PT1H", description = "How long a cached answer lives, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration cacheTtl;

    @Option(names = "--otlp-endpoint", paramLabel = "URL",
            description = "Export OpenTelemetry spans of each inference request (routing, cache lookup, engine call) over "
                    + "OTLP/HTTP to URL/v1/traces, e.g. http://127.0.0.1:4318 (default: $OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, "
                    + "else $OTEL_EXPORTER_OTLP_ENDPOINT, else no spans; a client's traceparent reaches the engines either way).")
    String otlpEndpoint;

    @Option(names = "--trace-sample-ratio", paramLabel = "RATIO", defaultValue = "1.0",
            description = "Share of new traces recorded, 0 to 1; a request with a traceparent follows its caller's "
                    + "decision (default: ${DEFAULT-VALUE}).")
    double traceSampleRatio;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** The prediction cache's store: Redis when asked for, else memory, else none. */
    private dev.hearth.router.cache.PredictionStore store(SharedRedis shared) {
        if (shared != null) {
            return new dev.hearth.platform.shared.RedisPredictionStore(shared.link(), cacheTtl);
        }
        return cacheBytes == 0 ? null : new MemoryPredictionStore(cacheBytes, cacheTtl);
    }

    @Override
    public Integer call() throws Exception {
        if (engineUrls.isEmpty() && discoverPods == null && (replicas < 1 || replicas > PrefixIndex.MAX_REPLICAS)) {
            throw new IllegalArgumentException("--replicas must be between 1 and " + PrefixIndex.MAX_REPLICAS + ", was " + replicas);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
        }
        Flavor f = Flavor.parse(flavor);
        if (nodeProvisionDelay.isNegative()) {
            throw new IllegalArgumentException("--node-provision-delay cannot be negative, was " + nodeProvisionDelay);
        }
        Policies.named(policy, 0, System::currentTimeMillis); // refuses an unknown policy before anything starts
        if (tenantConcurrency < 0 || maxBodyBytes < 1_024 || cacheBytes < 0) {
            throw new IllegalArgumentException("--tenant-concurrency must be 0 or more, --max-body-bytes at least 1024, "
                    + "--cache-bytes 0 or more");
        }
        for (var d : Map.of("--upstream-timeout", upstreamTimeout, "--upstream-idle-timeout", upstreamIdleTimeout,
                "--circuit-breaker-cool-down", circuitBreakerCoolDown).entrySet()) {
            if (d.getValue().isNegative() || d.getValue().isZero()) {
                throw new IllegalArgumentException(d.getKey() + " must be positive, was " + d.getValue());
            }
        }
        if (circuitBreakerFailures < 0) {
            throw new IllegalArgumentException("--circuit-breaker-failures must be 0 (no breaker) or more, was "
                    + circuitBreakerFailures);
        }
        UpstreamLimits upstream = new UpstreamLimits(upstreamTimeout, upstreamIdleTimeout,
                new CircuitBreaker.Settings(circuitBreakerFailures, circuitBreakerCoolDown));
        if (!engineKvEvents.isEmpty() && engineKvEvents.size() != engineUrls.size()) {
            throw new IllegalArgumentException("--engine-kv-events must be given once per --engine-url, in the same order ("
                    + engineUrls.size() + " URLs, " + engineKvEvents.size() + " endpoints)");
        }
        for (String e : engineKvEvents) {
            if (!e.matches("tcp://[^:/]+:\\d+")) {
                throw new IllegalArgumentException("--engine-kv-events must look like tcp://HOST:PORT, was " + e);
            }
        }
        if (redis != null) {
            try {
                if (!redis.matches("rediss?://([^@/]*@)?[^/:@]+(:\\d+)?(/\\d*)?")) {
                    throw new IllegalArgumentException();
                }
                io.lettuce.core.RedisURI.create(redis);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--redis must look like redis://HOST:PORT, was "
                        + dev.hearth.platform.shared.RedisLink.redacted(redis));
            }
        }
        java.util.Optional<TracingSettings> tracing;
        try {
            tracing = TracingSettings.resolve(otlpEndpoint, traceSampleRatio, System.getenv());
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        ReplicaGroups groups = new ReplicaGroups();
        SharedRedis shared = redis == null ? null
                : new SharedRedis(redis, groups, System::currentTimeMillis, tenantConcurrency, Duration.ofHours(1));
        dev.hearth.platform.gateway.ApiKeys keys;
        try {
            keys = apiKeys == null ? null : new dev.hearth.platform.gateway.ApiKeys(apiKeys,
                    shared == null ? dev.hearth.platform.gateway.KeyDirectory.NONE : shared.keys());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read --api-keys " + apiKeys + ": " + e.getMessage());
        }
        StateLock lock = StateLock.take(stateDir);
        if (!engineUrls.isEmpty()) {
            groups.add(external());
        }
        dev.hearth.platform.kubernetes.PodDiscovery discovery = discoverPods == null ? null : discovery(groups);
        Map<String, dev.hearth.warmpools.NodeProvider> providers = new java.util.HashMap<>();
        providers.put(NodePoolService.LOCAL, NodePoolService.localProvider(nodeProvisionDelay));
        if (kubernetesNamespace != null) {
            providers.put("kubernetes", kubernetes());
        }
        StateMirror mirror = shared == null ? StateMirror.NONE : shared.mirror();
        NodePoolService nodePools = new NodePoolService(stateDir, Clock.systemUTC(), providers,
                WarmPools.Settings.standard(), mirror);
        DeploymentStore store = new DeploymentStore(stateDir, mirror);
        DeploymentService deployments = new DeploymentService(store, nodePools, groups,
                EngineCommands.standard(SelfCommand.current("sim"), timeScale), new ProcessLauncher("127.0.0.1", keep),
                ServeCommand::prompts, Clock.systemUTC(), DeploymentService.Timings.standard());
        if (shared == null) {
            runControlPlane(deployments, f);
        }
        Gateway gateway;
        java.util.concurrent.atomic.AtomicReference<Gateway> self = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<ControlPlaneRole> role = new java.util.concurrent.atomic.AtomicReference<>();
        ControlPlaneLease lease = shared == null ? null : shared.lease(() -> advertiseUrl != null ? advertiseUrl.toString()
                : "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + self.get().port());
        SessionStore sessions = new SessionStore(stateDir.resolve("sessions.json"), groups, System::currentTimeMillis,
                SESSIONS_SAVED_EVERY);
        MetricHistory history = new MetricHistory(groups, System::currentTimeMillis, HISTORY_INTERVAL, HISTORY_KEPT).start();
        McpHttp mcp = new McpHttp(() -> URI.create("http://127.0.0.1:" + self.get().port()), keys, mcpAllowedOrigins,
                mcpReadOnly, "0.1.0", List.of(CliDocs.reference()), (int) Math.min(Integer.MAX_VALUE, maxBodyBytes));
        PrometheusMetrics metrics = new PrometheusMetrics().add(new NodePoolMeters(nodePools))
                .add(new DeploymentMeters(deployments));
        if (shared != null) {
            metrics.add(shared);
        }
        try {
            gateway = new Gateway(new GatewayConfig(host, port, model, model, 0, Duration.ofSeconds(1), keys,
                    tenantConcurrency, maxBodyBytes, upstream), groups, store(shared), System::currentTimeMillis,
                    extensions(lease == null ? null : new LeaderProxy(lease, () -> role.get() != null && role.get().serving()),
                            new ControlApi(deployments, nodePools, groups, keys, history), mcp),
                    metrics,
                    shared == null ? SharedState.local(tenantConcurrency) : shared.state(), Tracing.of(tracing));
            self.set(gateway);
            int restored = sessions.start();
            if (restored > 0) {
                System.out.printf("Restored %d session binding(s) from %s%n", restored, stateDir.resolve("sessions.json"));
            }
            gateway.start();
            if (shared != null) {
                role.set(new ControlPlaneRole(lease, new FollowedDeployments(mirror, groups, ServeCommand::prompts,
                        System::currentTimeMillis), () -> takeOver(shared, store, nodePools, deployments, f), groups));
                metrics.add(role.get());
                if (!role.get().start()) {
                    System.out.printf("Following the control plane at %s (through Redis at %s): control API calls are "
                            + "relayed there%n", lease.holder(), shared.link().where());
                }
            }
        } catch (RuntimeException e) {
            sessions.close();
            history.close();
            if (discovery != null) {
                discovery.close();
            }
            deployments.close(true);
            nodePools.close();
            if (shared != null) {
                shared.close();
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sessions.close(); // the last bindings, before anything stops
            mcp.close();
            history.close();
            if (discovery != null) {
                discovery.close();
            }
            gateway.close();
            if (role.get() != null) {
                role.get().close(); // gives the lease up: a follower takes over at once
            }
            if (shared != null) {
                shared.close();
            }
            // Several gateways: the replicas outlive this one, for the next control plane to adopt.
            deployments.close(shared == null);
            nodePools.close();
            lock.close();
            stopped.countDown();
        }));
        for (Deployment d : deployments.list()) {
            if (!deployments.await(d.name(), Duration.ofSeconds(120))) {
                Deployment now = deployments.get(d.name());
                System.out.printf("%s is %s: %d of %d replicas ready; see GET /api/v1/deployments/%s/events%n", d.name(),
                        now.status(), now.readyReplicas(), now.replicas(), d.name());
            }
        }
        String base = "http://" + host + ":" + gateway.port();
        System.out.println();
        System.out.printf("Gateway  %s  (OpenAI API at %s/v1, control API at %s/api/v1, MCP at %s/mcp, policy %s)%n",
                base, base, base, base, policy);
        tracing.ifPresent(t -> System.out.printf("Tracing  spans over OTLP/HTTP to %s (service %s, new traces sampled at %s)%n",
                t.tracesEndpoint(), t.serviceName(), t.sampleRatio()));
        System.out.printf("%-24s %-28s %-8s %s%n", "REPLICA", "URL", "PID", "LOG");
        for (int i = 0; i < engineUrls.size(); i++) {
            System.out.printf("%-24s %-28s %-8s %s%n", "replica-" + i, engineUrls.get(i), "-", "-");
        }
        for (Deployment d : deployments.list()) {
            for (ReplicaStatus r : d.replicaStatuses()) {
                if (r.phase() == ReplicaPhase.READY) {
                    System.out.printf("%-24s %-28s %-8s %s%n", r.id(), r.url(), r.pid(), r.log());
                }
            }
        }
        System.out.println();
        System.out.println("Try: curl -s " + base + "/v1/chat/completions -H 'Content-Type: application/json' "
                + "-d '{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"max_tokens\":16}'");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** Restores (or, on a first start, creates) the deployments and starts reconciling them. */
    private void runControlPlane(DeploymentService deployments, Flavor f) {
        for (String note : deployments.start()) {
            System.out.println(note);
        }
        if (engineUrls.isEmpty() && discoverPods == null && deployments.list().isEmpty()) {
            System.out.printf("Starting %d simulated %s replicas of %s ...%n", replicas, f.wireName(), model);
            deployments.create(DeploymentNames.fromModel(model), defaultConfig(f));
        } else if (!deployments.list().isEmpty()) {
            System.out.printf("Restored %d deployment(s) from %s (--replicas, --model and --flavor apply only to a first "
                    + "start)%n", deployments.list().size(), stateDir);
        }
    }

    /** This gateway becomes the control plane: the state the last one mirrored to Redis replaces its own, then it runs it. */
    private java.util.Set<String> takeOver(SharedRedis shared, DeploymentStore store, NodePoolService nodePools,
                                           DeploymentService deployments, Flavor f) throws java.io.IOException {
        Map<String, byte[]> mirrored = shared.mirror().all();
        if (mirrored != null) {
            int n = store.adopt(mirrored);
            if (mirrored.containsKey(StateMirror.NODEPOOLS)) {
                nodePools.adopt(mirrored.get(StateMirror.NODEPOOLS));
            }
            if (n > 0) {
                System.out.printf("Running the control plane: %d deployment(s) from Redis at %s%n", n, shared.link().where());
            }
        }
        runControlPlane(deployments, f);
        return deployments.list().stream().map(Deployment::name).collect(java.util.stream.Collectors.toSet());
    }

    /** The routes beside the gateway's own; with several gateways, control calls on a follower go to the control plane. */
    private static List<java.util.function.Consumer<io.javalin.config.JavalinConfig>> extensions(
            LeaderProxy relay, ControlApi control, McpHttp mcp) {
        List<java.util.function.Consumer<io.javalin.config.JavalinConfig>> out = new ArrayList<>();
        if (relay != null) {
            out.add(relay);
        }
        out.add(control);
        out.add(mcp);
        out.add(new dev.hearth.skills.WellKnownSkills(dev.hearth.skills.SkillSet.bundled()));
        out.add(new Dashboard());
        return out;
    }

    /** The Kubernetes provider on the cluster of the current kubeconfig (or the pod's service account). */
    private dev.hearth.warmpools.NodeProvider kubernetes() {
        var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
        var provider = new dev.hearth.platform.kubernetes.KubernetesProvider(client, kubernetesNamespace);
        try {
            provider.ensurePriorityClasses();
        } catch (RuntimeException e) {
            client.close();
            throw new IllegalStateException("cannot use Kubernetes at " + client.getMasterUrl() + ": " + e.getMessage());
        }
        return provider;
    }

    /** Engine pods found in the Kubernetes API, one group per deployment label, each a Router as for --engine-url. */
    private dev.hearth.platform.kubernetes.PodDiscovery discovery(ReplicaGroups groups) {
        var selector = dev.hearth.platform.kubernetes.PodSelector.parse(discoverPods);
        var client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
        // fabric8 reads the namespace from the service account in a pod, else from the kubeconfig's context.
        String namespace = discoverNamespace != null ? discoverNamespace : client.getNamespace();
        try {
            var settings = new dev.hearth.platform.kubernetes.PodDiscovery.Settings(namespace == null ? "default" : namespace,
                    selector, enginePort, kvEventsPort);
            System.out.printf("Discovering engine pods %s in namespace %s%n", selector, settings.namespace());
            return dev.hearth.platform.kubernetes.PodDiscovery.start(client, settings, groups, (name, served) -> new ReplicaGroup(
                    name, new ReplicaGroup.Served(served.id(), served.id(), served.maxModelLen()),
                    new Router(Policies.named(policy, System.nanoTime(), System::currentTimeMillis), new SessionAffinity(3_600_000),
                            new PrefixIndex(), 0.25, 10_000), prompts(), System::currentTimeMillis));
        } catch (RuntimeException e) {
            client.close();
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalStateException("cannot list pods in namespace " + namespace + " at " + client.getMasterUrl() + ": "
                    + (root == e ? e.getMessage() : root.toString()));
        }
    }

    /** The first start's deployment: the flags as a config.yaml. */
    private String defaultConfig(Flavor f) {
        return """
                model:
                  id: %s
                engine:
                  name: %s
                  launcher: simulator
                replicas:
                  min: %d
                  max: %d
                routing:
                  policy: %s
                """.formatted(model, f.wireName(), replicas, replicas, policy);
    }

    /**
     * The model an engine serves. An engine that answers slowly (busy, or its JIT still cold) is
     * asked again for up to 30 s; one that refuses the connection is not there, and fails at once.
     */
    private static EngineClient.ServedModel servedBy(EngineClient client, URI url) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                return client.model();
            } catch (java.net.http.HttpTimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot reach the engine at " + url + ": no answer within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking the engine at " + url + " for its model");
            } catch (Exception e) {
                throw new IllegalStateException("cannot reach the engine at " + url + ": " + e.getMessage());
            }
        }
    }

    /** Engines given with --engine-url: routed to as they are, never started or stopped. */
    private ReplicaGroup external() {
        List<Backend> backends = new ArrayList<>();
        int maxModelLen = 0;
        for (int i = 0; i < engineUrls.size(); i++) {
            EngineClient client = new EngineClient(engineUrls.get(i), Duration.ofSeconds(2), Duration.ofSeconds(2));
            EngineClient.ServedModel served = servedBy(client, engineUrls.get(i));
            if (i == 0) {
                model = served.id();
            }
            maxModelLen = Math.max(maxModelLen, served.maxModelLen());
            backends.add(new Backend("replica-" + i, client, engineKvEvents.isEmpty() ? null : engineKvEvents.get(i)));
        }
        Router router = new Router(Policies.named(policy, System.nanoTime(), System::currentTimeMillis),
                new SessionAffinity(3_600_000), new PrefixIndex(), 0.25, 10_000);
        ReplicaGroup group = new ReplicaGroup(DeploymentNames.fromModel(model),
                new ReplicaGroup.Served(model, model, maxModelLen), router, prompts(), System::currentTimeMillis);
        backends.forEach(b -> group.add(b, false));
        return group;
    }

    /** Every replica's prompt keys: the simulator's tokenizer and blocks of 16 tokens. */
    private static PromptBlocks prompts() {
        return new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16);
    }
}
