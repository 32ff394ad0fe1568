package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Hostile input against a real {@code hearth serve} over simulated replicas: at least 10,000 generated
 * malformed or oversized requests ({@link HostileRequests}) against {@code /v1}, {@code /api/v1} and
 * {@code /mcp} from a few concurrent clients on loopback. Then: no 5xx, no request left unanswered
 * past its timeout, every error in its API's convention ({@link ErrorConvention}) and without a stack
 * trace, the deployments and pools as they were, the gateway still serving, and its heap after a full
 * GC back within a margin of what it was before. Counts are printed.
 *
 * <p>{@code -Dhearth.fuzz.requests=N} and {@code -Dhearth.fuzz.seed=S} make the longer run (the README
 * has one's figures); {@code -Dhearth.fuzz.clients=C} changes the concurrency.
 */
class HostileInputProcessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DEPLOYMENT = "fuzz";
    private static final String POOL = "local";
    /** An admin key on every request (so /api/v1 is fuzzed past the key check) but those whose Authorization is the fault. */
    private static final String KEY = "sk-hostile-input";
    private static final int MAX_BODY = 1 << 20;
    /** A request not answered within this is a hang. */
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** How far the heap may stay above its baseline after the run and a full GC. */
    private static final long HEAP_MARGIN = 64L << 20;
    private static final int MAX_EXAMPLES = 15;
    /** Jetty's request head limit (8 KiB), less a margin: a connection reset past it is the transport's, not Hearth's. */
    private static final int HEAD_LIMIT = 7_500;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void tenThousandHostileRequestsGetClearErrorsAndLeaveTheGatewayAsItWas() throws Exception {
        int requests = Integer.getInteger("hearth.fuzz.requests", 10_000);
        long seed = Long.getLong("hearth.fuzz.seed", 20_261_125L);
        int clients = Integer.getInteger("hearth.fuzz.clients", 4);
        assertTrue(requests >= 1, "hearth.fuzz.requests must be at least 1");
        long begun = System.nanoTime();
        Path keys = Files.createTempFile("hostile-keys", ".txt");
        Files.writeString(keys, KEY + " fuzz-tenant admin\n");
        try (HearthProcess.Serving serve = HearthProcess.serve("--replicas", "1", "--port", "0", "--time-scale", "1000",
                "--max-body-bytes", Integer.toString(MAX_BODY), "--api-keys", keys.toString(),
                "--state-dir", Files.createTempDirectory("hearth-hostile").toString())) {
            URI gateway = serve.gateway();
            // A deployment with a short context, so every request the engines accept ends soon.
            HttpResponse<String> created = send(gateway, "POST", "/api/v1/deployments", Map.of(), """
                    {"name": "fuzz", "config": {"model": {"id": "Qwen/Qwen3-0.6B"}, "context_length": 512,
                     "replicas": {"min": 2, "max": 2}}}""");
            assertEquals(201, created.statusCode(), created.body());
            awaitAvailable(gateway, DEPLOYMENT, Duration.ofSeconds(90));
            List<String> sessions = List.of(mcpSession(gateway), mcpSession(gateway), mcpSession(gateway));
            assertServes(gateway);

            System.out.printf("Hostile input: hearth serve and 3 simulated replicas ready in %.1f s%n",
                    (System.nanoTime() - begun) / 1e9);
            long pid = serve.process().pid();
            long baseline = heapAfterGc(gateway, pid);
            String stateBefore = state(gateway);

            HostileRequests generator = new HostileRequests(seed, new HostileRequests.Aim(DEPLOYMENT, POOL, sessions, MAX_BODY,
                    KEY));
            Run run = new Run();
            long started = System.nanoTime();
            AtomicInteger next = new AtomicInteger();
            try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
                for (int c = 0; c < clients; c++) {
                    pool.submit(() -> {
                        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                .connectTimeout(Duration.ofSeconds(5)).build(); // each client its own connections
                        HostileRequests.Request previous = null;
                        for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                            HostileRequests.Request r = generator.at(i);
                            run.send(client, gateway, r, previous);
                            previous = r;
                        }
                        client.close();
                        return null;
                    });
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            System.out.print(run.report(requests, seed, clients, seconds));
            assertTrue(serve.process().isAlive(), "hearth serve ended during the run");
            String stateAfter = state(gateway);
            long after = heapAfterGc(gateway, pid);
            System.out.printf("  gateway heap after a full GC: baseline %d MB, after the run %d MB (margin %d MB)%n",
                    mb(baseline), mb(after), mb(HEAP_MARGIN));

            assertEquals(requests, run.sent.sum(), "every request was sent");
            assertEquals(List.of(), run.examples("unsendable"), "every generated request can be sent");
            assertEquals(List.of(), run.examples("5xx"), "no 5xx");
            assertEquals(List.of(), run.examples("hang"), "no request unanswered after " + TIMEOUT.toSeconds() + " s");
            assertEquals(List.of(), run.examples("broken connection"), "every request answered, not cut off");
            assertEquals(List.of(), run.examples("stack trace"), "no stack trace in any answer");
            assertEquals(List.of(), run.examples("convention"), "every error in its API's convention");
            assertEquals(stateBefore, stateAfter, "deployments and pools as they were");
            assertServes(gateway);
            assertTrue(after <= baseline + HEAP_MARGIN, "heap after the run " + mb(after) + " MB, baseline " + mb(baseline)
                    + " MB: more than " + mb(HEAP_MARGIN) + " MB kept");
        }
    }

    /** The run's counts and its failures, by kind, each with a few examples. */
    private static final class Run {
        final LongAdder sent = new LongAdder();
        final Map<String, LongAdder> byTargetAndKind = new ConcurrentHashMap<>();
        final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
        final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        final Map<String, ConcurrentLinkedQueue<String>> examples = new ConcurrentHashMap<>();

        void send(HttpClient http, URI gateway, HostileRequests.Request r, HostileRequests.Request previous) {
            sent.increment();
            count(byTargetAndKind, r.target() + " " + r.kind());
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(gateway + r.path())).timeout(TIMEOUT)
                        .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(r.body()));
                for (String[] h : r.headers()) {
                    b.header(h[0], h[1]);
                }
            } catch (IllegalArgumentException e) {
                failed("unsendable", e.getMessage() + ": " + r.describe());
                return;
            }
            CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> response;
            try {
                response = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                answer.cancel(true);
                failed("hang", r.describe());
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
                    failed("hang", r.describe());
                } else if (headBytes(r) > HEAD_LIMIT) {
                    // Jetty answers 414 or 431 and closes while the client may still be sending the head: a TCP reset
                    // can overtake the answer (RFC 9112 section 9.6). Counted, not failed.
                    failed("reset past the head limit", r.describe());
                } else {
                    failed("broken connection", e.getCause() + ": " + r.describe() + " (after "
                            + (previous == null ? "none" : previous.describe()) + ")");
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            int status = response.statusCode();
            count(statuses, r.target() + " " + status);
            byte[] body = response.body();
            if (status >= 500) {
                failed("5xx", status + " " + ErrorConvention.clip(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                        + " <- " + r.describe());
            }
            String trace = ErrorConvention.stackTrace(body);
            if (trace != null) {
                failed("stack trace", ErrorConvention.clip(trace) + " <- " + r.describe());
            }
            String problem = ErrorConvention.problem(r, status, response.headers().firstValue("content-type").orElse(null),
                    body);
            if (problem != null) {
                failed("convention", problem + " <- " + r.describe());
            }
        }

        /** The request line and headers as sent, about. */
        private static int headBytes(HostileRequests.Request r) {
            int n = r.method().length() + r.path().length() + 200; // the client's own headers besides
            for (String[] h : r.headers()) {
                n += h[0].length() + h[1].length() + 4;
            }
            return n;
        }

        private void failed(String what, String example) {
            count(failures, what);
            var list = examples.computeIfAbsent(what, k -> new ConcurrentLinkedQueue<>());
            if (list.size() < MAX_EXAMPLES) {
                list.add(example);
            }
        }

        List<String> examples(String what) {
            return new ArrayList<>(examples.getOrDefault(what, new ConcurrentLinkedQueue<>()));
        }

        private static void count(Map<String, LongAdder> counts, String key) {
            counts.computeIfAbsent(key, k -> new LongAdder()).increment();
        }

        String report(int requests, long seed, int clients, double seconds) {
            StringBuilder s = new StringBuilder();
            s.append(String.format(java.util.Locale.ROOT, "Hostile input: %,d requests (seed %d, %d clients) in %.1f s, "
                    + "%.0f requests/s%n", requests, seed, clients, seconds, requests / seconds));
            s.append("  by target and kind:\n");
            new TreeMap<>(byTargetAndKind).forEach((k, v) -> s.append(String.format("    %-26s %,7d%n", k, v.sum())));
            s.append("  statuses by target:\n");
            new TreeMap<>(statuses).forEach((k, v) -> s.append(String.format("    %-26s %,7d%n", k, v.sum())));
            s.append(String.format("  hangs %d, 5xx %d, broken connections %d, stack traces %d, convention errors %d "
                    + "(resets past the %,d-byte head limit: %d)%n", failed("hang"), failed("5xx"),
                    failed("broken connection"), failed("stack trace"), failed("convention"), HEAD_LIMIT,
                    failed("reset past the head limit")));
            examples.forEach((k, v) -> v.forEach(e -> s.append("  ").append(k).append(": ").append(e).append('\n')));
            return s.toString();
        }

        private long failed(String what) {
            LongAdder n = failures.get(what);
            return n == null ? 0 : n.sum();
        }
    }

    private static long mb(long bytes) {
        return bytes >> 20;
    }

    /** The gateway's heap in use right after a full GC (jcmd GC.run), as its /metrics says. */
    private long heapAfterGc(URI gateway, long pid) throws Exception {
        Path jcmd = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("jcmd");
        for (int i = 0; i < 2; i++) {
            Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true).start();
            String out = new String(gc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(gc.waitFor(60, TimeUnit.SECONDS), "jcmd GC.run did not end");
            assertEquals(0, gc.exitValue(), "jcmd " + pid + " GC.run: " + out);
        }
        String metrics = send(gateway, "GET", "/metrics", Map.of(), null).body();
        long sum = 0;
        int series = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                series++;
            }
        }
        assertTrue(series > 0, "no jvm_memory_used_bytes{area=\"heap\"} in /metrics");
        return sum;
    }

    /** What refused requests must not change: each deployment's config, generation and size; each pool's settings. */
    private String state(URI gateway) throws Exception {
        JsonNode deployments = JSON.readTree(send(gateway, "GET", "/api/v1/deployments", Map.of(), null).body());
        List<String> out = new ArrayList<>();
        for (JsonNode d : deployments.path("deployments")) {
            out.add(d.path("name").asText() + " generation=" + d.path("generation") + " replicas=" + d.path("replicas")
                    + " ready=" + d.path("ready_replicas") + " deleting=" + d.path("deleting") + " config="
                    + d.path("config").asText().replace('\n', ' '));
        }
        JsonNode pools = JSON.readTree(send(gateway, "GET", "/api/v1/nodepools", Map.of(), null).body());
        for (JsonNode p : pools.path("nodepools")) {
            ObjectNode settings = p.deepCopy();
            settings.remove(List.of("nodes", "failovers"));
            out.add("pool " + settings);
        }
        return String.join("\n", out);
    }

    /** A chat completion, a streamed completion, the control API and an MCP tool call all answer as they should. */
    private void assertServes(URI gateway) throws Exception {
        HttpResponse<String> chat = send(gateway, "POST", "/v1/chat/completions", Map.of(), """
                {"model": "fuzz", "messages": [{"role": "user", "content": "still there?"}], "max_tokens": 3}""");
        assertEquals(200, chat.statusCode(), chat.body());
        assertTrue(JSON.readTree(chat.body()).path("choices").get(0).path("message").has("content"), chat.body());
        HttpResponse<String> stream = send(gateway, "POST", "/v1/completions", Map.of(), """
                {"model": "fuzz", "prompt": "still there?", "max_tokens": 3, "stream": true}""");
        assertEquals(200, stream.statusCode(), stream.body());
        assertTrue(stream.body().trim().endsWith("data: [DONE]"), stream.body());
        HttpResponse<String> get = send(gateway, "GET", "/api/v1/deployments/fuzz", Map.of(), null);
        assertEquals(200, get.statusCode(), get.body());
        String session = mcpSession(gateway);
        HttpResponse<String> tools = send(gateway, "POST", "/mcp", mcpHeaders(session),
                "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"deployment_describe\","
                        + "\"arguments\":{\"name\":\"fuzz\"}}}");
        assertEquals(200, tools.statusCode(), tools.body());
        assertTrue(tools.body().contains("\"id\":7") && tools.body().contains("\"result\"")
                && !tools.body().contains("\"isError\":true"), tools.body());
    }

    private static Map<String, String> mcpHeaders(String session) {
        return session == null ? Map.of("Accept", "application/json, text/event-stream")
                : Map.of("Accept", "application/json, text/event-stream", "Mcp-Session-Id", session);
    }

    /** An initialised MCP session's id. */
    private String mcpSession(URI gateway) throws Exception {
        HttpResponse<String> init = send(gateway, "POST", "/mcp", mcpHeaders(null), "{\"jsonrpc\":\"2.0\",\"id\":1,"
                + "\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"hostile-input\",\"version\":\"1\"}}}");
        assertEquals(200, init.statusCode(), init.body());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        HttpResponse<String> ready = send(gateway, "POST", "/mcp", mcpHeaders(session),
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertEquals(202, ready.statusCode(), ready.body());
        return session;
    }

    private void awaitAvailable(URI gateway, String name, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            HttpResponse<String> r = send(gateway, "GET", "/api/v1/deployments/" + name, Map.of(), null);
            last = r.body();
            JsonNode d = JSON.readTree(last);
            if (r.statusCode() == 200 && d.path("ready_replicas").asInt() == d.path("replicas").asInt()
                    && "available".equals(d.path("status").asText())) {
                return;
            }
            Thread.sleep(250);
        }
        fail(name + " was not available within " + within + ": " + last);
    }

    private HttpResponse<String> send(URI gateway, String method, String path, Map<String, String> headers, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.header("Authorization", "Bearer " + KEY);
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
