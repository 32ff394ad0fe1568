package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.examples.PrefixCacheDemo;
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
    private final HttpClient http = HttpClient.newHttpClient();

    private double metric(URI base, String series) throws Exception {
        String text = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + "\\{[^}]*\\} (\\S+)$").matcher(text);
        assertTrue(m.find(), series);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void secondRequestSharingASystemPromptHitsTheCacheAndStartsFaster() throws Exception {
        long t0 = System.nanoTime();
        try (SimProcess sim = SimProcess.start("--profile", "h100-llama3-8b")) {
            System.out.printf("hearth sim was ready %.2f s after launch%n", (System.nanoTime() - t0) / 1e9);
            URI base = sim.url();
            PrefixCacheDemo client = new PrefixCacheDemo(base); // the example's client, streaming with usage
            String system = "the river runs over the stone field and the light ".repeat(200);
            PrefixCacheDemo.Turn first = client.ask(system, "What is a cache?");
            double ttftFirst = metric(base, "vllm:time_to_first_token_seconds_sum");
            PrefixCacheDemo.Turn second = client.ask(system, "Why is the queue slow?");
            double ttftSecond = metric(base, "vllm:time_to_first_token_seconds_sum") - ttftFirst;
            assertTrue(first.promptTokens() >= 2_000);
            assertEquals(0, first.cachedTokens());
            int cached = second.cachedTokens();
            assertTrue(cached >= 1_984, "cached " + cached);
            assertTrue(ttftFirst >= 3 * ttftSecond, "simulated TTFT " + ttftFirst + " s vs " + ttftSecond + " s");
            assertEquals(cached, metric(base, "vllm:prefix_cache_hits_total"));
            assertEquals(2.0, metric(base, "vllm:time_to_first_token_seconds_count"));
            assertEquals(first.promptTokens() + second.promptTokens(), metric(base, "vllm:prefix_cache_queries_total"));
        }
    }
}
