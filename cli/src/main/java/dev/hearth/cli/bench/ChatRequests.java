package dev.hearth.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The benchmark's requests: OpenAI chat completions with a short prompt and a few output tokens,
 * so the engines' share of the time is small and the proxies' shows. Sampled (no temperature), so
 * Hearth's prediction cache lets them through as it would any sampled request.
 *
 * @param model     the model the engines serve
 * @param maxTokens output tokens per answer
 * @param stream    SSE answers instead of one JSON body
 */
public record ChatRequests(String model, int maxTokens, boolean stream) {
    public static final String PATH = "/v1/chat/completions";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Request {@code i}'s body; every target gets the same sequence. */
    public String body(int i) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to request " + i
                + "\"}],\"max_tokens\":" + maxTokens + ",\"stream\":" + stream + "}";
    }

    /** Why an answer is not a good one, or null when it is: status 200 and at least one choice. */
    public String problem(int status, String body) {
        if (status != 200) {
            return "HTTP " + status + ": " + abbreviate(body);
        }
        if (stream) {
            return body.contains("\"choices\"") && body.stripTrailing().endsWith("data: [DONE]") ? null
                    : "a stream without choices or [DONE]: " + abbreviate(body);
        }
        try {
            JsonNode choices = JSON.readTree(body).path("choices");
            return choices.isArray() && !choices.isEmpty() ? null : "no choices in the answer: " + abbreviate(body);
        } catch (IOException e) {
            return "not JSON: " + abbreviate(body);
        }
    }

    private static String abbreviate(String body) {
        String one = body.strip().replaceAll("\\s+", " ");
        return one.length() <= 120 ? one : one.substring(0, 120) + "...";
    }
}
