package dev.hearth.platform.engines;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Talks to one OpenAI-compatible engine (vLLM, SGLang, or the simulator standing in for them):
 * forwards inference requests with the body streamed back as it arrives, probes /health, scrapes
 * /metrics and reads /v1/models. One HTTP/1.1 client per engine keeps connections pooled.
 */
public final class EngineClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;
    private final Duration probeTimeout;

    public EngineClient(URI base, Duration connectTimeout, Duration probeTimeout) {
        this.base = base;
        this.probeTimeout = probeTimeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build();
    }

    public URI base() {
        return base;
    }

    /**
     * Sends {@code body} to {@code path} with the W3C trace headers given ({@code traceparent},
     * {@code tracestate}); the caller reads (and closes) the streamed response.
     */
    public HttpResponse<InputStream> forward(String path, byte[] body, String requestId, Map<String, String> traceHeaders)
            throws IOException, InterruptedException {
        return forward(path, body, requestId, traceHeaders, null);
    }

    /**
     * The same, failing with {@link java.net.http.HttpTimeoutException} when the response's headers
     * (its first byte) take longer than {@code firstByteTimeout} (null: no limit). The JDK client's
     * request timeout covers the headers only, so a long stream is not cut by it.
     */
    public HttpResponse<InputStream> forward(String path, byte[] body, String requestId, Map<String, String> traceHeaders,
                                             Duration firstByteTimeout) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (firstByteTimeout != null) {
            b.timeout(firstByteTimeout);
        }
        if (requestId != null) {
            b.header("X-Request-Id", requestId);
        }
        traceHeaders.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * Wakes the client's selector. Closing a response stream cancels the exchange, but NIO defers the
     * socket's close until the selector's next select (java.nio.channels.spi.AbstractSelectableChannel),
     * which can sleep for many milliseconds; any new exchange wakes it, so the engine sees its
     * connection end (and cancels) at once.
     */
    public void nudge() {
        http.sendAsync(HttpRequest.newBuilder(base.resolve("/health")).timeout(probeTimeout).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    /** What a /health probe found: 200 ({@code UP}), another answer or a refused connection ({@code DOWN}), nothing in time ({@code SLOW}). */
    public enum Health { UP, DOWN, SLOW }

    /** One /health probe, telling a refused or failing engine from one too busy to answer within the probe timeout. */
    public Health health() {
        for (int attempt = 1; ; attempt++) {
            try {
                return http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(probeTimeout).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200 ? Health.UP : Health.DOWN;
            } catch (java.net.http.HttpTimeoutException e) { // no answer, or no connection, in time: busy, or partitioned
                return Health.SLOW;
            } catch (IOException e) {
                // A pooled connection the engine closed (after a probe timed out on it, say) fails once
                // without the engine being down: only a second failure, on a fresh connection, counts.
                if (attempt >= 2) {
                    return Health.DOWN;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.DOWN;
            }
        }
    }

    /** Whether /health answers 200 within the probe timeout. */
    public boolean healthy() {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/health")).timeout(probeTimeout).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public EngineMetrics metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(probeTimeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(base + "/metrics answered " + r.statusCode());
        }
        return EngineMetrics.parse(r.body());
    }

    /** The first model the engine serves: its id and max_model_len (0 when not given). */
    public ServedModel model() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/models")).timeout(probeTimeout).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(base + "/v1/models answered " + r.statusCode());
        }
        JsonNode card = JSON.readTree(r.body()).path("data").path(0);
        if (!card.hasNonNull("id")) {
            throw new IOException(base + "/v1/models lists no model");
        }
        return new ServedModel(card.get("id").asText(), card.path("max_model_len").asInt(0),
                card.path("owned_by").asText(""));
    }

    /** A model as an engine serves it. */
    public record ServedModel(String id, int maxModelLen, String ownedBy) {}
}
