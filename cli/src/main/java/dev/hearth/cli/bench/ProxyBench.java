package dev.hearth.cli.bench;

import dev.hearth.router.prefix.PrefixIndex;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The gateway's live overhead: N engine simulators as separate processes, then the same closed-loop
 * load sent to them directly (the baseline), through {@code hearth serve --engine-url ...}, and
 * through nginx and HAProxy as plain round-robin proxies where installed, all in one run on
 * loopback. Every target is warmed up before any is measured, so the engines and the load
 * generator are as warm for the first measured target as for the last; then the targets are
 * measured in interleaved rounds ({@link #ROUNDS}).
 */
public final class ProxyBench {
    /**
     * Simulated seconds per wall second: a step of the simulated H100 takes microseconds of wall
     * time, so what is left is HTTP and JSON, the part a proxy adds to.
     */
    public static final int TIME_SCALE = 100_000;
    public static final int MAX_TOKENS = 8;
    public static final String MODEL = "Qwen/Qwen3-0.6B";
    public static final int MAX_CONCURRENCY = 1_024;
    /**
     * The measured requests are split into rounds, the targets taken in turn within each (and the
     * order rotated each round), so a change in the machine's load, or in its JIT state, falls on
     * every target alike rather than on whichever ran at the time: this machine is shared.
     */
    public static final int ROUNDS = 5;

    private static final Pattern SIM_READY = Pattern.compile("ready on (http://\\S+:\\d+)");
    private static final Pattern GATEWAY_READY = Pattern.compile("^Gateway\\s+(http://\\S+)\\s");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * What to run.
     *
     * @param replicas    engine simulators
     * @param concurrency requests in flight, per target
     * @param requests    measured requests per target
     * @param warmup      unmeasured requests per target first
     * @param stream      SSE answers
     * @param policy      Hearth's routing policy
     * @param redis       a Redis to run a second gateway against ({@code hearth+redis}), or null for none
     */
    public record Settings(int replicas, int concurrency, int requests, int warmup, boolean stream, String policy,
                           String redis) {
        public Settings(int replicas, int concurrency, int requests, int warmup, boolean stream, String policy) {
            this(replicas, concurrency, requests, warmup, stream, policy, null);
        }

        public Settings {
            if (replicas < 1 || replicas > PrefixIndex.MAX_REPLICAS) {
                throw new IllegalArgumentException("--replicas must be between 1 and " + PrefixIndex.MAX_REPLICAS
                        + ", was " + replicas);
            }
            if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
                throw new IllegalArgumentException("--concurrency must be between 1 and " + MAX_CONCURRENCY
                        + ", was " + concurrency);
            }
            if (requests < 1) {
                throw new IllegalArgumentException("--requests must be at least 1, was " + requests);
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("--warmup must be 0 or more, was " + warmup);
            }
        }
    }

    private final Settings settings;
    private final List<String> simCommand;
    private final List<String> serveCommand;
    private final String pathVariable;
    private final ChildProcesses children;
    private final ProgressLine progress;

    /**
     * @param simCommand   the command line of {@code hearth sim}, flags to be appended
     * @param serveCommand the command line of {@code hearth serve}, flags to be appended
     * @param pathVariable PATH, where nginx and haproxy are looked for (then /usr/sbin)
     * @param children     where every process started is recorded; the caller closes it
     */
    public ProxyBench(Settings settings, List<String> simCommand, List<String> serveCommand, String pathVariable,
                      ChildProcesses children, ProgressLine progress) {
        this.settings = settings;
        this.simCommand = List.copyOf(simCommand);
        this.serveCommand = List.copyOf(serveCommand);
        this.pathVariable = pathVariable;
        this.children = children;
        this.progress = progress;
    }

    /**
     * {@code hearth serve} over the engines. A tenant limit no load here reaches, so both gateways
     * take the tenant-limit path (leases in Redis for {@code hearth+redis}) without a 429.
     */
    private List<String> serve(List<URI> engines, String stateDir) {
        List<String> serve = new ArrayList<>(serveCommand);
        engines.forEach(e -> serve.addAll(List.of("--engine-url", e.toString())));
        serve.addAll(List.of("--port", "0", "--state-dir", children.folder().resolve(stateDir).toString(),
                "--policy", settings.policy(), "--tenant-concurrency", String.valueOf(10 * MAX_CONCURRENCY)));
        return serve;
    }

    /** The gateway sharing its state through Redis, as several gateways run. */
    public static final String SHARED = "hearth+redis";

    public ProxyReport run() throws Exception {
        List<ChildProcess> sims = new ArrayList<>();
        for (int i = 0; i < settings.replicas(); i++) {
            sims.add(children.start("hearth sim " + i, with(simCommand, "--port", "0", "--model", MODEL,
                    "--time-scale", String.valueOf(TIME_SCALE)), SIM_READY));
        }
        List<URI> engines = new ArrayList<>();
        for (ChildProcess sim : sims) {
            engines.add(sim.awaitUrl(START_TIMEOUT));
        }
        ChildProcess gateway = children.start("hearth serve", serve(engines, "hearth-state"), GATEWAY_READY);
        ChildProcess shared = null;
        if (settings.redis() != null) {
            List<String> withRedis = serve(engines, "hearth-redis-state");
            withRedis.addAll(List.of("--redis", settings.redis()));
            shared = children.start("hearth serve --redis", withRedis, GATEWAY_READY);
        }

        Map<String, ChildProcess> proxies = new LinkedHashMap<>();
        Map<String, URI> proxyUrls = new LinkedHashMap<>();
        List<ProxyReport.Skipped> skipped = new ArrayList<>();
        for (PlainProxy proxy : PlainProxy.values()) {
            Optional<Path> binary = proxy.locate(pathVariable);
            if (binary.isEmpty()) {
                skipped.add(new ProxyReport.Skipped(proxy.label(), proxy.notInstalled()));
                continue;
            }
            int port = freePort();
            List<String> argv = proxy.prepare(binary.get(), children.folder().resolve(proxy.label()), port, engines,
                    settings.concurrency());
            proxies.put(proxy.label(), children.start(proxy.label(), argv, null));
            proxyUrls.put(proxy.label(), URI.create("http://127.0.0.1:" + port));
        }

        Map<String, List<URI>> targets = new LinkedHashMap<>();
        targets.put(TargetResult.DIRECT, engines);
        targets.put("hearth", List.of(gateway.awaitUrl(START_TIMEOUT)));
        if (shared != null) {
            targets.put(SHARED, List.of(shared.awaitUrl(START_TIMEOUT)));
        }
        for (Map.Entry<String, ChildProcess> p : proxies.entrySet()) {
            URI url = proxyUrls.get(p.getKey());
            awaitAnswer(p.getValue(), url);
            targets.put(p.getKey(), List.of(url));
        }
        progress.note("started " + settings.replicas() + " engine simulator(s), hearth"
                + (proxies.isEmpty() ? "" : ", " + String.join(", ", proxies.keySet()))
                + skipped.stream().map(s -> "; " + s.name() + ": " + s.reason()).reduce("", String::concat));

        LoadGenerator load = new LoadGenerator(settings.concurrency(),
                new ChatRequests(MODEL, MAX_TOKENS, settings.stream()), REQUEST_TIMEOUT);
        if (settings.warmup() > 0) {
            for (Map.Entry<String, List<URI>> t : targets.entrySet()) {
                run(load, "warm-up " + t.getKey(), t.getValue(), settings.warmup());
            }
        }
        List<String> names = new ArrayList<>(targets.keySet());
        Map<String, List<LoadRun>> runs = new LinkedHashMap<>();
        names.forEach(n -> runs.put(n, new ArrayList<>()));
        int rounds = rounds(settings.requests());
        for (int r = 0; r < rounds; r++) {
            int count = settings.requests() / rounds + (r < settings.requests() % rounds ? 1 : 0);
            for (int k = 0; k < names.size(); k++) {
                String name = names.get((r + k) % names.size());
                runs.get(name).add(run(load, name + " " + (r + 1) + "/" + rounds, targets.get(name), count));
            }
        }
        List<TargetResult> results = new ArrayList<>();
        for (String name : names) {
            results.add(new TargetResult(name, targets.get(name), LoadResult.of(runs.get(name))));
        }
        return new ProxyReport(settings, results, skipped);
    }

    /** Rounds the measured requests are split into: {@link #ROUNDS}, fewer only when there are fewer requests. */
    public static int rounds(int requests) {
        return Math.min(ROUNDS, requests);
    }

    private LoadRun run(LoadGenerator load, String label, List<URI> urls, int count) throws Exception {
        if (children.isClosed()) {
            throw new IllegalStateException("stopped before " + label);
        }
        AtomicLong done = new AtomicLong();
        return progress.show(label, count, done, () -> load.run(urls, count, done), run -> {
            LoadResult r = LoadResult.of(List.of(run));
            return String.format(Locale.ROOT, "%d requests in %.1f s, %d errors, p50 %.3f ms, p99 %.3f ms",
                    r.completed() + r.errors(), r.elapsed().toNanos() / 1e9, r.errors(), r.p50Ms(), r.p99Ms());
        });
    }

    /** Waits until a proxy answers {@code GET /v1/models} from an engine; fails with its last line if it exits first. */
    private static void awaitAnswer(ChildProcess proxy, URI url) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "no answer";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            while (System.nanoTime() < deadline) {
                if (!proxy.isAlive()) {
                    throw new IllegalStateException(proxy.name() + " exited at start" + proxy.lastLine());
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/v1/models"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                    last = "HTTP " + r.statusCode();
                } catch (IOException e) {
                    last = e.toString();
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(proxy.name() + " did not answer at " + url + " within 30 s (" + last + ")"
                + proxy.lastLine());
    }

    /**
     * A port free on loopback now, for a proxy that cannot report the one it took. Another process
     * could take it before the proxy binds; the proxy then fails at start and says so.
     */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<String> with(List<String> command, String... flags) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(flags));
        return all;
    }
}
