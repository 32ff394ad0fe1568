package dev.hearth.mcp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MCP over Streamable HTTP on loopback, refusing what is not one JSON-RPC 2.0 message MCP takes: each
 * refusal is a 4xx with a JSON-RPC error (never the SDK's serialised exception, a 5xx, or no answer),
 * and a tool's names never reach another control API path than their own. The control API here is a
 * loopback server that records the paths called and answers 404.
 */
class McpHttpRefusalsTest {
    private static final int MAX_BODY = 64 * 1024;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<String> controlCalls = new CopyOnWriteArrayList<>();
    private Javalin control;
    private Javalin gateway;
    private McpHttp mcp;
    private String session;

    @BeforeEach
    void start() throws Exception {
        control = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            c.routes.before(ctx -> controlCalls.add(ctx.method() + " " + ctx.path()));
            c.routes.error(404, ctx -> ctx.json(java.util.Map.of("error", java.util.Map.of("message", "not found",
                    "type", "not_found_error"))));
        }).start();
        URI controlUrl = URI.create("http://127.0.0.1:" + control.port());
        mcp = new McpHttp(() -> controlUrl, null, List.of(), false, "test", List.of(), MAX_BODY);
        gateway = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            mcp.accept(c);
        }).start();
        HttpResponse<String> init = post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}");
        assertEquals(200, init.statusCode(), init.body());
        session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertEquals(202, post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}").statusCode());
    }

    @AfterEach
    void stop() {
        mcp.close();
        gateway.stop();
        control.stop();
    }

    private HttpResponse<String> send(String method, String session, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/mcp"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (session != null) {
            b.header("Mcp-Session-Id", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String session, String body) throws Exception {
        return send("POST", session, body);
    }

    /** A JSON-RPC 2.0 error with {@code code}, for {@code id}, and nothing of a Java exception in it. */
    private static void assertJsonRpcError(HttpResponse<String> r, int status, int code, Object id) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        assertFalse(r.body().contains("stackTrace") || r.body().contains("Exception"), r.body());
        JsonNode n = Tools.JSON.readTree(r.body());
        assertEquals("2.0", n.path("jsonrpc").asText(), r.body());
        assertEquals(code, n.path("error").path("code").asInt(), r.body());
        assertFalse(n.path("error").path("message").asText().isBlank(), r.body());
        assertEquals(id == null ? "null" : id.toString(), n.path("id").toString(), r.body());
    }

    @Test
    void whatIsNotOneJsonRpcMessageIsRefusedAsJsonRpcErrors() throws Exception {
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\""), 400, -32700, null);
        assertJsonRpcError(post(session, "[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}]"), 400, -32600, null);
        assertJsonRpcError(post(session, "null"), 400, -32600, null);
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"1.0\",\"id\":2,\"method\":\"tools/list\"}"), 400, -32600, 2);
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"tools/list\"}"), 400, -32600, null);
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"tools/list\"}"), 400, -32600, null);
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":7}"), 400, -32600, 3);
        // A response to a request the server never sent (the SDK answered 500).
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":{}}"), 400, -32600, 4);
        // Params of the wrong type: the SDK left these unanswered.
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":\"x\"}"),
                400, -32602, 5);
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{"
                + "\"name\":\"gpus_list\",\"arguments\":[1]}}"), 400, -32602, 6);
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":\"seven\",\"method\":\"tools/call\",\"params\":{"
                + "\"name\":[null]}}"), 400, -32602, "\"seven\"");
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"resources/read\",\"params\":{"
                + "\"uri\":5}}"), 400, -32602, 8);
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\"}"), 400, -32602, 9);
        // Too large: refused before it is parsed.
        assertJsonRpcError(post(session, "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"ping\",\"params\":{\"pad\":\""
                + "x".repeat(MAX_BODY) + "\"}}"), 413, -32600, null);
        // The SDK's own refusal (an unknown session) is a JSON-RPC error too, not its exception's fields.
        assertJsonRpcError(post("no-such-session", "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"ping\"}"), 404, -32603, null);
        // A valid message still goes through.
        HttpResponse<String> ping = post(session, "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"ping\"}");
        assertEquals(200, ping.statusCode(), ping.body());
        assertTrue(ping.body().contains("\"id\":12") && ping.body().contains("\"result\""), ping.body());
    }

    @Test
    void methodsOtherThanPostGetAndDeleteAre405NotA501OrAStreamThatNeverEnds() throws Exception {
        for (String method : List.of("PATCH", "PUT", "PROPFIND", "HEAD")) {
            HttpResponse<String> r = send(method, session, method.equals("HEAD") ? null : "{}");
            assertEquals(405, r.statusCode(), method + ": " + r.body());
            assertEquals("GET, POST, DELETE, OPTIONS", r.headers().firstValue("Allow").orElse(""), method);
            if (!method.equals("HEAD")) {
                assertJsonRpcError(r, 405, -32600, null);
            }
        }
    }

    @Test
    void aToolsNameReachesOnlyItsOwnControlApiPath() throws Exception {
        for (String name : List.of("x/../fuzz", "../deployments/fuzz", "fuzz?x=1", "fuzz#x", "..")) {
            HttpResponse<String> r = post(session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{"
                    + "\"name\":\"deployment_delete\",\"arguments\":{\"name\":" + Tools.JSON.writeValueAsString(name) + "}}}");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"isError\":true"), name + ": " + r.body());
            assertFalse(r.body().contains("Exception"), name + ": " + r.body());
        }
        assertFalse(controlCalls.stream().anyMatch(c -> c.startsWith("DELETE") && !c.startsWith("DELETE /api/v1/deployments/")
                || c.equals("DELETE /api/v1/deployments/fuzz") || c.equals("DELETE /api/v1/deployments/")), controlCalls.toString());
        assertEquals("x%2F..%2Ffuzz", Tools.segment("x/../fuzz"));
        assertEquals("%2E%2E", Tools.segment(".."));
        assertEquals("fuzz%3Fx%3D1", Tools.segment("fuzz?x=1"));
        assertEquals("a%20b", Tools.segment("a b"));
        assertEquals("qwen3-0-6b", Tools.segment("qwen3-0-6b"));
    }
}
