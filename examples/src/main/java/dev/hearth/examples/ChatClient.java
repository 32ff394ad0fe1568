package dev.hearth.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A chat client for Hearth's OpenAI-compatible gateway on the JDK's own {@link HttpClient}: a
 * plain chat completion, and a streamed one in a session whose tokens are handed over as they
 * arrive. Every answer also says where Hearth sent it ({@code x-hearth-replica}) and why
 * ({@code x-hearth-route}).
 *
 * <pre>
 *   ./hearth serve &amp;
 *   ./mvnw -q -pl examples exec:java -Dexec.mainClass=dev.hearth.examples.ChatClient
 * </pre>
 */
public final class ChatClient {
    /** One chat message, as the OpenAI API has it. */
    public record Message(String role, String content) {}

    /**
     * An answer: its text, where it was served and why, the prediction cache's verdict, and the
     * usage the engine reported ({@code prompt_tokens}, {@code prompt_tokens_details.cached_tokens}, ...).
     */
    public record Answer(String text, String replica, String route, String cache, JsonNode usage) {
        /** Prompt tokens the engine found in its prefix cache; 0 when it reports none. */
        public int cachedTokens() {
            return usage.at("/prompt_tokens_details/cached_tokens").asInt(0);
        }

        public int promptTokens() {
            return usage.path("prompt_tokens").asInt();
        }
    }

    public static final String DEFAULT_URL = "http://127.0.0.1:8080";
    public static final String DEFAULT_MODEL = "qwen3-0-6b"; // the deployment `hearth serve` creates
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String model;

    /** {@code model}: a deployment's name, or the model id it serves. */
    public ChatClient(URI base, String model) {
        this.base = base;
        this.model = model;
    }

    /** Hearth's address: the first argument, else {@code $HEARTH_URL}, else 127.0.0.1:8080. */
    public static URI hearthUrl(String[] args) {
        String env = System.getenv("HEARTH_URL");
        return URI.create(args.length > 0 ? args[0] : env != null && !env.isBlank() ? env : DEFAULT_URL);
    }

    /** A whole answer at once ({@code "stream": false}). */
    public Answer chat(List<Message> messages, String sessionId) throws IOException, InterruptedException {
        HttpResponse<InputStream> r = send(body(messages, false), sessionId);
        JsonNode answer = JSON.readTree(r.body());
        return new Answer(answer.at("/choices/0/message/content").asText(""), header(r, "x-hearth-replica"),
                header(r, "x-hearth-route"), header(r, "x-hearth-cache"), answer.path("usage"));
    }

    /**
     * A streamed answer: each piece of text goes to {@code onToken} as its server-sent event arrives;
     * the usage comes in the last chunk, which {@code stream_options.include_usage} asks for.
     */
    public Answer stream(List<Message> messages, String sessionId, Consumer<String> onToken)
            throws IOException, InterruptedException {
        ObjectNode body = body(messages, true);
        body.putObject("stream_options").put("include_usage", true);
        HttpResponse<InputStream> r = send(body, sessionId);
        StringBuilder text = new StringBuilder();
        JsonNode usage = NullNode.getInstance();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) { // one line per event as it arrives: nothing is buffered whole
                if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                    continue; // blank separators, comments, and the end marker
                }
                JsonNode chunk = JSON.readTree(line.substring(6));
                if (chunk.has("error")) { // a replica failed mid-stream: Hearth ends the stream with an error event
                    throw new IOException("the stream ended with an error: " + chunk.at("/error/message").asText());
                }
                String piece = chunk.at("/choices/0/delta/content").asText("");
                if (!piece.isEmpty()) {
                    text.append(piece);
                    onToken.accept(piece);
                }
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                }
            }
        }
        return new Answer(text.toString(), header(r, "x-hearth-replica"), header(r, "x-hearth-route"),
                header(r, "x-hearth-cache"), usage);
    }

    private ObjectNode body(List<Message> messages, boolean stream) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        body.set("messages", JSON.valueToTree(messages));
        body.put("max_tokens", 24);
        body.put("stream", stream);
        return body;
    }

    /** Posts a chat request; an HTTP error becomes an IOException carrying Hearth's own message. */
    private HttpResponse<InputStream> send(ObjectNode body, String sessionId) throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (sessionId != null) {
            req.header("X-Session-Id", sessionId); // keeps a conversation on the replica that holds its cache
        }
        HttpResponse<InputStream> r;
        try {
            r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.ConnectException e) {
            throw new IOException("cannot reach Hearth at " + base + "; is `hearth serve` running there?", e);
        }
        if (r.statusCode() != 200) {
            String error;
            try (InputStream in = r.body()) {
                error = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String message;
            try {
                message = JSON.readTree(error).at("/error/message").asText(error);
            } catch (IOException notJson) {
                message = error;
            }
            throw new IOException("HTTP " + r.statusCode() + " from " + base + ": " + message);
        }
        return r;
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    /** The example: one plain chat, then one streamed in a session. */
    public static void run(URI base, PrintStream out) throws IOException, InterruptedException {
        ChatClient client = new ChatClient(base, DEFAULT_MODEL);
        Answer plain = client.chat(List.of(new Message("user", "Say hello to Hearth in a few words.")), null);
        out.println("chat: " + plain.text());
        out.printf("  replica %s, route %s, prediction cache %s, %d prompt tokens%n", plain.replica(), plain.route(),
                plain.cache(), plain.promptTokens());

        String session = "java-example-" + UUID.randomUUID();
        out.print("stream: ");
        out.flush();
        Answer streamed = client.stream(List.of(new Message("user", "Tell me about prefix caching.")), session, token -> {
            out.print(token);
            out.flush(); // show each token the moment it arrives
        });
        out.println();
        out.printf("  replica %s, route %s, session %s, %d prompt tokens%n", streamed.replica(), streamed.route(), session,
                streamed.promptTokens());
    }

    public static void main(String[] args) {
        Examples.main("ChatClient", () -> run(hearthUrl(args), System.out));
    }
}
