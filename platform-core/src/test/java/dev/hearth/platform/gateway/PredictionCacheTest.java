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
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The prediction cache in the gateway, over two simulated replicas whose request counters we read. */
class PredictionCacheTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private GatewayFixture fixture;
    private List<SimServer> sims;
    private Gateway gateway;

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(2, i -> new SimSettings("127.0.0.1", 0, Flavor.VLLM, "m", Profiles.H100_QWEN3_0_6B,
                new EngineLimits(16, 4_000, 8_192, 64, 8_192), 5, null, null),
                GatewayConfig.open("127.0.0.1", 0, "m", "v1", 8_192, Duration.ofMillis(500)),
                new MemoryPredictionStore(64 << 20, Duration.ofMinutes(10)));
        sims = fixture.sims;
        gateway = fixture.gateway;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Requests the engines have been asked to run, summed over replicas. */
    private long engineCalls() {
        return sims.stream().mapToLong(s -> s.loop().core().stats().requests.sum()).sum();
    }

    private HttpResponse<String> post(String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    private static String chat(String content, String extra) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],\"max_tokens\":12" + extra + "}";
    }

    private static String cacheHeader(HttpResponse<String> r) {
        return r.headers().firstValue("x-hearth-cache").orElse("none");
    }

    @Test
    void aRepeatedDeterministicRequestIsAnsweredWithoutTheEngineByteForByte() throws Exception {
        String body = chat("what is a cache", ",\"temperature\":0");
        HttpResponse<String> first = post(body);
        long calls = engineCalls();
        HttpResponse<String> second = post(body.replace(",\"temperature\":0", ", \"temperature\": 0"));
        assertEquals("miss", cacheHeader(first));
        assertEquals("hit", cacheHeader(second));
        assertEquals(calls, engineCalls(), "no engine call for a hit");
        assertEquals(first.body(), second.body(), "byte-identical");
        assertEquals("prediction-cache", second.headers().firstValue("x-hearth-route").orElseThrow());
    }

    @Test
    void aStreamingHitIsValidSse() throws Exception {
        String body = chat("stream it", ",\"temperature\":0");
        String whole = JSON.readTree(post(body).body()).at("/choices/0/message/content").asText();
        HttpResponse<String> hit = post(chat("stream it",
                ",\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
        assertEquals("hit", cacheHeader(hit));
        assertTrue(hit.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        StringBuilder text = new StringBuilder();
        String[] events = hit.body().split("\n\n");
        assertEquals("data: [DONE]", events[events.length - 1]);
        for (String e : Arrays.copyOf(events, events.length - 1)) {
            assertTrue(e.startsWith("data: "), e);
            JsonNode chunk = JSON.readTree(e.substring(6));
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            text.append(chunk.at("/choices/0/delta/content").asText(""));
        }
        assertEquals(whole, text.toString());
        assertEquals(12, JSON.readTree(events[events.length - 2].substring(6)).at("/usage/completion_tokens").asInt());
        // And the other way round: a stream stored first answers a non-streaming request.
        String streamed = chat("streamed first", ",\"temperature\":0,\"stream\":true");
        post(streamed);
        HttpResponse<String> json = post(streamed.replace(",\"stream\":true", ""));
        assertEquals("hit", cacheHeader(json));
        assertEquals("length", JSON.readTree(json.body()).at("/choices/0/finish_reason").asText());
    }

    @Test
    void fiftyConcurrentIdenticalMissesMakeOneEngineCall() throws Exception {
        String body = chat("coalesce me", ",\"temperature\":0");
        long before = engineCalls();
        List<String> bodies = new ArrayList<>();
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(pool.submit(() -> post(body)));
            }
            for (Future<HttpResponse<String>> f : all) {
                bodies.add(JSON.readTree(f.get().body()).at("/choices/0/message/content").asText());
            }
        }
        assertEquals(before + 1, engineCalls(), "one engine call for 50 identical requests");
        assertEquals(1, bodies.stream().distinct().count(), "every waiter got the same answer");
    }

    @Test
    void cacheControlAndSamplingDecideWhatIsStored() throws Exception {
        String sampled = chat("sampled", "");
        assertEquals("bypass", cacheHeader(post(sampled)));
        assertEquals("bypass", cacheHeader(post(sampled)), "non-deterministic: never from the cache");
        assertEquals("miss", cacheHeader(post(sampled, "x-hearth-cache", "force")));
        assertEquals("hit", cacheHeader(post(sampled, "x-hearth-cache", "force")));

        String greedy = chat("no store please", ",\"temperature\":0");
        assertEquals("miss", cacheHeader(post(greedy, "Cache-Control", "no-store")));
        assertEquals("miss", cacheHeader(post(greedy)), "no-store kept it out of the cache");
        assertEquals("hit", cacheHeader(post(greedy)));
        long calls = engineCalls();
        assertEquals("bypass", cacheHeader(post(greedy, "Cache-Control", "no-cache")));
        assertEquals(calls + 1, engineCalls(), "no-cache goes to the engine");
    }

    @Test
    void failedAnswersAreNeverStored() throws Exception {
        for (SimServer s : sims) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/_sim/faults"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"fail_next\":1,\"fail_status\":500}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        String body = chat("fail first", ",\"temperature\":0");
        HttpResponse<String> failed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(500, failed.statusCode());
        assertEquals("miss", cacheHeader(post(body)), "the failure was not stored");
        assertEquals("hit", cacheHeader(post(body)));
    }
}
