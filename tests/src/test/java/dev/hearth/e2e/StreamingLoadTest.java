package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Load: {@value #DEFAULT_REQUESTS} streaming chat completions, all in flight at once, through one
 * {@code hearth serve --engine-url ...} over engine simulators (separate processes, time scale
 * 100,000, so the engines' own time is small), and the same load sent straight to the simulators in
 * the same run as the baseline. Every stream must end with {@code [DONE]} (zero errors, checked by
 * {@link StreamingLoad}); the gateway's heap after a full GC ({@code jcmd PID GC.run}, then
 * {@code jvm_memory_used_bytes{area="heap"}} from its /metrics) must stay below
 * {@value #HEAP_BOUND_MIB} MiB (what it keeps is mostly the JDK HttpClient's idle keep-alive
 * connections to the engines, one per stream that was in flight: bounded by the concurrency, not the
 * count); requests/s and the latency the gateway adds at p50 and p99 are printed against the baseline.
 * About 30 s on the 2-core machine. The longer mode for manual runs:
 * {@code -Dhearth.load.requests=N -Dhearth.load.concurrency=C} (a closed loop of C streams in flight).
 */
class StreamingLoadTest {
    static final int DEFAULT_REQUESTS = 2_000;
    static final long HEAP_BOUND_MIB = 192;
    private static final int REQUESTS = Integer.getInteger("hearth.load.requests", DEFAULT_REQUESTS);
    private static final int CONCURRENCY = Integer.getInteger("hearth.load.concurrency", REQUESTS);
    private static final int SIMULATORS = 2;
    private static final int MAX_TOKENS = 16;
    private static final int CLIENTS = 8;
    private static final String MODEL = "Qwen/Qwen3-0.6B";
    private static final int WARMUP = 400;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void twoThousandConcurrentStreamsThroughOneGatewayWithoutAnError() throws Exception {
        long openFiles = openFileLimit();
        assertTrue(openFiles >= 2L * CONCURRENCY + 1_000, "the gateway holds two sockets per stream in flight: "
                + CONCURRENCY + " streams need an open-file limit of " + (2L * CONCURRENCY + 1_000) + " (ulimit -n is "
                + openFiles + "; raise it or lower -Dhearth.load.concurrency)");
        List<SimProcess> sims = new ArrayList<>();
        HearthProcess.Serving serve = null;
        try {
            for (int i = 0; i < SIMULATORS; i++) {
                sims.add(SimProcess.start("--time-scale", "100000", "--model", MODEL));
            }
            List<String> args = new ArrayList<>(List.of("--port", "0", "--tenant-concurrency", "0",
                    "--state-dir", Files.createTempDirectory("hearth-load").toString()));
            for (SimProcess s : sims) {
                args.addAll(List.of("--engine-url", s.url().toString()));
            }
            serve = HearthProcess.serve(args.toArray(String[]::new));
            List<URI> direct = sims.stream().map(SimProcess::url).toList();
            List<URI> gateway = List.of(serve.gateway());
            StreamingLoad load = new StreamingLoad(MODEL, MAX_TOKENS, CLIENTS);

            for (List<URI> target : List.of(direct, gateway)) { // JIT and connections warm in every process
                StreamingLoad.Figures warm = load.run(target, WARMUP, 100, "warm-up");
                assertEquals(0, warm.errors(), warm.firstErrors().toString());
            }
            long heapBefore = heapAfterGc(serve);
            AtomicLong peak = new AtomicLong();
            HearthProcess.Serving watched = serve;
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        peak.accumulateAndGet(heap(watched), Math::max);
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        // a scrape lost under load: the next one counts
                    }
                }
            });
            StreamingLoad.Figures base = load.run(direct, REQUESTS, CONCURRENCY, "direct");
            StreamingLoad.Figures hearth = load.run(gateway, REQUESTS, CONCURRENCY, "hearth");
            sampler.interrupt();
            sampler.join();
            long heapAfter = heapAfterGc(serve);

            System.out.printf("load: %,d streaming requests, %,d in flight at once, %d simulators (time scale 100,000, %d "
                    + "tokens each), %d HTTP/1.1 clients%n", REQUESTS, Math.min(CONCURRENCY, REQUESTS), SIMULATORS, MAX_TOKENS,
                    CLIENTS);
            System.out.printf("%-8s %7s %9s %11s %11s %11s %11s%n", "target", "errors", "req/s", "TTFB p50", "TTFB p99",
                    "total p50", "total p99");
            for (var row : List.of(List.of("direct", base), List.of("hearth", hearth))) {
                StreamingLoad.Figures f = (StreamingLoad.Figures) row.get(1);
                System.out.printf("%-8s %7d %9.0f %11s %11s %11s %11s%n", row.get(0), f.errors(), f.perSecond(),
                        ms(f.ttfb(0.5)), ms(f.ttfb(0.99)), ms(f.total(0.5)), ms(f.total(0.99)));
            }
            System.out.printf("added by hearth: TTFB p50 %+.1f ms, p99 %+.1f ms; total p50 %+.1f ms, p99 %+.1f ms; "
                    + "requests/s ratio %.2fx, total p99 ratio %.2fx%n",
                    (hearth.ttfb(0.5) - base.ttfb(0.5)) / 1e3, (hearth.ttfb(0.99) - base.ttfb(0.99)) / 1e3,
                    (hearth.total(0.5) - base.total(0.5)) / 1e3, (hearth.total(0.99) - base.total(0.99)) / 1e3,
                    hearth.perSecond() / base.perSecond(), (double) hearth.total(0.99) / Math.max(1, base.total(0.99)));
            System.out.printf("gateway heap after a full GC: %d MiB before the load, %d MiB after (bound %d MiB); "
                    + "at most %d MiB in use during it%n", heapBefore >> 20, heapAfter >> 20, HEAP_BOUND_MIB, peak.get() >> 20);

            assertEquals(0, base.errors(), "the simulators themselves failed: " + base.firstErrors());
            assertEquals(0, hearth.errors(), "streams through the gateway failed: " + hearth.firstErrors());
            assertEquals(REQUESTS, hearth.totalMicros().length);
            assertTrue(heapAfter < HEAP_BOUND_MIB << 20, "the gateway keeps " + (heapAfter >> 20) + " MiB after the load");
        } finally {
            if (serve != null) {
                serve.close();
            }
            sims.forEach(SimProcess::close);
        }
    }

    private static String ms(long micros) {
        return String.format("%.1f ms", micros / 1e3);
    }

    /** The soft limit on open files this JVM (and so every process it starts) runs under. */
    private static long openFileLimit() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
            }
        }
        throw new AssertionError("no open-file limit in /proc/self/limits");
    }

    /** The gateway's heap in use right after a full collection it ran at jcmd's request. */
    private long heapAfterGc(HearthProcess.Serving serve) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(serve.process().pid()), "GC.run")
                .redirectErrorStream(true).start();
        String out = new String(gc.getInputStream().readAllBytes());
        assertTrue(gc.waitFor(60, TimeUnit.SECONDS) && gc.exitValue() == 0, "jcmd GC.run: " + out);
        return heap(serve);
    }

    /** {@code jvm_memory_used_bytes{area="heap"}} summed over the pools, from the gateway's /metrics. */
    private long heap(HearthProcess.Serving serve) throws Exception {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(serve.gateway().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<PrometheusSamples.Sample> pools = PrometheusSamples.parse(metrics.body()).find("jvm_memory_used_bytes", "area", "heap");
        assertFalse(pools.isEmpty(), "no heap pools in /metrics");
        return (long) pools.stream().mapToDouble(PrometheusSamples.Sample::value).sum();
    }
}
