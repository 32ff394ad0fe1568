package dev.hearth.mcp;

import dev.hearth.platform.api.ControlClient;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;

/**
 * One tool: its definition (name, description, schemas, annotations), whether it changes anything
 * (hidden with {@code --read-only}), and what it does with the arguments.
 */
record ToolDef(McpSchema.Tool tool, boolean changes, Handler handler) {

    /**
     * A tool's work: the arguments in, a result out; domain failures are {@link ToolFailure}s.
     * {@code api} is the control API as the caller may use it (with the caller's bearer key over HTTP).
     */
    interface Handler {
        McpSchema.CallToolResult call(McpSyncServerExchange exchange, McpSchema.CallToolRequest request,
                                      Map<String, Object> args, ControlClient api) throws Exception;
    }
}
