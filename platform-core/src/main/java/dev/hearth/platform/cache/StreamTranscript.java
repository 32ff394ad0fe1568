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
        ArrayNode toolCalls = null;
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
                if (delta.path("tool_calls").isArray()) {
                    toolCalls = toolCalls == null ? JSON.createArrayNode() : toolCalls;
                    toolCalls.addAll((ArrayNode) delta.get("tool_calls"));
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
            message.put("content", content.toString());
            if (!reasoning.isEmpty()) {
                message.put("reasoning_content", reasoning.toString());
            }
            if (toolCalls != null) {
                message.set("tool_calls", toolCalls);
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
