package dev.hearth.enginesim.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.kv.KvEventPublisher;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A simulator on a free loopback port and an HTTP client for it. */
final class SimFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL = "Qwen/Qwen3-0.6B";

    final SimServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SimFixture(Flavor flavor, EngineLimits limits, double timeScale, KvEventPublisher.Config events, String reasoning) {
        server = SimServer.start(new SimSettings("127.0.0.1", 0, flavor, MODEL, Profiles.H100_QWEN3_0_6B, limits,
                timeScale, events, reasoning));
    }

    static SimFixture vllm() {
        return new SimFixture(Flavor.VLLM, new EngineLimits(16, 4_000, 8_192, 64, 8_192), 50, null, null);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static String chat(String system, String user, int maxTokens) throws IOException {
        var root = JSON.createObjectNode();
        root.put("model", MODEL);
        var messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        root.put("max_tokens", maxTokens);
        return JSON.writeValueAsString(root);
    }

    /** The value of one series in the Prometheus text, e.g. {@code vllm:prefix_cache_hits_total}. */
    double metric(String name) throws IOException, InterruptedException {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(get("/metrics").body());
        if (!m.find()) {
            throw new AssertionError("no metric " + name);
        }
        return Double.parseDouble(m.group(2));
    }

    /** A system prompt of about {@code words} one-token words. */
    static String words(int words) {
        StringBuilder s = new StringBuilder();
        String[] pool = {"the", "river", "runs", "over", "stone", "field", "light", "cloud"};
        for (int i = 0; i < words; i++) {
            s.append(i == 0 ? "" : " ").append(pool[i % pool.length]);
        }
        return s.toString();
    }

    @Override
    public void close() {
        server.close();
    }
}
