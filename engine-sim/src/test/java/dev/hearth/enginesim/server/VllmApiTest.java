package dev.hearth.enginesim.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.hearth.enginesim.engine.EngineLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VllmApiTest {
    static SimFixture sim;

    @BeforeAll
    static void start() {
        sim = SimFixture.vllm();
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clearFaults() throws Exception {
        sim.http.send(HttpRequest.newBuilder(sim.uri("/_sim/faults")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sharedSystemPromptIsServedFromCacheFasterAndCounted() throws Exception {
        String system = SimFixture.words(2_000) + " unique-" + System.nanoTime();
        double hitsBefore = sim.metric("vllm:prefix_cache_hits_total");
        HttpResponse<String> first = sim.post("/v1/chat/completions", SimFixture.chat(system, "What is a cache?", 8));
        HttpResponse<String> second = sim.post("/v1/chat/completions", SimFixture.chat(system, "Why is it slow?", 8));
        assertEquals(200, first.statusCode(), first.body());
        JsonNode a = SimFixture.json(first);
        JsonNode b = SimFixture.json(second);
        assertEquals("chat.completion", a.get("object").asText());
        assertTrue(a.get("id").asText().startsWith("chatcmpl-"));
        assertEquals("assistant", a.at("/choices/0/message/role").asText());
        assertEquals("length", a.at("/choices/0/finish_reason").asText());
        assertEquals(8, a.at("/usage/completion_tokens").asInt());
        assertTrue(a.at("/usage/prompt_tokens_details").isNull(), "nothing cached on the first request");
        int cached = b.at("/usage/prompt_tokens_details/cached_tokens").asInt();
        assertTrue(cached >= 1_984, "cached " + cached);
        double ttftA = Double.parseDouble(first.headers().firstValue("x-sim-ttft-seconds").orElseThrow());
        double ttftB = Double.parseDouble(second.headers().firstValue("x-sim-ttft-seconds").orElseThrow());
        assertTrue(ttftA >= 3 * ttftB, ttftA + " vs " + ttftB);
        assertEquals(hitsBefore + cached, sim.metric("vllm:prefix_cache_hits_total"));
    }

    @Test
    void streamingChatIsWellFormedSse() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"stream please\"}],\"max_tokens\":5,"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        HttpResponse<String> r = sim.post("/v1/chat/completions", body);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        String raw = r.body();
        assertTrue(raw.endsWith("data: [DONE]\n\n"), raw);
        String[] events = raw.split("\n\n");
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events) {
            assertTrue(e.startsWith("data: "), "every event is one data line: " + e);
            assertFalse(e.substring(6).contains("\n"));
            if (!e.equals("data: [DONE]")) {
                chunks.add(SimFixture.JSON.readTree(e.substring(6)));
            }
        }
        assertEquals(1 + 5 + 1, chunks.size(), "role chunk, one per token, usage chunk");
        assertEquals("assistant", chunks.get(0).at("/choices/0/delta/role").asText());
        assertEquals("", chunks.get(0).at("/choices/0/delta/content").asText());
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks.subList(1, 6)) {
            assertEquals("chat.completion.chunk", c.get("object").asText());
            assertEquals(chunks.get(0).get("id"), c.get("id"));
            text.append(c.at("/choices/0/delta/content").asText());
        }
        assertEquals("length", chunks.get(5).at("/choices/0/finish_reason").asText());
        assertTrue(chunks.get(4).at("/choices/0/finish_reason").isNull());
        JsonNode usage = chunks.get(6);
        assertEquals(0, usage.get("choices").size());
        assertEquals(5, usage.at("/usage/completion_tokens").asInt());
        // The same request without streaming gives the same text: output is seeded by the prompt.
        JsonNode whole = SimFixture.json(sim.post("/v1/chat/completions", body.replace(",\"stream\":true,\"stream_options\":{\"include_usage\":true}", "")));
        assertEquals(whole.at("/choices/0/message/content").asText(), text.toString());
    }

    @Test
    void completionsStreamAndNot() throws Exception {
        JsonNode c = SimFixture.json(sim.post("/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":3}"));
        assertEquals("text_completion", c.get("object").asText());
        assertTrue(c.get("id").asText().startsWith("cmpl-"));
        assertEquals(3, c.at("/usage/completion_tokens").asInt());
        assertEquals(4, c.at("/usage/prompt_tokens").asInt());
        JsonNode def = SimFixture.json(sim.post("/v1/completions", "{\"prompt\":[1,2,3,4,5]}"));
        assertEquals(16, def.at("/usage/completion_tokens").asInt(), "vLLM's default max_tokens for completions");
        String raw = sim.post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":2,\"stream\":true}").body();
        assertEquals(3, raw.split("\n\n").length, "two chunks and [DONE], no usage unless asked");
    }

    @Test
    void requiredToolChoiceCallsTheToolWithJsonArgumentsStreamedOrNot() throws Exception {
        String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"tool_choice\":\"required\"";
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],\"max_tokens\":6" + tools + "}";
        JsonNode whole = SimFixture.json(sim.post("/v1/chat/completions", body));
        assertEquals("tool_calls", whole.at("/choices/0/finish_reason").asText());
        JsonNode call = whole.at("/choices/0/message/tool_calls/0");
        assertEquals("get_weather", call.at("/function/name").asText());
        assertTrue(call.get("id").asText().startsWith("chatcmpl-tool-"));
        JsonNode args = SimFixture.JSON.readTree(call.at("/function/arguments").asText());
        assertTrue(args.get("input").asText().length() > 0);

        String raw = sim.post("/v1/chat/completions", body.replace("\"max_tokens\":6", "\"max_tokens\":6,\"stream\":true")).body();
        StringBuilder streamedArgs = new StringBuilder();
        String name = null;
        String finish = null;
        for (String e : raw.split("\n\n")) {
            if (e.equals("data: [DONE]")) {
                continue;
            }
            JsonNode c = SimFixture.JSON.readTree(e.substring(6));
            JsonNode tc = c.at("/choices/0/delta/tool_calls/0");
            if (!tc.isMissingNode()) {
                assertEquals(0, tc.get("index").asInt());
                if (tc.at("/function/name").isTextual()) {
                    name = tc.at("/function/name").asText();
                }
                streamedArgs.append(tc.at("/function/arguments").asText(""));
            }
            if (c.at("/choices/0/finish_reason").isTextual()) {
                finish = c.at("/choices/0/finish_reason").asText();
            }
        }
        assertEquals("get_weather", name);
        assertEquals("tool_calls", finish);
        assertEquals(args, SimFixture.JSON.readTree(streamedArgs.toString()), "streamed fragments add up to the same JSON");
        assertEquals(400, sim.post("/v1/chat/completions", body.replace("\"required\"",
                "{\"type\":\"function\",\"function\":{\"name\":\"nope\"}}")).statusCode());
    }

    @Test
    void stopStringsEndGenerationWithStopReason() throws Exception {
        JsonNode probe = SimFixture.json(sim.post("/v1/completions", "{\"prompt\":\"stop test\",\"max_tokens\":12}"));
        String text = probe.at("/choices/0/text").asText();
        String stop = text.split(" ")[3];
        JsonNode r = SimFixture.json(sim.post("/v1/completions",
                "{\"prompt\":\"stop test\",\"max_tokens\":12,\"stop\":[\" " + stop + "\"]}"));
        assertEquals("stop", r.at("/choices/0/finish_reason").asText());
        assertEquals(" " + stop, r.at("/choices/0/stop_reason").asText());
        assertTrue(text.startsWith(r.at("/choices/0/text").asText()));
        assertFalse(r.at("/choices/0/text").asText().contains(" " + stop));
    }

    @Test
    void saltsSeparateCachesOverHttp() throws Exception {
        String system = SimFixture.words(300) + " salt-test-" + System.nanoTime();
        String req = SimFixture.chat(system, "q", 1);
        String a = req.replace("{", "{\"cache_salt\":\"alpha\",");
        String b = req.replace("{", "{\"cache_salt\":\"beta\",");
        sim.post("/v1/chat/completions", a);
        assertTrue(SimFixture.json(sim.post("/v1/chat/completions", b)).at("/usage/prompt_tokens_details").isNull());
        assertTrue(SimFixture.json(sim.post("/v1/chat/completions", a)).at("/usage/prompt_tokens_details/cached_tokens").asInt() >= 288);
    }

    @Test
    void modelsTokenizeHealthAndUnknownRoutes() throws Exception {
        JsonNode models = SimFixture.json(sim.get("/v1/models"));
        assertEquals("list", models.get("object").asText());
        assertEquals(SimFixture.MODEL, models.at("/data/0/id").asText());
        assertEquals(8_192, models.at("/data/0/max_model_len").asInt());
        assertEquals("vllm", models.at("/data/0/owned_by").asText());
        JsonNode tok = SimFixture.json(sim.post("/tokenize", "{\"prompt\":\"the cache\"}"));
        assertEquals(2, tok.get("count").asInt());
        assertEquals(8_192, tok.get("max_model_len").asInt());
        JsonNode chatTok = SimFixture.json(sim.post("/tokenize", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
        assertTrue(chatTok.get("count").asInt() > 5, "the chat template adds its tokens");
        assertEquals("the cache", SimFixture.json(sim.post("/detokenize",
                "{\"tokens\":" + tok.get("tokens") + "}")).get("prompt").asText());
        HttpResponse<String> health = sim.get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("", health.body());
        HttpResponse<String> missing = sim.get("/v1/nothing");
        assertEquals(404, missing.statusCode());
        assertEquals("Not Found", SimFixture.json(missing).get("detail").asText());
    }

    private static void assertError(HttpResponse<String> r, int status, String type, String messagePart) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode e = SimFixture.json(r).get("error");
        assertNotNull(e, "vLLM nests the error: " + r.body());
        assertEquals(type, e.get("type").asText());
        assertEquals(status, e.get("code").asInt());
        assertTrue(e.get("message").asText().contains(messagePart), e.get("message").asText());
        assertFalse(r.body().contains("at dev.hearth"), "no stack trace");
    }

    @Test
    void badInputGetsVllmsErrorShapeAndStatus() throws Exception {
        assertError(sim.post("/v1/chat/completions", "{\"messages\": [oops"), 400, "Bad Request", "JSON decode error");
        assertError(sim.post("/v1/chat/completions", "[1,2]"), 400, "Bad Request", "JSON object");
        assertError(sim.post("/v1/chat/completions", "{}"), 400, "Bad Request", "messages: Field required");
        assertError(sim.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":\"ten\"}"),
                400, "Bad Request", "max_tokens");
        assertError(sim.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":-1}"),
                400, "BadRequestError", "max_tokens must be at least 1, got -1");
        assertError(sim.post("/v1/chat/completions", "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                404, "NotFoundError", "The model `gpt-9` does not exist.");
        HttpResponse<String> tooLong = sim.post("/v1/completions",
                "{\"prompt\":\"" + SimFixture.words(8_200) + "\",\"max_tokens\":10}");
        assertError(tooLong, 400, "BadRequestError", "maximum context length is 8192 tokens");
        assertEquals("input_tokens", SimFixture.json(tooLong).at("/error/param").asText());
        assertError(sim.post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":9000}"), 400, "BadRequestError",
                "you requested 9000 output tokens");
        assertError(sim.post("/v1/completions", "{\"prompt\":\"x\",\"stream_options\":{\"include_usage\":true}}"),
                400, "BadRequestError", "stream=True");
        assertError(sim.post("/v1/completions", "{\"prompt\":\"x\",\"cache_salt\":\"\"}"), 400, "BadRequestError", "cache_salt");
        assertError(sim.post("/v1/completions", "{\"prompt\":\"x\",\"temperature\":-2}"), 400, "BadRequestError", "temperature");
        assertError(sim.post("/v1/completions", "{\"prompt\":[1,-5]}"), 400, "BadRequestError", "out of vocabulary");
        HttpResponse<String> plain = sim.http.send(HttpRequest.newBuilder(sim.uri("/v1/completions"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(plain, 400, "Bad Request", "Only 'application/json' is allowed");
    }

    @Test
    void injectedFaultsFailDelayAndMarkUnhealthy() throws Exception {
        String req = "{\"prompt\":\"fault\",\"max_tokens\":1}";
        assertEquals(200, sim.post("/_sim/faults", "{\"fail_next\":2,\"fail_status\":500}").statusCode());
        assertError(sim.post("/v1/completions", req), 500, "InternalServerError", "injected fault");
        assertEquals(500, sim.post("/v1/completions", req).statusCode());
        assertEquals(200, sim.post("/v1/completions", req).statusCode());

        sim.post("/_sim/faults", "{\"unhealthy\":true}");
        assertEquals(503, sim.get("/health").statusCode());
        sim.post("/_sim/faults", "{\"unhealthy\":false,\"latency_ms\":300}");
        assertEquals(200, sim.get("/health").statusCode());
        long t0 = System.nanoTime();
        sim.post("/v1/completions", req);
        assertTrue(System.nanoTime() - t0 >= 300_000_000L, "latency was injected");

        HttpResponse<String> bad = sim.post("/_sim/faults", "{\"explode\":true}");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("unknown fault"));
        assertEquals(300, SimFixture.json(sim.get("/_sim/faults")).get("latency_ms").asInt(), "a rejected change changes nothing");
    }

    @Test
    void kvEventsCanBeStoppedWhileTheEngineServesAndStartedAgain() throws Exception {
        try (SimFixture events = new SimFixture(Flavor.VLLM, new EngineLimits(16, 4_000, 8_192, 64, 8_192), 50,
                dev.hearth.enginesim.kv.KvEventPublisher.Config.of("tcp://127.0.0.1:*"), null)) {
            String prompt = "{\"prompt\":\"%s %s\",\"max_tokens\":1}";
            String words = "the events of this prompt fill whole blocks ".repeat(8);
            assertEquals(200, events.post("/v1/completions", prompt.formatted(words, "one")).statusCode());
            long sent = awaitBatches(events.server, 1);
            assertEquals(200, events.post("/_sim/faults", "{\"kv_events\":false}").statusCode());
            assertEquals(false, SimFixture.json(events.get("/_sim/faults")).get("kv_events").asBoolean());
            assertEquals(200, events.post("/v1/completions", prompt.formatted("other " + words, "two")).statusCode(),
                    "the engine serves on");
            Thread.sleep(300);
            assertEquals(sent, events.server.kvBatchesSent(), "no batch published while stopped");
            assertEquals(200, events.post("/_sim/faults", "{\"kv_events\":true}").statusCode());
            assertEquals(200, events.post("/v1/completions", prompt.formatted("third " + words, "three")).statusCode());
            awaitBatches(events.server, sent + 1);
            assertEquals(400, events.post("/_sim/faults", "{\"kv_events\":\"off\"}").statusCode());
        }
    }

    private static long awaitBatches(SimServer server, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.kvBatchesSent() < atLeast) {
            assertTrue(System.nanoTime() < deadline, "KV event batches published: " + server.kvBatchesSent());
            Thread.sleep(10);
        }
        return server.kvBatchesSent();
    }

    @Test
    void stalledStreamPausesAfterItsFirstChunkThenCompletes() throws Exception {
        sim.post("/_sim/faults", "{\"stall_ms\":400}");
        long t0 = System.nanoTime();
        String raw = sim.post("/v1/completions", "{\"prompt\":\"stall\",\"max_tokens\":3,\"stream\":true}").body();
        assertTrue(System.nanoTime() - t0 >= 400_000_000L, "the stream paused");
        assertTrue(raw.endsWith("data: [DONE]\n\n"), "and then finished: " + raw);
    }

    @Test
    void droppedConnectionCutsTheStreamShort() throws Exception {
        sim.post("/_sim/faults", "{\"drop_after_chunks\":3}");
        String body = "{\"prompt\":\"drop me\",\"max_tokens\":50,\"stream\":true}";
        List<String> lines = new ArrayList<>();
        Exception failure = null;
        try {
            HttpResponse<java.io.InputStream> r = sim.http.send(HttpRequest.newBuilder(sim.uri("/v1/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isEmpty()) {
                        lines.add(line);
                    }
                }
            }
        } catch (java.io.IOException e) {
            failure = e;
        }
        assertTrue(lines.size() <= 3, "at most the chunks before the drop: " + lines);
        assertFalse(lines.contains("data: [DONE]"), "the stream never finished");
        assertTrue(failure != null || lines.size() <= 3);
        waitForIdle();
    }

    @Test
    void clientDisconnectCancelsTheRequestAndFreesItsSlot() throws Exception {
        String body = "{\"prompt\":\"long stream\",\"max_tokens\":4000,\"stream\":true}";
        HttpResponse<java.io.InputStream> r = sim.http.send(HttpRequest.newBuilder(sim.uri("/v1/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
        assertTrue(in.readLine().startsWith("data: "));
        assertEquals(1.0, sim.metric("vllm:num_requests_running"));
        double aborted = sim.metric("vllm:request_success_total");
        in.close(); // the client goes away
        waitForIdle();
        assertEquals(0.0, sim.metric("vllm:num_requests_running"));
        assertEquals(sim.server.loop().core().pool().numBlocks(), sim.server.loop().core().pool().freeBlocks());
        assertTrue(sim.server.loop().core().stats().finished(dev.hearth.enginesim.engine.FinishReason.ABORT) >= 1);
        assertTrue(aborted >= 0);
    }

    private static void waitForIdle() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sim.metric("vllm:num_requests_running") > 0 || sim.metric("vllm:num_requests_waiting") > 0) {
            assertTrue(System.nanoTime() < deadline, "engine did not go idle");
            Thread.sleep(20);
        }
    }
}
