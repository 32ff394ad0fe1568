package dev.hearth.enginesim.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.enginesim.engine.EngineLimits;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SglangApiTest {
    static SimFixture sim;

    @BeforeAll
    static void start() {
        // SGLang's radix cache: page size 1, so every prompt token but the last can be reused.
        sim = new SimFixture(Flavor.SGLANG, new EngineLimits(1, 100_000, 8_192, 64, 8_192), 50, null, "qwen3");
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void generateReturnsTextIdsAndMetaInfoWithTokenGranularCaching() throws Exception {
        String text = SimFixture.words(500);
        String req = "{\"text\":\"" + text + "\",\"sampling_params\":{\"max_new_tokens\":6,\"temperature\":0}}";
        JsonNode first = SimFixture.json(sim.post("/generate", req));
        assertEquals(6, first.get("output_ids").size());
        assertEquals(500, first.at("/meta_info/prompt_tokens").asInt());
        assertEquals(6, first.at("/meta_info/completion_tokens").asInt());
        assertEquals("length", first.at("/meta_info/finish_reason/type").asText());
        assertEquals(6, first.at("/meta_info/finish_reason/length").asInt());
        assertTrue(first.at("/meta_info/e2e_latency").asDouble() > 0);
        JsonNode second = SimFixture.json(sim.post("/generate", req));
        assertEquals(499, second.at("/meta_info/cached_tokens").asInt(), "all but the last prompt token");
        assertEquals(first.get("text"), second.get("text"));
    }

    /** SGLang's OpenAI routes salt with cache_salt and extra_key concatenated (serving_base.py's _compute_extra_key). */
    @Test
    void cacheSaltAndExtraKeyAreOneConcatenatedNamespace() throws Exception {
        String chat = SimFixture.chat(SimFixture.words(300) + " namespace-" + System.nanoTime(), "q", 1);
        java.util.function.Function<String, Integer> cached = salts -> {
            try {
                return SimFixture.json(sim.post("/v1/chat/completions", chat.replace("{", "{" + salts + ",")))
                        .at("/usage/prompt_tokens_details/cached_tokens").asInt(0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        cached.apply("\"cache_salt\":\"tenant:a\"");
        assertTrue(cached.apply("\"cache_salt\":\"tenant:a\"") > 290, "the same salt reuses");
        assertEquals(0, cached.apply("\"cache_salt\":\"tenant:b\",\"extra_key\":\"tenant:a\""),
                "an extra_key is appended to the salt, never replaces it");
        assertTrue(cached.apply("\"cache_salt\":\"tenant:\",\"extra_key\":\"a\"") > 290,
                "concatenated: why a gateway folds a client's extra_key into its own salt with a separator");
        assertEquals(0, cached.apply("\"extra_key\":\"other\""));
    }

    @Test
    void streamingGenerateSendsCumulativeText() throws Exception {
        String raw = sim.post("/generate", "{\"text\":\"hello\",\"stream\":true,\"sampling_params\":{\"max_new_tokens\":4}}").body();
        assertTrue(raw.endsWith("data: [DONE]\n\n"));
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : raw.split("\n\n")) {
            if (!e.equals("data: [DONE]")) {
                chunks.add(SimFixture.JSON.readTree(e.substring("data: ".length())));
            }
        }
        assertEquals(4, chunks.size());
        for (int i = 1; i < 4; i++) {
            assertTrue(chunks.get(i).get("text").asText().startsWith(chunks.get(i - 1).get("text").asText()));
            assertTrue(chunks.get(i - 1).at("/meta_info/finish_reason").isNull());
        }
        assertEquals("length", chunks.get(3).at("/meta_info/finish_reason/type").asText());
    }

    @Test
    void reasoningParserSplitsThinkingFromTheAnswer() throws Exception {
        JsonNode r = SimFixture.json(sim.post("/v1/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"think\"}],\"max_tokens\":40}"));
        JsonNode msg = r.at("/choices/0/message");
        assertFalse(msg.get("reasoning_content").asText().isEmpty());
        assertFalse(msg.get("content").asText().contains("<think>"));
        assertFalse(msg.has("reasoning"), "SGLang names the field reasoning_content only");
        assertEquals(40, r.at("/usage/completion_tokens").asInt());
    }

    @Test
    void infoFlushAndMetricsUseSglangNames() throws Exception {
        JsonNode info = SimFixture.json(sim.get("/get_server_info"));
        assertEquals(1, info.get("page_size").asInt());
        assertEquals(SimFixture.MODEL, info.get("model_path").asText());
        assertEquals("qwen3", info.get("reasoning_parser").asText());
        assertTrue(SimFixture.json(sim.get("/get_model_info")).get("is_generation").asBoolean());
        sim.post("/generate", "{\"text\":\"metrics\",\"sampling_params\":{\"max_new_tokens\":2}}");
        assertTrue(sim.metric("sglang:generation_tokens_total") >= 2);
        assertTrue(sim.metric("sglang:time_to_first_token_seconds_count") >= 1);
        assertEquals(0.0, sim.metric("sglang:num_running_reqs"));
        HttpResponse<String> flushed = sim.post("/flush_cache", "");
        assertEquals(200, flushed.statusCode());
        assertTrue(flushed.body().startsWith("Cache flushed."));
        assertEquals(0, sim.server.loop().core().pool().cachedBlocks());
    }

    @Test
    void errorsUseSglangShapes() throws Exception {
        HttpResponse<String> r = sim.post("/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":0}");
        assertEquals(400, r.statusCode());
        JsonNode e = SimFixture.json(r);
        assertEquals("error", e.get("object").asText(), "flat OpenAI-v0 error: " + r.body());
        assertEquals(400, e.get("code").asInt());
        HttpResponse<String> g = sim.post("/generate", "{\"sampling_params\":{}}");
        assertEquals(400, g.statusCode());
        assertEquals("Either text or input_ids should be provided.", SimFixture.json(g).at("/error/message").asText());
        HttpResponse<String> tooLong = sim.post("/generate", "{\"text\":\"" + SimFixture.words(8_300) + "\"}");
        assertEquals(400, tooLong.statusCode());
        assertTrue(tooLong.body().contains("is longer than the model's context length (8192 tokens)"), tooLong.body());
    }
}
