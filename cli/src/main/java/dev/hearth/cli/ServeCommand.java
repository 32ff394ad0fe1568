package dev.hearth.cli;

import dev.hearth.enginesim.server.Flavor;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.platform.gateway.Backend;
import dev.hearth.platform.gateway.Gateway;
import dev.hearth.platform.gateway.GatewayConfig;
import dev.hearth.router.cache.MemoryPredictionStore;
import dev.hearth.platform.replicas.ReplicaLauncher;
import dev.hearth.platform.replicas.ReplicaProcess;
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
 * {@code hearth serve}: the main job. Starts simulated replicas (or takes running engines with
 * {@code --engine-url}) and the cache-aware gateway in front of them, all on loopback.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the cache-aware gateway in front of simulated (or given) vLLM or SGLang replicas.")
public final class ServeCommand implements Callable<Integer> {

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

    @Option(names = "--policy", defaultValue = "cost", description = "Routing policy (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--time-scale", defaultValue = "1.0", description = "Simulated seconds per wall second (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--state-dir", defaultValue = ".hearth", description = "Where logs and state go (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--api-keys", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer KEY'; FILE holds 'key tenant' lines, re-read when it changes.")
    Path apiKeys;

    @Option(names = "--tenant-concurrency", defaultValue = "256",
            description = "Most requests one tenant may have in flight; 0 for no limit (default: ${DEFAULT-VALUE}).")
    int tenantConcurrency;

    @Option(names = "--max-body-bytes", defaultValue = "16777216",
            description = "Largest request body accepted (default: ${DEFAULT-VALUE}).")
    long maxBodyBytes;

    @Option(names = "--cache-bytes", defaultValue = "268435456",
            description = "Prediction cache size in bytes; 0 turns it off (default: ${DEFAULT-VALUE}).")
    long cacheBytes;

    @Option(names = "--redis", paramLabel = "URL",
            description = "Keep the prediction cache in Redis (redis://HOST:PORT), shared by every gateway using it.")
    String redis;

    @Option(names = "--cache-ttl", defaultValue = "PT1H", description = "How long a cached answer lives, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration cacheTtl;

    /** The prediction cache's store: Redis when asked for, else memory, else none. */
    private dev.hearth.router.cache.PredictionStore store() {
        if (redis != null) {
            if (!redis.matches("rediss?://.+")) {
                throw new IllegalArgumentException("--redis must look like redis://HOST:PORT, was " + redis);
            }
            return new dev.hearth.router.cache.RedisPredictionStore(redis, cacheTtl, Duration.ofMillis(250));
        }
        return cacheBytes == 0 ? null : new MemoryPredictionStore(cacheBytes, cacheTtl);
    }

    @Override
    public Integer call() throws Exception {
        if (engineUrls.isEmpty() && (replicas < 1 || replicas > PrefixIndex.MAX_REPLICAS)) {
            throw new IllegalArgumentException("--replicas must be between 1 and " + PrefixIndex.MAX_REPLICAS + ", was " + replicas);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
        }
        Flavor f = Flavor.parse(flavor);
        if (tenantConcurrency < 0 || maxBodyBytes < 1_024 || cacheBytes < 0) {
            throw new IllegalArgumentException("--tenant-concurrency must be 0 or more, --max-body-bytes at least 1024, "
                    + "--cache-bytes 0 or more");
        }
        dev.hearth.platform.gateway.ApiKeys keys;
        try {
            keys = apiKeys == null ? null : new dev.hearth.platform.gateway.ApiKeys(apiKeys);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read --api-keys " + apiKeys + ": " + e.getMessage());
        }
        Router router = new Router(Policies.named(policy, System.nanoTime(), System::currentTimeMillis),
                new SessionAffinity(3_600_000), new PrefixIndex(), 0.25, 10_000);
        List<ReplicaProcess> started = new ArrayList<>();
        List<URI> urls = new ArrayList<>(engineUrls);
        if (urls.isEmpty()) {
            ReplicaLauncher launcher = new ReplicaLauncher(SelfCommand.current("sim"), stateDir.resolve("logs"),
                    Duration.ofSeconds(60));
            System.out.printf("Starting %d simulated %s replicas of %s ...%n", replicas, f.wireName(), model);
            List<String> args = new ArrayList<>(List.of("--flavor", f.wireName(), "--model", model,
                    "--time-scale", Double.toString(timeScale)));
            if (f == Flavor.VLLM) { // SGLang's page size of 1 token does not match the router's blocks of 16
                args.addAll(List.of("--kv-events", "tcp://127.0.0.1:*"));
            }
            started.addAll(launcher.start(replicas, args));
            started.forEach(r -> urls.add(r.url()));
        }
        List<Backend> backends = new ArrayList<>();
        int maxModelLen = 0;
        for (int i = 0; i < urls.size(); i++) {
            EngineClient client = new EngineClient(urls.get(i), Duration.ofSeconds(2), Duration.ofSeconds(2));
            EngineClient.ServedModel served;
            try {
                served = client.model();
            } catch (Exception e) {
                started.forEach(ReplicaProcess::close);
                throw new IllegalStateException("cannot reach the engine at " + urls.get(i) + ": " + e.getMessage());
            }
            if (!engineUrls.isEmpty() && i == 0) {
                model = served.id();
            }
            maxModelLen = Math.max(maxModelLen, served.maxModelLen());
            String id = "replica-" + i;
            router.addReplica(id, 100_000);
            backends.add(new Backend(id, client, i < started.size() ? started.get(i).kvEvents() : null));
        }
        // Every replica's prompt keys are the simulator's blocks of 16 tokens.
        PromptBlocks prompts = new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16);
        Gateway gateway;
        try {
            gateway = new Gateway(new GatewayConfig(host, port, model, model, maxModelLen, Duration.ofSeconds(1), keys,
                    tenantConcurrency, maxBodyBytes), router, backends, prompts,
                    store(), System::currentTimeMillis).start();
        } catch (RuntimeException e) {
            started.forEach(ReplicaProcess::close);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            started.parallelStream().forEach(ReplicaProcess::close);
            stopped.countDown();
        }));
        String base = "http://" + host + ":" + gateway.port();
        System.out.println();
        System.out.printf("Gateway  %s  (OpenAI API at %s/v1, policy %s)%n", base, base, policy);
        System.out.printf("%-12s %-28s %-8s %s%n", "REPLICA", "URL", "PID", "LOG");
        for (int i = 0; i < backends.size(); i++) {
            boolean ours = i < started.size();
            System.out.printf("%-12s %-28s %-8s %s%n", backends.get(i).id(), urls.get(i),
                    ours ? started.get(i).process().pid() : "-", ours ? started.get(i).log() : "-");
        }
        System.out.println();
        System.out.println("Try: curl -s " + base + "/v1/chat/completions -H 'Content-Type: application/json' "
                + "-d '{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"max_tokens\":16}'");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
