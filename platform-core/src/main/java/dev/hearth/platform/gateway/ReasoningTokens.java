package dev.hearth.platform.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.function.ToIntFunction;

/**
 * Fills in {@code usage.completion_tokens_details.reasoning_tokens} (OpenAI's field) when the engine
 * leaves it out: for a whole response, the reasoning text counted with the model's tokenizer; for a
 * stream, one token per reasoning delta (engines stream a token a chunk), written into the usage chunk.
 * Reasoning is read from {@code reasoning_content} (SGLang, earlier vLLM) or {@code reasoning} (vLLM).
 */
final class ReasoningTokens {
    private static final ObjectMapper JSON = new ObjectMapper();
    private int streamed;

    private static String reasoning(JsonNode n) {
        String r = n.path("reasoning_content").asText("");
        return r.isEmpty() ? n.path("reasoning").asText("") : r;
    }

    private static boolean reported(JsonNode usage) {
        return usage.path("completion_tokens_details").hasNonNull("reasoning_tokens");
    }

    /** A whole chat response with the count added, or the same bytes when there is nothing to add. */
    static byte[] complete(byte[] body, ToIntFunction<String> countTokens) {
        if (!new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("\"reasoning")) {
            return body; // no reasoning field at all: nothing to count, no need to parse
        }
        try {
            JsonNode r = JSON.readTree(body);
            String text = reasoning(r.path("choices").path(0).path("message"));
            if (text.isEmpty() || !r.path("usage").isObject() || reported(r.get("usage"))) {
                return body;
            }
            ((ObjectNode) r.get("usage")).putObject("completion_tokens_details")
                    .put("reasoning_tokens", countTokens.applyAsInt(text));
            return JSON.writeValueAsBytes(r);
        } catch (IOException | RuntimeException e) {
            return body;
        }
    }

    /** One SSE event of a chat stream, counted, and rewritten if it is the usage chunk. */
    String event(String event) {
        // Parse only an event that can count (it names reasoning) or be rewritten (a usage chunk after reasoning).
        boolean mayCount = event.contains("\"reasoning");
        boolean mayRewrite = streamed > 0 && event.contains("\"usage\"");
        if (!event.startsWith("data: {") || (!mayCount && !mayRewrite)) {
            return event;
        }
        try {
            JsonNode c = JSON.readTree(event.substring(6));
            if (!reasoning(c.path("choices").path(0).path("delta")).isEmpty()) {
                streamed++;
            }
            if (streamed > 0 && c.path("usage").isObject() && !reported(c.get("usage"))) {
                ((ObjectNode) c.get("usage")).putObject("completion_tokens_details").put("reasoning_tokens", streamed);
                return "data: " + JSON.writeValueAsString(c);
            }
        } catch (IOException | RuntimeException e) {
            // not ours to judge: pass it on as it came
        }
        return event;
    }
}
