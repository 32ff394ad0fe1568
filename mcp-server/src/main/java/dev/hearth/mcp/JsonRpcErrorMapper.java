package dev.hearth.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The MCP SDK's JSON mapper, but for one thing: the SDK's servlet transport writes a refused request's
 * {@link McpError} with this mapper as the HTTP body ({@code responseError} in
 * {@code HttpServletStreamableServerTransportProvider}, SDK 2.1.0), and the default mapper writes the
 * exception's fields, its stack trace among them. Here an {@code McpError} becomes what JSON-RPC 2.0
 * (section 5.1) says an error is, {@code {"jsonrpc": "2.0", "id": null, "error": {"code", "message"}}},
 * with Java class names taken out of the message; and the error responses the SDK sends over a session's
 * stream, whose messages repeat Jackson's exceptions (a {@code params} field of the wrong type), lose
 * those class names too.
 */
final class JsonRpcErrorMapper implements McpJsonMapper {
    /** A package-qualified exception class and its colon, as Jackson and the SDK prefix their messages. */
    private static final Pattern CLASS = Pattern.compile("(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*(?:Exception|Error):\\s*");

    /** A package-qualified class name in backticks, as Jackson names the type it could not read; its simple name stays. */
    private static final Pattern QUALIFIED = Pattern.compile("`(?:[a-z_][a-z0-9_]*\\.)+(?:\\w+\\$)?(\\w+)`");

    private final McpJsonMapper delegate;

    JsonRpcErrorMapper(McpJsonMapper delegate) {
        this.delegate = delegate;
    }

    /** The JSON-RPC error message for {@code e}, its message cleared of class names and cut to its first line. */
    static Map<String, Object> errorMessage(McpError e) {
        var rpc = e.getJsonRpcError();
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", rpc != null && rpc.code() != null ? rpc.code() : -32603);
        error.put("message", clean(rpc != null && rpc.message() != null ? rpc.message() : String.valueOf(e.getMessage())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jsonrpc", "2.0");
        out.put("id", null);
        out.put("error", error);
        return out;
    }

    /** A message's first line without the Java class names in it. */
    static String clean(String message) {
        String line = CLASS.matcher(message.lines().findFirst().orElse("")).replaceAll("").trim();
        return QUALIFIED.matcher(line).replaceAll("`$1`");
    }

    private static Object cleaned(Object value) {
        if (value instanceof McpError e) {
            return errorMessage(e);
        }
        if (value instanceof McpSchema.JSONRPCResponse r && r.error() != null && r.error().message() != null) {
            return new McpSchema.JSONRPCResponse(r.jsonrpc(), r.id(), r.result(), new McpSchema.JSONRPCResponse.JSONRPCError(
                    r.error().code(), clean(r.error().message()), r.error().data()));
        }
        return value;
    }

    @Override
    public String writeValueAsString(Object value) throws IOException {
        return delegate.writeValueAsString(cleaned(value));
    }

    @Override
    public byte[] writeValueAsBytes(Object value) throws IOException {
        return delegate.writeValueAsBytes(cleaned(value));
    }

    @Override
    public <T> T readValue(String content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, Class<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(String content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T readValue(byte[] content, TypeRef<T> type) throws IOException {
        return delegate.readValue(content, type);
    }

    @Override
    public <T> T convertValue(Object from, Class<T> type) {
        return delegate.convertValue(from, type);
    }

    @Override
    public <T> T convertValue(Object from, TypeRef<T> type) {
        return delegate.convertValue(from, type);
    }
}
