package dev.hearth.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The control API as its clients (the CLI, the MCP server) call it: the running Hearth at {@code --url}, {@code $HEARTH_URL} or
 * http://127.0.0.1:8080, with {@code $HEARTH_API_KEY} as bearer key; an error answer becomes an
 * exception carrying the API's own message.
 */
public final class ControlClient {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final java.util.function.Supplier<URI> base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ControlClient(URI url, String apiKey) {
        URI fixed = url != null ? url : URI.create(System.getenv().getOrDefault("HEARTH_URL", "http://127.0.0.1:8080"));
        this.base = () -> fixed;
        this.apiKey = apiKey != null ? apiKey : System.getenv("HEARTH_API_KEY");
    }

    /** A client of a Hearth whose address is known only once it listens (the gateway calling itself). */
    public ControlClient(java.util.function.Supplier<URI> base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** The same Hearth, called with another bearer key (the one an MCP caller presented). */
    public ControlClient withKey(String key) {
        return new ControlClient(base, key);
    }

    public URI base() {
        return base.get();
    }

    /** Sends the call; the answer's JSON, or an exception with the API's message. */
    public JsonNode call(String method, String path, Object body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        return answer(r);
    }

    public HttpResponse<String> send(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base().resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach Hearth at " + base() + " (" + e.getMessage()
                    + "); start it with `hearth serve`, or give --url");
        }
    }

    public static JsonNode answer(HttpResponse<String> r) throws IOException {
        JsonNode body = JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
        if (r.statusCode() >= 400) {
            throw new IllegalStateException(body.at("/error/message").asText("HTTP " + r.statusCode()));
        }
        return body;
    }
}
