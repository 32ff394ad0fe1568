package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.router.Router;
import dev.hearth.router.cache.MemoryPredictionStore;
import dev.hearth.router.tokens.ChatMessage;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.SimTokenizer;
import dev.hearth.router.tokens.PromptBlocks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The gateway over four simulated vLLM replicas, all on loopback, with real HTTP in between. */
class GatewayTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "Qwen/Qwen3-0.6B";
    private final HttpClient http = HttpClient.newHttpClient();
    private GatewayFixture fixture;
    private List<SimServer> sims;
    private Gateway gateway;

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(4, i -> new SimSettings("127.0.0.1", 0, Flavor.VLLM, MODEL, Profiles.H100_QWEN3_0_6B,
                new EngineLimits(16, 20_000, 16_384, 64, 8_192), 20, null, null),
                GatewayConfig.open("127.0.0.1", 0, MODEL, MODEL, 16_384, Duration.ofMillis(200)),
                new MemoryPredictionStore(64 << 20, Duration.ofMinutes(10)));
        sims = fixture.sims;
        gateway = fixture.gateway;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String system(int group) {
        StringBuilder s = new StringBuilder("You are assistant " + group + ".");
        for (int i = 0; i < 3_000; i++) {
            s.append(' ').append(SimTokenizer.WORDS.get((i * (group + 3) + group) % SimTokenizer.WORDS.size()));
        }
        return s.toString();
    }

    static String chat(String system, String user) throws Exception {
        var root = JSON.createObjectNode();
        var messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        root.put("max_tokens", 4);
        return JSON.writeValueAsString(root);
    }

    @Test
    void groupsSharingSystemPromptsStayTogetherAndReuseTheirCaches() throws Exception {
        SimTokenizer tok = new SimTokenizer();
        ChatTemplate template = new ChatTemplate();
        Map<Integer, Set<String>> replicasOf = new HashMap<>();
        long cached = 0;
        long ideal = 0;
        int[][] firstOfGroup = new int[4][];
        for (int i = 0; i < 40; i++) {
            int g = i % 4;
            String user = "question number " + i;
            HttpResponse<String> r = post("/v1/chat/completions", chat(system(g), user));
            assertEquals(200, r.statusCode(), r.body());
            replicasOf.computeIfAbsent(g, k -> new HashSet<>()).add(r.headers().firstValue("x-hearth-replica").orElseThrow());
            assertTrue(r.headers().firstValue("x-hearth-route").isPresent());
            cached += JSON.readTree(r.body()).at("/usage/prompt_tokens_details/cached_tokens").asLong(0);
            int[] tokens = tok.encode(template.render(List.of(new ChatMessage("system", system(g)),
                    new ChatMessage("user", user)), true));
            if (firstOfGroup[g] == null) {
                firstOfGroup[g] = tokens;
            } else { // the best any router could do: every full block of the shared prefix reused
                int common = 0;
                while (common < tokens.length && common < firstOfGroup[g].length && tokens[common] == firstOfGroup[g][common]) {
                    common++;
                }
                ideal += Math.min(common, tokens.length - 1) / 16 * 16;
            }
        }
        Set<String> used = new HashSet<>();
        replicasOf.forEach((g, rs) -> {
            assertEquals(1, rs.size(), "group " + g + " went to " + rs);
            used.addAll(rs);
        });
        assertTrue(used.size() >= 3, "groups used " + used);
        assertTrue(cached >= 0.85 * ideal, "cached " + cached + " of an ideal " + ideal);
    }

    @Test
    void streamsPassThroughWithRouteHeaders() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":3,\"stream\":true}");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        assertTrue(r.body().endsWith("data: [DONE]\n\n"));
        assertTrue(r.headers().firstValue("x-hearth-replica").orElse("").startsWith("replica-"));
        assertEquals(4, r.body().split("\n\n").length - 1, "role chunk and three tokens before [DONE]");
    }

    private static void assertOpenAiError(HttpResponse<String> r, int status, String messagePart) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = JSON.readTree(r.body()).get("error");
        assertNotNull(e, r.body());
        for (String key : List.of("message", "type", "param", "code")) {
            assertTrue(e.has(key), key + " in " + r.body());
        }
        assertTrue(e.get("message").asText().contains(messagePart), e.get("message").asText());
    }

    @Test
    void everyListedRouteIsServed() throws Exception {
        for (Gateway.Route r : Gateway.ROUTES) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + r.path()));
            b = r.method().equals("GET") ? b.GET() : b.method(r.method(), HttpRequest.BodyPublishers.ofString("{}"));
            HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            assertFalse(res.statusCode() == 404 && res.body().contains("unknown route"), r + " is not served");
            assertNotEquals(405, res.statusCode(), r.toString());
        }
    }

    @Test
    void badInputGetsOpenAiErrors() throws Exception {
        assertOpenAiError(post("/v1/chat/completions", "{nope"), 400, "not valid JSON");
        assertOpenAiError(post("/v1/chat/completions", "{\"messages\":[]}"), 400, "'messages' is required");
        assertOpenAiError(post("/v1/chat/completions", "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                404, "The model `gpt-9` does not exist");
        assertOpenAiError(post("/v1/completions", "{\"prompt\":{}}"), 400, "'prompt' is required");
        // An engine-side refusal comes back in the same shape, from the replica that refused it.
        HttpResponse<String> neg = post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":-3}");
        assertOpenAiError(neg, 400, "max_tokens");
        assertTrue(neg.headers().firstValue("x-hearth-replica").isPresent());
        assertOpenAiError(post("/v1/nothing", "{}"), 404, "unknown route");
        JsonNode models = JSON.readTree(http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/models")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(MODEL, models.at("/data/0/id").asText());
    }

    @Test
    void refusalsBeforeTheFirstByteAreRetriedElsewhereAndSaySo() throws Exception {
        for (int i = 0; i < 4; i++) { // every replica refuses its next request once
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sims.get(i).port() + "/_sim/faults"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"fail_next\":1,\"fail_status\":503}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        // Three replicas refuse in turn: two retries, then the third refusal reaches the client, cleanly.
        HttpResponse<String> r = post("/v1/completions", "{\"prompt\":\"retry me\",\"max_tokens\":2}");
        assertOpenAiError(r, 503, "injected fault");
        assertTrue(r.headers().firstValue("x-hearth-route").orElseThrow().endsWith(" retried=2"),
                r.headers().firstValue("x-hearth-route").orElseThrow());
        // One replica still holds its fault: the next request succeeds, retrying once if it meets it.
        HttpResponse<String> again = post("/v1/completions", "{\"prompt\":\"retry me again\",\"max_tokens\":2}");
        assertEquals(200, again.statusCode(), again.body());
        String route = again.headers().firstValue("x-hearth-route").orElseThrow();
        assertTrue(!route.contains("retried=") || route.endsWith(" retried=1"), route);
    }

    @Test
    void maxTokensIsClampedToTheContextAndTooLongPromptsAreRefused() throws Exception {
        HttpResponse<String> r = post("/v1/completions", "{\"prompt\":\"the cache\",\"max_tokens\":100000}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("max_tokens=16382", r.headers().firstValue("x-hearth-clamped").orElseThrow());
        assertOpenAiError(post("/v1/completions", "{\"prompt\":\"" + "word ".repeat(17_000) + "\"}"), 400,
                "maximum context length is 16384 tokens");
    }

    @Test
    void aReplicaThatDiesMidStreamEndsTheStreamWithACleanErrorEvent() throws Exception {
        for (SimServer sim : sims) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/_sim/faults"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"drop_after_chunks\":3}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"die\"}],\"max_tokens\":50,\"stream\":true,\"temperature\":0}");
        assertEquals(200, r.statusCode(), "the stream had started");
        String[] events = r.body().split("\n\n");
        String last = events[events.length - 1];
        assertTrue(last.startsWith("data: {\"error\""), "ends with an error event: " + last);
        JsonNode error = JSON.readTree(last.substring(6)).get("error");
        assertEquals("upstream_error", error.get("type").asText(), r.body());
        assertTrue(error.get("message").asText().contains("stopped mid-stream"));
        // The replica closed its socket after its third chunk; the last may be lost with it, as in a real crash.
        assertTrue(events.length - 1 >= 1 && events.length - 1 <= 3, "chunks before the error: " + (events.length - 1));
        for (SimServer sim : sims) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/_sim/faults")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        HttpResponse<String> again = post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"die\"}],\"max_tokens\":50,\"stream\":true,\"temperature\":0}");
        assertEquals("miss", again.headers().firstValue("x-hearth-cache").orElseThrow(), "a cut-off stream is never stored");
    }

    /** Opens a stream through the gateway with a raw socket, resets it, and times the engine freeing the slot. */
    private double disconnectMillis(int i) throws Exception {
        // A raw socket closed with a reset is a client that really goes away (the JDK client's
        // InputStream.close may keep the connection to drain it). The stream would run for seconds.
        String body = "{\"prompt\":\"go on " + i + "\",\"max_tokens\":16000,\"stream\":true}";
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
            socket.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream()));
            String replica = null;
            String line;
            while ((line = in.readLine()) != null && !line.startsWith("data: ")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("x-hearth-replica:")) {
                    replica = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            assertNotNull(replica, "headers came first");
            SimServer serving = sims.get(Integer.parseInt(replica.substring(8)));
            assertEquals(1, serving.loop().running());
            long aborted = serving.loop().core().stats().finished(dev.hearth.enginesim.engine.FinishReason.ABORT);
            long t0 = System.nanoTime();
            socket.setSoLinger(true, 0);
            socket.close(); // RST: gone
            while (serving.loop().running() > 0) {
                assertTrue(System.nanoTime() - t0 < 1_000_000_000L, "the engine still runs the abandoned request");
                Thread.sleep(1);
            }
            assertEquals(aborted + 1, serving.loop().core().stats().finished(dev.hearth.enginesim.engine.FinishReason.ABORT));
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    @Test
    void aClientThatLeavesCancelsTheEngineRequestWithin100Ms() throws Exception {
        double[] ms = new double[5];
        for (int i = 0; i < ms.length; i++) {
            ms[i] = disconnectMillis(i);
        }
        double[] sorted = ms.clone();
        java.util.Arrays.sort(sorted);
        System.out.printf("client disconnect to engine slot freed (ms): %s; median %.1f%n", java.util.Arrays.toString(ms), sorted[2]);
        assertTrue(sorted[2] < 100, "median " + sorted[2] + " ms of " + java.util.Arrays.toString(ms));
    }

    @Test
    void aDeadReplicaIsRoutedAroundAndReportedInMetrics() throws Exception {
        sims.get(0).close(); // replica-0 dies without warning
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = post("/v1/completions", "{\"prompt\":\"survive " + i + "\",\"max_tokens\":2}");
            assertEquals(200, r.statusCode(), r.body());
            assertNotEquals("replica-0", r.headers().firstValue("x-hearth-replica").orElseThrow());
        }
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("hearth_replica_healthy{deployment=\"" + MODEL + "\",replica=\"replica-0\"} 0"), metrics);
        assertTrue(metrics.contains("hearth_replica_healthy{deployment=\"" + MODEL + "\",replica=\"replica-1\"} 1"));
        assertTrue(metrics.matches("(?s).*hearth_requests_total\\{deployment=\"" + java.util.regex.Pattern.quote(MODEL)
                + "\",endpoint=\"/v1/completions\",route=\"[^\"]+\",status=\"200\"\\} [0-9.]+.*"), metrics);
    }
}
