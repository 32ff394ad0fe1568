package dev.hearth.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every tool shares: building a definition with every annotation set explicitly (the spec's
 * defaults assume the worst), JSON Schemas, results with {@code structuredContent} mirrored as text,
 * argument reading with clear messages, and cursor pagination.
 */
final class Tools {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int PAGE = 20;

    private Tools() {}

    /** Whether a tool reads only, may destroy, gives the same result when repeated, or reaches outside Hearth. */
    record Hints(boolean readOnly, boolean destructive, boolean idempotent, boolean openWorld) {
        static final Hints READ = new Hints(true, false, true, false);
        static final Hints CHANGE = new Hints(false, false, true, false);
        static final Hints DESTROY = new Hints(false, true, true, false);
    }

    static ToolDef tool(String name, String title, String description, Map<String, Object> input,
                        Map<String, Object> output, Hints hints, ToolDef.Handler handler) {
        if (description.length() >= 400) {
            throw new IllegalStateException(name + ": a tool description must stay under 400 characters");
        }
        McpSchema.Tool t = McpSchema.Tool.builder().name(name).title(title).description(description)
                .inputSchema(input).outputSchema(output)
                .annotations(new McpSchema.ToolAnnotations(title, hints.readOnly(), hints.destructive(), hints.idempotent(),
                        hints.openWorld(), false))
                .build();
        return new ToolDef(t, !hints.readOnly(), handler);
    }

    /** An object schema: properties, and which are required; nothing else is allowed. */
    static Map<String, Object> object(Map<String, Object> properties, String... required) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", properties);
        if (required.length > 0) {
            s.put("required", List.of(required));
        }
        s.put("additionalProperties", false);
        return s;
    }

    static Map<String, Object> prop(String type, String description) {
        return Map.of("type", type, "description", description);
    }

    /** An output schema that allows what the control API returns beside the named fields. */
    static Map<String, Object> open(Map<String, Object> properties) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", "object");
        s.put("properties", properties);
        return s;
    }

    /** A result: the value as structuredContent, and the same as JSON text for clients that read text only. */
    static McpSchema.CallToolResult ok(Object value) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> structured = value instanceof JsonNode n ? JSON.convertValue(n, Map.class)
                : JSON.convertValue(value, Map.class);
        return McpSchema.CallToolResult.builder().structuredContent(structured)
                .addTextContent(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(structured)).build();
    }

    /** The control API's answer, or its refusal as the tool's failure (404s point at the listing tool). */
    static JsonNode answer(java.net.http.HttpResponse<String> r) throws Exception {
        JsonNode body = JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
        if (r.statusCode() >= 400) {
            throw new ToolFailure(body.at("/error/message").asText("HTTP " + r.statusCode())
                    + (r.statusCode() == 404 && !body.at("/error/message").asText("").contains("deployments_list")
                    ? "; call deployments_list or nodepools_list to see the names" : ""));
        }
        return body;
    }

    static McpSchema.CallToolResult error(String message) {
        return McpSchema.CallToolResult.builder().isError(true).addTextContent(message).build();
    }

    static String text(Map<String, Object> args, String name, boolean required) {
        Object v = args.get(name);
        if (v == null) {
            if (required) {
                throw new ToolFailure("'" + name + "' is required");
            }
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new ToolFailure("'" + name + "' must be a non-empty string");
        }
        return s;
    }

    /**
     * A name as one path segment of a control API URL, percent-encoded (RFC 3986 section 3.3), so a name such
     * as {@code x/../other}, {@code other?x} or {@code ..} reaches no other resource than the one it names.
     */
    static String segment(String name) {
        String encoded = java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        return encoded.equals(".") || encoded.equals("..") ? encoded.replace(".", "%2E") : encoded;
    }

    static Integer whole(Map<String, Object> args, String name, Integer fallback, int min, int max) {
        Object v = args.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new ToolFailure("'" + name + "' must be a whole number");
        }
        int i = n.intValue();
        if (i < min || i > max) {
            throw new ToolFailure("'" + name + "' must be from " + min + " to " + max + ", was " + i);
        }
        return i;
    }

    /** One page of {@code items} from {@code cursor} (opaque: an encoded offset), with the next cursor when more remain. */
    static Map<String, Object> page(String key, List<?> items, String cursor) {
        int from = 0;
        if (cursor != null) {
            try {
                from = Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor)));
            } catch (RuntimeException e) {
                throw new ToolFailure("'cursor' is not one this server gave; start again without it");
            }
            if (from < 0 || from > items.size()) {
                throw new ToolFailure("'cursor' is out of range; start again without it");
            }
        }
        int to = Math.min(items.size(), from + PAGE);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, new ArrayList<>(items.subList(from, to)));
        out.put("total", items.size());
        if (to < items.size()) {
            out.put("next_cursor", Base64.getUrlEncoder().withoutPadding().encodeToString(Integer.toString(to).getBytes()));
        }
        return out;
    }
}
