package dev.hearth.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Shows prefix caching from the outside: two streamed chat requests share a long system prompt;
 * the second reports the shared part as {@code usage.prompt_tokens_details.cached_tokens} and its
 * first token comes sooner. Runs against {@code hearth sim}, or a real vLLM started with
 * {@code --enable-prompt-tokens-details}.
 *
 * <pre>
 *   ./hearth sim --port 8000 &amp;
 *   java -cp examples/target/classes:... dev.hearth.examples.PrefixCacheDemo http://127.0.0.1:8000
 * </pre>
 */
public final class PrefixCacheDemo {
    /** What one request showed: its cached prompt tokens and the wall-clock time to its first token. */
    public record Turn(int promptTokens, int cachedTokens, double ttftMillis) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public PrefixCacheDemo(URI base) {
        this.base = base;
    }

    /** Sends one streamed chat request and reads its usage chunk. */
    public Turn ask(String system, String question) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", question);
        body.put("max_tokens", 16);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            throw new IOException("HTTP " + resp.statusCode() + ": " + new String(resp.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        double ttft = -1;
        JsonNode usage = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = JSON.readTree(line.substring(6));
                if (ttft < 0 && !chunk.at("/choices/0/delta/content").asText("").isEmpty()) {
                    ttft = (System.nanoTime() - start) / 1e6;
                }
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                }
            }
        }
        if (usage == null) {
            throw new IOException("the server sent no usage chunk; is stream_options.include_usage supported?");
        }
        return new Turn(usage.get("prompt_tokens").asInt(), usage.at("/prompt_tokens_details/cached_tokens").asInt(0), ttft);
    }

    public static void main(String[] args) throws Exception {
        PrefixCacheDemo demo = new PrefixCacheDemo(URI.create(args.length > 0 ? args[0] : "http://127.0.0.1:8000"));
        String system = "You are a careful assistant for a river survey. ".repeat(220);
        Turn first = demo.ask(system, "What is the survey about?");
        Turn second = demo.ask(system, "Who runs the survey?");
        System.out.printf("first:  %d prompt tokens, %d cached, first token after %.1f ms%n",
                first.promptTokens(), first.cachedTokens(), first.ttftMillis());
        System.out.printf("second: %d prompt tokens, %d cached, first token after %.1f ms%n",
                second.promptTokens(), second.cachedTokens(), second.ttftMillis());
    }
}
