package dev.hearth.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.platform.gateway.UnreadBody;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The first filter in front of {@code /mcp}: what the SDK's servlet would answer with a 500, a 501, an
 * unbounded read or no answer at all is answered here, as JSON-RPC 2.0 errors (spec sections 4 and 5:
 * -32700 parse error, -32600 invalid request, -32602 invalid params). It takes POST (a message), GET (the
 * event stream), DELETE (the session) and OPTIONS; takes at most {@code --max-body-bytes}; and passes on
 * only one JSON-RPC message per body (MCP 2025-06-18 removed batches) whose {@code jsonrpc} is "2.0", whose
 * {@code id} is a string or an integer, whose {@code params} is an object, and whose fields the SDK reads into
 * typed requests have their types ({@link #TYPED}). A response from the client is refused: Hearth's server
 * sends clients no requests to answer. A refused body is read on (to four times the limit) before the answer.
 */
final class JsonRpcGuard implements Filter {
    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int INVALID_PARAMS = -32602;

    private final int maxBodyBytes;

    JsonRpcGuard(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) req;
        HttpServletResponse out = (HttpServletResponse) res;
        switch (http.getMethod()) {
            case "GET", "DELETE", "OPTIONS" -> { // a body here means nothing, but left unread it would cost the connection
                UnreadBody.drain(http, 4L * maxBodyBytes);
                chain.doFilter(req, res);
                return;
            }
            case "POST" -> { }
            default -> {
                UnreadBody.drain(http, 4L * maxBodyBytes);
                out.setHeader("Allow", "GET, POST, DELETE, OPTIONS");
                send(out, 405, null, INVALID_REQUEST, "method " + http.getMethod() + " is not allowed on /mcp: POST a "
                        + "JSON-RPC message, GET the session's event stream, DELETE the session");
                return;
            }
        }
        byte[] body = http.getContentLengthLong() > maxBodyBytes ? null : http.getInputStream().readNBytes(maxBodyBytes + 1);
        if (body == null || body.length > maxBodyBytes) {
            // Read on (to four times the limit), so the client still sending reads this answer rather than a reset.
            UnreadBody.drain(http, 4L * maxBodyBytes);
            send(out, 413, null, INVALID_REQUEST, "the body is larger than " + maxBodyBytes + " bytes");
            return;
        }
        JsonNode message;
        try {
            message = Tools.JSON.readTree(body);
        } catch (IOException e) {
            String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            send(out, 400, null, PARSE_ERROR, "Parse error: the body is not valid JSON: " + why);
            return;
        }
        JsonNode id = message == null ? null : message.get("id");
        JsonNode validId = id != null && (id.isTextual() || id.isIntegralNumber() && id.canConvertToLong()) ? id : null;
        int[] code = new int[1];
        String problem = problem(message, code);
        if (problem != null) {
            send(out, 400, validId, code[0], problem);
            return;
        }
        chain.doFilter(new HttpSkills.Replayed(http, body), res);
    }

    /** What makes {@code m} no single JSON-RPC 2.0 message MCP takes, with its error code in {@code code[0]}; null if none. */
    static String problem(JsonNode m, int[] code) {
        code[0] = INVALID_REQUEST;
        if (m == null || m.isMissingNode()) {
            return "the body is empty: POST one JSON-RPC 2.0 message";
        }
        if (m.isArray()) {
            return "batches are not taken: POST one JSON-RPC message at a time (MCP 2025-06-18 removed batching)";
        }
        if (!m.isObject()) {
            return "the body must be a JSON-RPC 2.0 message, a JSON object";
        }
        if (!"2.0".equals(m.path("jsonrpc").textValue())) {
            return "'jsonrpc' must be \"2.0\"";
        }
        JsonNode method = m.get("method");
        if (method == null) {
            return m.has("result") || m.has("error")
                    ? "Hearth's MCP server sends no requests, so it takes no responses"
                    : "a message needs a 'method': a request (with an 'id') or a notification (without)";
        }
        if (!method.isTextual()) {
            return "'method' must be a string";
        }
        JsonNode id = m.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber() && id.canConvertToLong())) {
            return "'id' must be a string or an integer";
        }
        JsonNode params = m.get("params");
        code[0] = INVALID_PARAMS;
        if (params != null && !params.isObject()) {
            return "'params' must be an object";
        }
        if (params == null && TYPED.containsKey(method.asText())) {
            return method.asText() + " needs its 'params'";
        }
        for (var field : TYPED.getOrDefault(method.asText(), Map.of()).entrySet()) {
            JsonNode v = params == null ? null : params.get(field.getKey());
            if (v != null && (field.getValue().equals("string") ? !v.isTextual() : !v.isObject())) {
                return "'" + field.getKey() + "' of " + method.asText() + " must be a" + (field.getValue().equals("object")
                        ? "n object" : " string");
            }
        }
        return null;
    }

    /**
     * Fields the SDK reads into its typed requests and, when they have another JSON type (or the request has no
     * params), leaves the request unanswered (SDK 2.1.0; MCP's schema gives their types): method, field, "string"
     * or "object".
     */
    private static final Map<String, Map<String, String>> TYPED = Map.of(
            "tools/call", Map.of("name", "string", "arguments", "object"),
            "prompts/get", Map.of("name", "string", "arguments", "object"),
            "resources/read", Map.of("uri", "string"));

    private static void send(HttpServletResponse out, int status, JsonNode id, int code, String message) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", id);
        body.put("error", error);
        out.setStatus(status);
        out.setContentType("application/json");
        out.getOutputStream().write(Tools.JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
    }
}
