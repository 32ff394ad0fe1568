package dev.hearth.platform.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Rebuilds the non-streaming response a stream amounts to, so a streamed answer can be stored once
 * and replayed either way. Only a stream that ended properly counts: a final choice with a
 * finish_reason and a closing {@code data: [DONE]}; anything cut off or failed yields null.
 */
public final class StreamTranscript {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StreamTranscript() {}

    public static byte[] toResponse(byte[] sse, boolean chat) {
        String text = new String(sse, StandardCharsets.UTF_8);
        if (!text.stripTrailing().endsWith("data: [DONE]")) {
            return null;
        }
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        java.util.TreeMap<Integer, ObjectNode> toolCalls = new java.util.TreeMap<>();
        JsonNode first = null;
        String finish = null;
        JsonNode stopReason = null;
        JsonNode usage = null;
        for (String event : text.split("\n\n")) {
            event = event.strip();
            if (!event.startsWith("data: ") || event.equals("data: [DONE]")) {
                continue;
            }
            JsonNode chunk;
            try {
                chunk = JSON.readTree(event.substring(6));
            } catch (IOException e) {
                return null;
            }
            if (chunk.has("error")) {
                return null; // the stream ended in an error: never stored
            }
            if (first == null) {
                first = chunk;
            }
            if (chunk.hasNonNull("usage")) {
                usage = chunk.get("usage");
            }
            JsonNode choice = chunk.path("choices").path(0);
            if (choice.isMissingNode()) {
                continue;
            }
            if (chat) {
                JsonNode delta = choice.path("delta");
                content.append(delta.path("content").asText(""));
                reasoning.append(delta.path("reasoning_content").asText(""));
                for (JsonNode tc : delta.path("tool_calls")) { // merge the deltas of each call by its index
                    ObjectNode call = toolCalls.computeIfAbsent(tc.path("index").asInt(0), i -> {
                        ObjectNode n = JSON.createObjectNode();
                        n.putObject("function").put("arguments", "");
                        return n;
                    });
                    if (tc.hasNonNull("id")) {
                        call.set("id", tc.get("id"));
                    }
                    if (tc.hasNonNull("type")) {
                        call.set("type", tc.get("type"));
                    }
                    ObjectNode fn = (ObjectNode) call.get("function");
                    if (tc.path("function").hasNonNull("name")) {
                        fn.set("name", tc.path("function").get("name"));
                    }
                    fn.put("arguments", fn.get("arguments").asText() + tc.path("function").path("arguments").asText(""));
                }
            } else {
                content.append(choice.path("text").asText(""));
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.get("finish_reason").asText();
                stopReason = choice.get("stop_reason");
            }
        }
        if (first == null || finish == null) {
            return null;
        }
        ObjectNode out = JSON.createObjectNode();
        out.set("id", first.get("id"));
        out.put("object", chat ? "chat.completion" : "text_completion");
        out.set("created", first.get("created"));
        out.set("model", first.get("model"));
        ObjectNode choice = out.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (toolCalls.isEmpty()) {
                message.put("content", content.toString());
            } else {
                message.putNull("content");
                message.putArray("tool_calls").addAll(toolCalls.values());
            }
            if (!reasoning.isEmpty()) {
                message.put("reasoning_content", reasoning.toString());
            }
        } else {
            choice.put("text", content.toString());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        if (stopReason != null) {
            choice.set("stop_reason", stopReason);
        }
        if (usage != null) {
            out.set("usage", usage);
        }
        try {
            return JSON.writeValueAsBytes(out);
        } catch (IOException e) {
            return null;
        }
    }
}
