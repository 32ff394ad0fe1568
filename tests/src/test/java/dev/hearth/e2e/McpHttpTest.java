package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MCP over Streamable HTTP at {@code /mcp} on a running Hearth with API keys on, driven by the
 * official Java SDK client: bearer keys required and passed on to the tools' calls, browser origins
 * checked, progress notifications over the stream.
 */
class McpHttpTest {
    private static final String KEY = "sk-mcp-test-key";
    private static HearthProcess.Serving serve;
    private static URI gateway;

    @BeforeAll
    static void startHearth() throws Exception {
        Path keys = Files.createTempFile("keys", ".txt");
        Files.writeString(keys, KEY + " team-a admin\n");
        serve = HearthProcess.serve("--port", "0", "--replicas", "1", "--time-scale", "10",
                "--api-keys", keys.toString(), "--mcp-allowed-origin", "https://console.example.com",
                "--state-dir", Files.createTempDirectory("hearth-mcp-http").toString());
        gateway = serve.gateway();
        assertTrue(serve.printed().contains("MCP at " + gateway + "/mcp"), serve.printed());
    }

    @AfterAll
    static void stopHearth() {
        serve.close();
    }

    private static McpSyncClient client(String key, List<McpSchema.ProgressNotification> progress) {
        HttpRequest.Builder headers = HttpRequest.newBuilder();
        if (key != null) {
            headers.header("Authorization", "Bearer " + key);
        }
        var transport = HttpClientStreamableHttpTransport.builder(gateway.toString()).endpoint("/mcp")
                .jsonMapper(McpJsonDefaults.getMapper()).requestBuilder(headers).build();
        return McpClient.sync(transport).requestTimeout(Duration.ofSeconds(120)).initializationTimeout(Duration.ofSeconds(90)).progressConsumer(progress::add).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        assertNotEquals(Boolean.TRUE, r.isError(), r.content().toString());
        return (Map<String, Object>) r.structuredContent();
    }

    @Test
    void aKeyHolderDeploysChatsAndDeletesWithProgressOverTheStream() {
        List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
        try (McpSyncClient c = client(KEY, progress)) {
            c.initialize();
            assertEquals(16, c.listTools().tools().size());
            Map<String, Object> answer = structured(c.callTool(new McpSchema.CallToolRequest("chat_completion", Map.of(
                    "deployment", "qwen3-0-6b", "messages", List.of(Map.of("role", "user", "content", "hi")),
                    "max_tokens", 4))));
            assertTrue(((String) answer.get("replica")).startsWith("qwen3-0-6b-"), answer.toString());
            Map<String, Object> applied = structured(c.callTool(McpSchema.CallToolRequest.builder().name("deployment_apply")
                    .arguments(Map.of("sentence", "Deploy acme/http-1b on 1 replica called http-demo")).progressToken("p-1")
                    .build()));
            assertEquals(true, applied.get("done"), applied.toString());
            assertTrue(progress.stream().anyMatch(p -> "p-1".equals(p.progressToken())), "progress over the stream");
            Map<String, Object> deleted = structured(c.callTool(new McpSchema.CallToolRequest("deployment_delete",
                    Map.of("name", "http-demo"))));
            assertEquals(true, deleted.get("done"));
        }
    }

    @Test
    void noKeyNoSessionAndForeignOriginsAreRefused() throws Exception {
        try (McpSyncClient anonymous = client(null, new CopyOnWriteArrayList<>())) {
            assertThrows(Exception.class, anonymous::initialize, "no session without a key");
        }
        try (McpSyncClient wrong = client("sk-wrong", new CopyOnWriteArrayList<>())) {
            assertThrows(Exception.class, wrong::initialize);
        }
        String init = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
        HttpClient http = HttpClient.newHttpClient();
        for (var origin : Map.of("http://evil.example", 403, "https://console.example.com", 200, "http://localhost:5173", 200)
                .entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.resolve("/mcp"))
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("Authorization", "Bearer " + KEY).header("Origin", origin.getKey())
                    .POST(HttpRequest.BodyPublishers.ofString(init)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(origin.getValue(), r.statusCode(), origin.getKey() + ": " + r.body());
        }
        HttpResponse<String> keyless = http.send(HttpRequest.newBuilder(gateway.resolve("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(init)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, keyless.statusCode());
        assertTrue(keyless.body().contains("API key"), keyless.body());
    }
}
