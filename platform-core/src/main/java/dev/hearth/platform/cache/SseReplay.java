package dev.hearth.platform.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Replays a stored response as a well-formed stream, in the engines' order (vLLM serving_chat.py):
 * for chat a role chunk, the content (and reasoning, tool calls) in one delta, a chunk carrying the
 * finish_reason, the usage chunk when asked for, then {@code data: [DONE]}.
 */
public final class SseReplay {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SseReplay() {}

    public static byte[] toStream(byte[] response, boolean chat, boolean includeUsage) throws IOException {
        JsonNode r = JSON.readTree(response);
        JsonNode choice = r.path("choices").path(0);
        StringBuilder out = new StringBuilder();
        String object = chat ? "chat.completion.chunk" : "text_completion";
        if (chat) {
            ObjectNode role = chunk(r, object);
            role.withArray("choices").addObject().put("index", 0).putNull("finish_reason")
                    .putObject("delta").put("role", "assistant").put("content", "");
            event(out, role);
        }
        ObjectNode body = chunk(r, object);
        ObjectNode c = body.withArray("choices").addObject().put("index", 0);
        if (chat) {
            ObjectNode delta = c.putObject("delta");
            JsonNode message = choice.path("message");
            delta.put("content", message.path("content").asText(""));
            if (message.hasNonNull("reasoning_content")) {
                delta.set("reasoning_content", message.get("reasoning_content"));
            }
            if (message.path("tool_calls").isArray() && !message.get("tool_calls").isEmpty()) {
                var calls = delta.putArray("tool_calls");
                int i = 0;
                for (JsonNode call : message.get("tool_calls")) { // stream deltas carry their call's index
                    ((ObjectNode) calls.addObject().put("index", i++)).setAll((ObjectNode) call);
                }
            }
        } else {
            c.put("text", choice.path("text").asText(""));
        }
        c.set("finish_reason", choice.get("finish_reason"));
        if (choice.has("stop_reason")) {
            c.set("stop_reason", choice.get("stop_reason"));
        }
        event(out, body);
        if (includeUsage && r.hasNonNull("usage")) {
            ObjectNode usage = chunk(r, object);
            usage.putArray("choices");
            usage.set("usage", r.get("usage"));
            event(out, usage);
        }
        out.append("data: [DONE]\n\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode chunk(JsonNode r, String object) {
        ObjectNode n = JSON.createObjectNode();
        n.set("id", r.get("id"));
        n.put("object", object);
        n.set("created", r.get("created"));
        n.set("model", r.get("model"));
        return n;
    }

    private static void event(StringBuilder out, JsonNode n) {
        out.append("data: ").append(n.toString()).append("\n\n");
    }
}
