package dev.hearth.examples;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An MCP client on the official MCP Java SDK, talking to Hearth's MCP server over Streamable HTTP
 * at {@code /mcp} on the gateway: lists the tools, lists the deployments, asks for a chat
 * completion. The same tools answer over stdio with {@code hearth mcp}.
 *
 * <pre>
 *   ./hearth serve &amp;
 *   ./mvnw -q -pl examples exec:java -Dexec.mainClass=dev.hearth.examples.McpClientExample
 * </pre>
 */
public final class McpClientExample {
    private McpClientExample() {}

    public static void run(URI base, PrintStream out) {
        var transport = HttpClientStreamableHttpTransport.builder(base.toString()).endpoint("/mcp")
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60))
                .clientInfo(new McpSchema.Implementation("hearth-mcp-example", "0.1.0")).build()) {
            McpSchema.InitializeResult init;
            try {
                init = client.initialize();
            } catch (RuntimeException e) { // the SDK's own message names the call, not the address
                throw new IllegalStateException("no MCP session with " + base + "/mcp (" + e.getMessage()
                        + "); is `hearth serve` running there?", e);
            }
            out.printf("connected to %s %s (MCP %s)%n", init.serverInfo().name(), init.serverInfo().version(),
                    init.protocolVersion());

            List<McpSchema.Tool> tools = client.listTools().tools();
            out.printf("%d tools: %s%n", tools.size(), String.join(", ", tools.stream().map(McpSchema.Tool::name).toList()));

            // Tools answer with structured content (a JSON object) beside the text a model reads.
            Map<String, Object> listed = structured(client.callTool(new McpSchema.CallToolRequest("deployments_list", Map.of())));
            out.println("deployments:");
            for (Object o : (List<?>) listed.get("deployments")) {
                Map<?, ?> d = (Map<?, ?>) o;
                out.printf("  %s: %s, %s, %s of %s replicas ready%n", d.get("name"), d.get("model"), d.get("status"),
                        d.get("ready_replicas"), d.get("replicas"));
            }

            Map<String, Object> answer = structured(client.callTool(new McpSchema.CallToolRequest("chat_completion", Map.of(
                    "deployment", ChatClient.DEFAULT_MODEL, "max_tokens", 16,
                    "messages", List.of(Map.of("role", "user", "content", "What does Hearth do?"))))));
            out.println("chat_completion: " + answer.get("text"));
            out.printf("  replica %s, route %s, %s cached tokens, prediction cache %s%n", answer.get("replica"),
                    answer.get("route"), answer.get("cached_tokens"), answer.get("prediction_cache"));
        }
    }

    /** A tool's structured result; a tool error (isError) carries its reason in the text content. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> structured(McpSchema.CallToolResult r) {
        if (Boolean.TRUE.equals(r.isError())) {
            throw new IllegalStateException("the tool failed: " + r.content().stream()
                    .map(c -> c instanceof McpSchema.TextContent t ? t.text() : c.toString()).toList());
        }
        return (Map<String, Object>) r.structuredContent();
    }

    public static void main(String[] args) {
        // The SDK logs each session's start at INFO; only problems belong beside the example's output.
        System.setProperty("org.slf4j.simpleLogger.log.io.modelcontextprotocol", "warn");
        Examples.main("McpClientExample", () -> run(ChatClient.hearthUrl(args), System.out));
    }
}
