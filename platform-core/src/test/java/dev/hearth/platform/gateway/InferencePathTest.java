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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reasoning models and tool calls through the gateway, over a simulated reasoning model. */
class InferencePathTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private GatewayFixture fixture;
    private Gateway gateway;

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(1, i -> new SimSettings("127.0.0.1", 0, Flavor.VLLM, "m", Profiles.H100_QWEN3_0_6B,
                new EngineLimits(16, 4_000, 8_192, 64, 8_192), 50, null, "qwen3"),
                GatewayConfig.open("127.0.0.1", 0, "m", "v1", 8_192, Duration.ofSeconds(1)),
                new MemoryPredictionStore(16 << 20, Duration.ofMinutes(5)));
        gateway = fixture.gateway;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> post(String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    @Test
    void reasoningTokensAreCountedForWholeAndStreamedAnswers() throws Exception {
        JsonNode whole = JSON.readTree(post("{\"messages\":[{\"role\":\"user\",\"content\":\"think\"}],\"max_tokens\":40}").body());
        String reasoning = whole.at("/choices/0/message/reasoning_content").asText();
        assertFalse(reasoning.isEmpty());
        assertEquals(new SimTokenizer().encode(reasoning).length,
                whole.at("/usage/completion_tokens_details/reasoning_tokens").asInt(), whole.toString());

        String raw = post("{\"messages\":[{\"role\":\"user\",\"content\":\"think\"}],\"max_tokens\":40,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}").body();
        int reasoningChunks = 0;
        JsonNode usage = null;
        for (String e : raw.split("\n\n")) {
            if (e.equals("data: [DONE]")) {
                continue;
            }
            JsonNode c = JSON.readTree(e.substring(6));
            if (!c.at("/choices/0/delta/reasoning_content").asText("").isEmpty()) {
                reasoningChunks++;
            }
            if (c.hasNonNull("usage")) {
                usage = c.get("usage");
            }
        }
        assertTrue(reasoningChunks > 0);
        assertEquals(reasoningChunks, usage.at("/completion_tokens_details/reasoning_tokens").asInt(), usage.toString());
        assertTrue(raw.endsWith("data: [DONE]\n\n"));
    }

    @Test
    void toolCallsPassThroughAndReplayFromTheCache() throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"weather in Oslo?\"}],\"max_tokens\":20,\"temperature\":0,"
                + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}},\"stream\":true}";
        String first = post(body).body();
        assertTrue(first.contains("\"tool_calls\":[{\"index\":0"), "streamed tool call deltas pass through: " + first);
        HttpResponse<String> cached = post(body.replace(",\"stream\":true", ""));
        assertEquals("hit", cached.headers().firstValue("x-hearth-cache").orElseThrow());
        JsonNode call = JSON.readTree(cached.body()).at("/choices/0/message/tool_calls/0");
        assertEquals("get_weather", call.at("/function/name").asText());
        assertEquals("tool_calls", JSON.readTree(cached.body()).at("/choices/0/finish_reason").asText());
        JsonNode args = JSON.readTree(call.at("/function/arguments").asText()); // fragments merged into valid JSON
        assertTrue(args.has("input"));
    }
}
