package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimSettings;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the gateway answers to requests it will not take, found by the hostile-input suite
 * ({@code HostileInputProcessTest}): every refusal is an OpenAI error object, Jetty's own included; a
 * refused body is read, so the connection lives on; a session id of any length costs the same.
 */
class GatewayRefusalsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "Qwen/Qwen3-0.6B";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private GatewayFixture fixture;

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(2, i -> new SimSettings("127.0.0.1", 0, Flavor.VLLM, MODEL, Profiles.H100_QWEN3_0_6B,
                new EngineLimits(16, 20_000, 16_384, 64, 8_192), 20, null, null),
                GatewayConfig.open("127.0.0.1", 0, MODEL, MODEL, 16_384, Duration.ofMillis(200)), null);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(fixture.uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertOpenAiError(HttpResponse<String> r, int status, String message) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"), r.body());
        JsonNode e = JSON.readTree(r.body()).path("error");
        assertTrue(e.path("message").asText().contains(message), r.body());
        assertEquals("invalid_request_error", e.path("type").asText(), r.body());
    }

    @Test
    void jettysOwnRefusalsAreOpenAiErrorsAndCloseTheConnection() throws Exception {
        // Paths Jetty finds ambiguous, and heads it will not read: its HTML page was answered before.
        HttpResponse<String> ambiguous = send("GET", "/%2e%2e/v1/models", null);
        assertOpenAiError(ambiguous, 400, "Bad Request");
        assertEquals("close", ambiguous.headers().firstValue("connection").orElse(""), "Jetty closes it: say so");
        assertOpenAiError(send("POST", "/v1/chat/completions%00", "{}"), 400, "Bad Request");
        assertOpenAiError(send("GET", "/v1/" + "p".repeat(20_000), null), 414, "URI Too Long");
        // A DELETE refused got no body at all.
        assertOpenAiError(send("DELETE", "/v1/models", null, "X-Huge", "h".repeat(20_000)), 431,
                "Request Header Fields Too Large");
        // Javalin's own 404 (its JSON when the client accepts JSON) is the gateway's error too.
        assertOpenAiError(send("POST", "/v1/models", "{}", "Accept", "application/json"), 404, "unknown route POST /v1/models");
    }

    @Test
    void aBodyNoRouteReadIsReadSoTheConnectionLivesOn() throws Exception {
        String large = "{\"pad\":\"" + "x".repeat(300_000) + "\"}";
        for (String[] call : new String[][] {{"POST", "/v1/models"}, {"DELETE", "/v1/chat/completions"}, {"GET", "/health"}}) {
            HttpResponse<String> r = send(call[0], call[1], large);
            assertTrue(r.statusCode() < 500, r.body());
            // Jetty closes a connection whose request body was left unread, and a client still sending it may
            // see a reset instead of this answer; read, the connection is kept.
            assertEquals("", r.headers().firstValue("connection").orElse(""), call[0] + " " + call[1]);
        }
    }

    @Test
    void aSessionIdOfAnyLengthIsKeptAsItsDigestAndStillBindsTheSession() throws Exception {
        String huge = "s".repeat(500_000);
        String bounded = GatewayApi.bounded(huge);
        assertTrue(bounded.length() <= GatewayApi.MAX_SESSION_KEY, bounded);
        assertEquals(bounded, GatewayApi.bounded(huge), "the same id, the same key");
        assertNotEquals(bounded, GatewayApi.bounded(huge + "t"));
        assertEquals("session-7", GatewayApi.bounded("session-7"), "short ids as sent");
        String chat = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello %d\"}],\"max_tokens\":2,"
                + "\"metadata\":{\"session_id\":\"" + huge + "\"}}";
        HttpResponse<String> first = send("POST", "/v1/chat/completions", chat.formatted(1), "Content-Type", "application/json");
        assertEquals(200, first.statusCode(), first.body());
        HttpResponse<String> second = send("POST", "/v1/chat/completions", chat.formatted(2), "Content-Type", "application/json");
        assertEquals(200, second.statusCode(), second.body());
        assertEquals("session", second.headers().firstValue("x-hearth-route").orElseThrow());
        assertEquals(first.headers().firstValue("x-hearth-replica"), second.headers().firstValue("x-hearth-replica"));
    }
}
