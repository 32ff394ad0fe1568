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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API keys, tenants and limits at the gateway, over one simulated replica. */
class TenancyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private GatewayFixture fixture;
    private SimServer sim;
    private Gateway gateway;
    private Path keys;

    @BeforeEach
    void start() throws Exception {
        keys = Files.createTempFile("keys", ".txt");
        Files.writeString(keys, "# key tenant\nsk-alpha alpha\nsk-beta beta\n"
                + "sha256:" + KeysFile.digest("sk-gamma") + " gamma share=lab\nsk-delta delta share=lab\n");
        fixture = new GatewayFixture(1, i -> new SimSettings("127.0.0.1", 0, Flavor.VLLM, "m", Profiles.H100_QWEN3_0_6B,
                new EngineLimits(16, 4_000, 8_192, 64, 8_192), 1, null, null),
                new GatewayConfig("127.0.0.1", 0, "m", "v1", 8_192, Duration.ofMillis(100), new ApiKeys(keys), 2, 64 * 1024),
                new MemoryPredictionStore(16 << 20, Duration.ofMinutes(5)));
        sim = fixture.sims.get(0);
        gateway = fixture.gateway;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String chat(String content, String extra) {
        return "{\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],\"max_tokens\":4" + extra + "}";
    }

    private static JsonNode error(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("error");
    }

    @Test
    void keysAreCheckedAndRevokedKeysRefused() throws Exception {
        assertEquals("missing_api_key", error(post(null, chat("hi", "")), 401).get("code").asText());
        assertEquals("invalid_api_key", error(post("sk-wrong", chat("hi", "")), 401).get("code").asText());
        assertEquals(200, post("sk-beta", chat("hi", "")).statusCode());
        Files.writeString(keys, "sk-alpha alpha\n"); // beta's key revoked
        long deadline = System.currentTimeMillis() + 5_000;
        while (post("sk-beta", chat("hi", "")).statusCode() != 401) {
            assertTrue(System.currentTimeMillis() < deadline, "the revoked key still works");
            Thread.sleep(50);
        }
        assertEquals(200, post("sk-alpha", chat("hi", "")).statusCode());
    }

    @Test
    void tenantsShareNeitherPrefixCachesNorPredictions() throws Exception {
        String prompt = "the river runs over the stone field ".repeat(60);
        post("sk-alpha", chat(prompt, ""));
        JsonNode again = JSON.readTree(post("sk-alpha", chat(prompt, "")).body());
        assertTrue(again.at("/usage/prompt_tokens_details/cached_tokens").asInt() > 300, "alpha reuses its own prefix");
        JsonNode beta = JSON.readTree(post("sk-beta", chat(prompt, "")).body());
        assertEquals(0, beta.at("/usage/prompt_tokens_details/cached_tokens").asInt(0), "beta's first request sees nothing");

        String greedy = chat("same question", ",\"temperature\":0");
        assertEquals("miss", post("sk-alpha", greedy).headers().firstValue("x-hearth-cache").orElseThrow());
        assertEquals("hit", post("sk-alpha", greedy).headers().firstValue("x-hearth-cache").orElseThrow());
        assertEquals("miss", post("sk-beta", greedy).headers().firstValue("x-hearth-cache").orElseThrow(),
                "one tenant's answers are not another's");
    }

    @Test
    void aShareGroupSharesItsPrefixCacheButNotItsAnswers() throws Exception {
        String prompt = "a lab notebook shared by two teams ".repeat(60);
        post("sk-gamma", chat(prompt, "")); // gamma's key is in the file as its digest only
        JsonNode delta = JSON.readTree(post("sk-delta", chat(prompt, "")).body());
        assertTrue(delta.at("/usage/prompt_tokens_details/cached_tokens").asInt() > 300,
                "delta reuses gamma's prefix: both keys share=lab");
        JsonNode alpha = JSON.readTree(post("sk-alpha", chat(prompt, "")).body());
        assertEquals(0, alpha.at("/usage/prompt_tokens_details/cached_tokens").asInt(0), "outside the group, nothing");

        String greedy = chat("a lab question", ",\"temperature\":0");
        assertEquals("miss", post("sk-gamma", greedy).headers().firstValue("x-hearth-cache").orElseThrow());
        assertEquals("miss", post("sk-delta", greedy).headers().firstValue("x-hearth-cache").orElseThrow(),
                "cached answers stay per tenant inside a group");
    }

    /**
     * SGLang appends a request's extra_key to its cache_salt: were it passed on, tenant "team" could send
     * extra_key "2" and land in tenant "team2"'s namespace. The gateway folds it into the tenant's salt.
     */
    @Test
    void anExtraKeyCannotSpellAnotherTenantsNamespaceOnSglang() throws Exception {
        Path teams = Files.createTempFile("keys", ".txt");
        Files.writeString(teams, "sk-team team\nsk-team2 team2\n");
        try (GatewayFixture sglang = new GatewayFixture(1, i -> new SimSettings("127.0.0.1", 0, Flavor.SGLANG, "m",
                Profiles.H100_QWEN3_0_6B, new EngineLimits(1, 40_000, 8_192, 64, 8_192), 1, null, null),
                new GatewayConfig("127.0.0.1", 0, "m", "v1", 8_192, Duration.ofMillis(100), new ApiKeys(teams), 0, 64 * 1024),
                null)) {
            String prompt = "team two's private planning document ".repeat(60);
            java.util.function.BiFunction<String, String, Integer> cached = (key, extra) -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(sglang.uri("/v1/chat/completions"))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                            .POST(HttpRequest.BodyPublishers.ofString(chat(prompt, extra))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, r.statusCode(), r.body());
                    return JSON.readTree(r.body()).at("/usage/prompt_tokens_details/cached_tokens").asInt(0);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            cached.apply("sk-team2", "");
            assertTrue(cached.apply("sk-team2", "") > 300, "team2 reuses its own prefix");
            assertEquals(0, cached.apply("sk-team", ",\"extra_key\":\"2\""), "team cannot reach team2's namespace");
            assertTrue(cached.apply("sk-team", ",\"extra_key\":\"2\"") > 300, "its extra_key still splits team's own");
        }
    }

    @Test
    void concurrencyAndBodyLimits() throws Exception {
        // Streams stall 3 s after their first chunk, so the two below hold their slots for certain.
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/_sim/faults"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"stall_ms\":3000}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        String slow = chat("slow", ",\"stream\":true");
        long received = sim.loop().core().stats().requests.sum();
        List<CompletableFuture<HttpResponse<String>>> running = new ArrayList<>();
        var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor(); // truly concurrent
        for (int i = 0; i < 2; i++) {
            running.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return post("sk-alpha", slow);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, threads));
        }
        long deadline = System.currentTimeMillis() + 5_000;
        while (sim.loop().core().stats().requests.sum() < received + 2) { // both streams reached the engine
            assertTrue(System.currentTimeMillis() < deadline, "the slow streams never started");
            Thread.sleep(10);
        }
        HttpResponse<String> third = post("sk-alpha", chat("one more", ""));
        assertEquals("concurrency_limit", error(third, 429).get("code").asText());
        assertEquals("1", third.headers().firstValue("Retry-After").orElseThrow());
        assertEquals(200, post("sk-beta", chat("other tenant", "")).statusCode(), "the limit is per tenant");
        http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/_sim/faults")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        for (var f : running) {
            assertEquals(200, f.get().statusCode());
        }
        threads.close();
        assertEquals("request_too_large", error(post("sk-alpha", chat("x".repeat(70_000), "")), 413).get("code").asText());
    }
}
