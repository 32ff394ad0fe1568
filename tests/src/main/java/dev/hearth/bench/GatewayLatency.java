package dev.hearth.bench;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.platform.gateway.Backend;
import dev.hearth.platform.gateway.Gateway;
import dev.hearth.platform.gateway.GatewayConfig;
import dev.hearth.router.Router;
import dev.hearth.router.cache.MemoryPredictionStore;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What the gateway adds: the same requests sent straight to a replica and through the gateway, in
 * one run, non-streaming and streaming (per chunk); and prediction cache hits at a fixed rate
 * (open loop: latency counted from each request's scheduled start, so queueing shows). The
 * simulator runs its clock 100,000x faster, so engine time is negligible and the difference is
 * the gateway's.
 */
public final class GatewayLatency {
    /** p50 and p99 in microseconds. */
    public record Figures(double p50, double p99) {
        static Figures of(Histogram h) {
            return new Figures(h.getValueAtPercentile(50) / 1_000.0, h.getValueAtPercentile(99) / 1_000.0);
        }
    }

    /** Results of one run. */
    public record Result(Figures direct, Figures gateway, Figures directChunk, Figures gatewayChunk, Figures hit,
                         int hitRate) {}

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public Result run(int requests, int hitSeconds, int hitRate) throws Exception {
        SimServer sim = SimServer.start(new SimSettings("127.0.0.1", 0, Flavor.VLLM, "m", Profiles.H100_QWEN3_0_6B,
                new EngineLimits(16, 4_000, 8_192, 256, 8_192), 100_000, null, null));
        Router router = Router.withDefaults();
        router.addReplica("replica-0", 4_000);
        URI direct = URI.create("http://127.0.0.1:" + sim.port());
        try (Gateway gateway = Gateway.overReplicas(GatewayConfig.open("127.0.0.1", 0, "m", "v1", 8_192, Duration.ofSeconds(1)),
                router, List.of(new Backend("replica-0", new EngineClient(direct, Duration.ofSeconds(2), Duration.ofSeconds(2)), null)),
                new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16),
                new MemoryPredictionStore(64 << 20, Duration.ofMinutes(10)), System::currentTimeMillis).start()) {
            URI via = URI.create("http://127.0.0.1:" + gateway.port());
            String plain = "{\"messages\":[{\"role\":\"user\",\"content\":\"latency %d\"}],\"max_tokens\":8}";
            String stream = "{\"messages\":[{\"role\":\"user\",\"content\":\"stream %d\"}],\"max_tokens\":64,\"stream\":true}";
            for (int warm = 0; warm < 2; warm++) { // JIT both paths first
                measure(direct, plain, requests / 2, false);
                measure(via, plain, requests / 2, false);
            }
            Histogram d = measure(direct, plain, requests, false);
            Histogram g = measure(via, plain, requests, false);
            Histogram dc = measure(direct, stream, requests / 4, true);
            Histogram gc = measure(via, stream, requests / 4, true);
            String cached = "{\"messages\":[{\"role\":\"user\",\"content\":\"hit me\"}],\"max_tokens\":8,\"temperature\":0}";
            send(via, cached, false);
            Histogram hits = openLoop(via, cached, hitSeconds, hitRate);
            return new Result(Figures.of(d), Figures.of(g), Figures.of(dc), Figures.of(gc), Figures.of(hits), hitRate);
        } finally {
            sim.close();
        }
    }

    /** Sequential requests; for streams, the time per chunk (whole response over chunks). */
    private Histogram measure(URI base, String template, int n, boolean streaming) throws Exception {
        Histogram h = new Histogram(3);
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            int chunks = send(base, String.format(template, i), streaming);
            long took = System.nanoTime() - t0;
            h.recordValue(streaming ? took / Math.max(1, chunks) : took);
        }
        return h;
    }

    private int send(URI base, String body, boolean streaming) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + r.statusCode());
        }
        byte[] all = r.body().readAllBytes();
        if (!streaming) {
            return 1;
        }
        int chunks = 0;
        for (int i = 0; i + 5 < all.length; i++) {
            if (all[i] == 'd' && all[i + 1] == 'a' && all[i + 2] == 't' && all[i + 3] == 'a' && all[i + 4] == ':') {
                chunks++;
            }
        }
        return chunks;
    }

    private Histogram openLoop(URI base, String body, int seconds, int rate) throws Exception {
        Histogram h = new Histogram(3);
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 50_000_000L;
        int total = seconds * rate;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < total; i++) {
                long scheduled = start + i * interval;
                long wait = scheduled - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                pool.submit(() -> {
                    send(base, body, false);
                    synchronized (h) {
                        h.recordValue(Math.max(0, System.nanoTime() - scheduled));
                    }
                    return null;
                });
            }
        }
        return h;
    }

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        Result r = new GatewayLatency().run(requests, 5, 1_000);
        print(r);
    }

    static void print(Result r) {
        System.out.printf(Locale.ROOT, "%ngateway latency (same run, one simulated replica, engine time ~0):%n");
        System.out.printf(Locale.ROOT, "  non-streaming  direct p50 %.0f us p99 %.0f us; via gateway p50 %.0f us p99 %.0f us;"
                + " added p50 %.0f us (ratio %.2fx)%n", r.direct().p50(), r.direct().p99(), r.gateway().p50(), r.gateway().p99(),
                r.gateway().p50() - r.direct().p50(), r.gateway().p50() / r.direct().p50());
        System.out.printf(Locale.ROOT, "  streaming      direct p50 %.0f us/chunk; via gateway p50 %.0f us/chunk (ratio %.2fx)%n",
                r.directChunk().p50(), r.gatewayChunk().p50(), r.gatewayChunk().p50() / r.directChunk().p50());
        System.out.printf(Locale.ROOT, "  cache hits at %d req/s: p50 %.0f us, p99 %.0f us%n", r.hitRate(), r.hit().p50(), r.hit().p99());
    }
}
