package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.platform.replicas.ReplicaLauncher;
import dev.hearth.platform.replicas.ReplicaProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The foundation's "done when", against {@code hearth sim} running as its own process: two chat
 * requests sharing a 2,000-token system prompt; the second is served from the prefix cache, its
 * simulated time to first token at least 3x shorter, and /metrics counts the hit.
 */
class SimProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode chat(URI base, String system, String user) throws Exception {
        var body = JSON.createObjectNode();
        var messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", user);
        body.put("max_tokens", 16);
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        String[] events = r.body().split("\n\n");
        assertEquals("data: [DONE]", events[events.length - 1]);
        return JSON.readTree(events[events.length - 2].substring("data: ".length())).get("usage");
    }

    private double metric(URI base, String series) throws Exception {
        String text = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "\\{[^}]*\\} (\\S+)$").matcher(text);
        assertTrue(m.find(), series);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void secondRequestSharingASystemPromptHitsTheCacheAndStartsFaster() throws Exception {
        Path logs = Files.createTempDirectory("hearth-e2e");
        ReplicaLauncher launcher = new ReplicaLauncher(HearthProcess.command("sim"), logs, Duration.ofSeconds(60));
        long t0 = System.nanoTime();
        List<ReplicaProcess> sims = launcher.start(1, List.of("--profile", "h100-llama3-8b"));
        System.out.printf("hearth sim answered /health %.2f s after launch%n", (System.nanoTime() - t0) / 1e9);
        try (ReplicaProcess sim = sims.get(0)) {
            URI base = sim.url();
            String system = "the river runs over the stone field and the light ".repeat(200);
            JsonNode first = chat(base, system, "What is a cache?");
            double ttftFirst = metric(base, "vllm:time_to_first_token_seconds_sum");
            JsonNode second = chat(base, system, "Why is the queue slow?");
            double ttftSecond = metric(base, "vllm:time_to_first_token_seconds_sum") - ttftFirst;
            assertTrue(first.get("prompt_tokens").asInt() >= 2_000);
            assertTrue(first.get("prompt_tokens_details").isNull());
            int cached = second.at("/prompt_tokens_details/cached_tokens").asInt();
            assertTrue(cached >= 1_984, "cached " + cached);
            assertTrue(ttftFirst >= 3 * ttftSecond, "simulated TTFT " + ttftFirst + " s vs " + ttftSecond + " s");
            assertEquals(cached, metric(base, "vllm:prefix_cache_hits_total"));
            assertEquals(2.0, metric(base, "vllm:time_to_first_token_seconds_count"));
            assertEquals(first.get("prompt_tokens").asInt() + second.get("prompt_tokens").asInt(),
                    metric(base, "vllm:prefix_cache_queries_total"));
        }
    }
}
