package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.kv.KvEventPublisher;
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
import java.util.List;
import org.junit.jupiter.api.Test;

/** Precise routing: the gateway learns each engine's cache from its KV events, not from its own guesses. */
class GatewayKvEventsTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(URI base, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String metrics(Gateway g) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void aPromptServedBehindTheGatewaysBackIsStillFound() throws Exception {
        try (GatewayFixture fixture = new GatewayFixture(3, i -> new SimSettings("127.0.0.1", 0, Flavor.VLLM,
                "Qwen/Qwen3-0.6B", Profiles.H100_QWEN3_0_6B, new EngineLimits(16, 5_000, 8_192, 64, 8_192), 20,
                KvEventPublisher.Config.of("tcp://127.0.0.1:*"), null),
                GatewayConfig.open("127.0.0.1", 0, "Qwen/Qwen3-0.6B", "v1", 8_192, Duration.ofMillis(200)), null)) {
            List<SimServer> sims = fixture.sims;
            Gateway gateway = fixture.gateway;
            URI direct = URI.create("http://127.0.0.1:" + sims.get(2).port());
            // Straight to replica-2, around the gateway: only its KV events can tell the router. Each try
            // ends in new blocks, since a repeat is a cache hit that stores (and publishes) nothing, and the
            // first try's events can go out before the gateway's subscription has joined; all share the document.
            String body = null;
            long deadline = System.currentTimeMillis() + 15_000;
            for (int attempt = 0; !metrics(gateway).contains(
                    "hearth_prefix_index_precise{deployment=\"Qwen/Qwen3-0.6B\",replica=\"replica-2\"} 1"); attempt++) {
                assertTrue(System.currentTimeMillis() < deadline, "no KV events reached the gateway:\n" + metrics(gateway));
                String document = "the river runs over the stone field ".repeat(150) + ("attempt " + attempt + " ").repeat(20);
                body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + document + "\"}],\"max_tokens\":1,"
                        + "\"cache_salt\":\"tenant-a\"}";
                assertEquals(200, post(direct, body).statusCode());
                Thread.sleep(200);
            }
            assertNotNull(body, "replica-2 was precise before any request reached it");
            HttpResponse<String> routed = post(URI.create("http://127.0.0.1:" + gateway.port()), body);
            assertEquals(200, routed.statusCode(), routed.body());
            assertEquals("replica-2", routed.headers().firstValue("x-hearth-replica").orElseThrow());
            assertTrue(routed.headers().firstValue("x-hearth-route").orElseThrow().startsWith("prefix-hit blocks="));
            // Another tenant's salt shares nothing: the salted keys must not match it.
            HttpResponse<String> other = post(URI.create("http://127.0.0.1:" + gateway.port()),
                    body.replace("tenant-a", "tenant-b"));
            assertFalse(other.headers().firstValue("x-hearth-route").orElseThrow().startsWith("prefix-hit"),
                    other.headers().firstValue("x-hearth-route").orElseThrow());
        }
    }
}
