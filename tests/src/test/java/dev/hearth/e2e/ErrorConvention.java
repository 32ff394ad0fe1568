package dev.hearth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Whether an answer is in its API's own convention: under {@code /v1} an OpenAI error object
 * ({"error": {"message", "type", ...}}); under {@code /api/v1} the control API's, the same shape with
 * its {@code code}; at {@code /mcp} JSON-RPC 2.0 (an error object with an integer code and a message),
 * or a 4xx with no body or the gateway's error object; and never a stack trace anywhere.
 */
final class ErrorConvention {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A Java stack frame, a serialised exception, or a package-qualified exception class name. */
    private static final Pattern STACK = Pattern.compile("\\tat |\"stackTrace\"|\"localizedMessage\"|\\w+Exception:"
            + "|\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error)\\b");

    private ErrorConvention() {}

    /** The stack-trace text in a body, or null. */
    static String stackTrace(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        var m = STACK.matcher(text);
        return m.find() ? text.substring(Math.max(0, m.start() - 40), Math.min(text.length(), m.end() + 80)) : null;
    }

    /** What is wrong with the answer to {@code request}, or null when it keeps its API's convention. */
    static String problem(HostileRequests.Request request, int status, String contentType, byte[] body) {
        if (request.method().equals("HEAD") || request.method().equals("OPTIONS") && status < 400) {
            return null; // no body to judge: HEAD has none, OPTIONS answers with its Allow header
        }
        String text = new String(body, StandardCharsets.UTF_8);
        String path = request.path().contains("?") ? request.path().substring(0, request.path().indexOf('?')) : request.path();
        if (request.target() != HostileRequests.Target.MCP || !path.equals("/mcp")) {
            return status < 400 ? null : openAiShaped(status, text); // any path but /mcp itself is the gateway's
        }
        if (status >= 400 && !text.isBlank() && openAiShaped(status, text) == null) {
            return null; // refused before reaching MCP (headers too large, say): a 4xx in the gateway's shape
        }
        return jsonRpc(status, contentType, text);
    }

    /** {"error": {"message": "...", "type": "..."}}: OpenAI's, and the control API's with its code. */
    private static String openAiShaped(int status, String text) {
        JsonNode n = parse(text);
        if (n == null || !n.isObject()) {
            return status + " without a JSON error object: " + clip(text);
        }
        JsonNode e = n.path("error");
        if (!e.isObject() || !e.path("message").isTextual() || e.path("message").asText().isBlank()
                || !e.path("type").isTextual() || e.path("type").asText().isBlank()) {
            return status + " whose error has no message and type: " + clip(text);
        }
        return null;
    }

    /** JSON-RPC 2.0: every message answered carries "jsonrpc": "2.0" and, when it fails, a code and a message. */
    private static String jsonRpc(int status, String contentType, String text) {
        if (text.isBlank()) {
            return status == 200 ? "200 with no JSON-RPC message" : null;
        }
        List<JsonNode> messages = new ArrayList<>();
        if (contentType != null && contentType.startsWith("text/event-stream")) {
            for (String line : text.split("\n")) {
                if (line.startsWith("data:")) {
                    JsonNode n = parse(line.substring(5).trim());
                    if (n == null) {
                        return status + " with an event that is not JSON: " + clip(line);
                    }
                    messages.add(n);
                }
            }
            if (messages.isEmpty() && status == 200) {
                return "200 with an event stream that has no JSON-RPC message: " + clip(text);
            }
        } else {
            JsonNode n = parse(text);
            if (n == null) {
                return status + " whose body is not JSON: " + clip(text);
            }
            if (n.isArray()) {
                n.forEach(messages::add);
            } else {
                messages.add(n);
            }
        }
        for (JsonNode m : messages) {
            if (!m.isObject() || !"2.0".equals(m.path("jsonrpc").asText(null))) {
                return status + " with a message that is not JSON-RPC 2.0: " + clip(m.toString());
            }
            boolean failed = m.has("error");
            if (failed && (!m.path("error").path("code").isIntegralNumber() || !m.path("error").path("message").isTextual())) {
                return status + " with a JSON-RPC error lacking its code or message: " + clip(m.toString());
            }
            if (!failed && !m.has("result") && !m.has("method")) {
                return status + " with a JSON-RPC message that is neither a result, an error nor a request: "
                        + clip(m.toString());
            }
            if (status >= 400 && !failed) {
                return status + " whose message is not an error: " + clip(m.toString());
            }
        }
        return null;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static String clip(String s) {
        String one = s.replaceAll("[\\r\\n]+", " ");
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }
}
