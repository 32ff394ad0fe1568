package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * /metrics of a running {@code hearth serve} over two simulated replicas after a known pattern of
 * traffic: every count matches what was sent, the engine-reported prefix-cache hits match the usage
 * the responses carried, and every name follows Prometheus' conventions.
 */
class MetricsProcessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String DEPLOYMENT = "qwen3-0-6b";
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> chat(URI gateway, Map<String, Object> body, String session) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (session != null) {
            b.header("X-Session-Id", session);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> ask(String text, boolean deterministic) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of("model", DEPLOYMENT, "max_tokens", 4,
                "messages", List.of(Map.of("role", "system", "content", "You are a careful assistant who answers briefly "
                        + "and always checks the facts twice before saying anything at all."), Map.of("role", "user", "content", text))));
        if (deterministic) {
            body.put("temperature", 0);
        }
        return body;
    }

    private PrometheusSamples metrics(URI gateway) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
        return PrometheusSamples.parse(r.body());
    }

    @Test
    void countsMatchAKnownTrafficPattern() throws Exception {
        try (HearthProcess.Serving serve = HearthProcess.serve("--replicas", "2", "--port", "0", "--time-scale", "10",
                "--state-dir", Files.createTempDirectory("hearth-metrics").toString())) {
            URI gw = serve.gateway();
            long promptTokens = 0;
            long cachedTokens = 0;
            // 3 cacheable questions, each asked twice: 3 misses answered by engines, then 3 prediction-cache hits.
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = chat(gw, ask("question number " + i, true), null);
                    assertEquals(200, r.statusCode(), r.body());
                    assertEquals(round == 0 ? "miss" : "hit", r.headers().firstValue("x-hearth-cache").orElse(""));
                    if (round == 0) {
                        JsonNode usage = JSON.readTree(r.body()).path("usage");
                        promptTokens += usage.path("prompt_tokens").asLong();
                        cachedTokens += usage.at("/prompt_tokens_details/cached_tokens").asLong(0);
                    }
                }
            }
            // A session of two turns: the second stays on the first's replica.
            for (int turn = 0; turn < 2; turn++) {
                HttpResponse<String> r = chat(gw, ask("session turn " + turn, false), "s-1");
                assertEquals(200, r.statusCode(), r.body());
                if (turn == 1) {
                    assertEquals("session", r.headers().firstValue("x-hearth-route").orElse(""));
                }
                JsonNode usage = JSON.readTree(r.body()).path("usage");
                promptTokens += usage.path("prompt_tokens").asLong();
                cachedTokens += usage.at("/prompt_tokens_details/cached_tokens").asLong(0);
            }
            // A stream with usage in its last chunk, and one without: only the first is compared.
            Map<String, Object> streamed = ask("stream it", false);
            streamed.put("stream", true);
            streamed.put("stream_options", Map.of("include_usage", true));
            HttpResponse<String> s = chat(gw, streamed, null);
            assertEquals(200, s.statusCode(), s.body());
            for (String line : s.body().split("\n")) {
                if (line.startsWith("data: {") && line.contains("\"usage\":{")) {
                    JsonNode usage = JSON.readTree(line.substring(6)).path("usage");
                    promptTokens += usage.path("prompt_tokens").asLong();
                    cachedTokens += usage.at("/prompt_tokens_details/cached_tokens").asLong(0);
                }
            }
            streamed.remove("stream_options");
            assertEquals(200, chat(gw, streamed, null).statusCode());
            // Refused before routing: not a deployment's request.
            assertEquals(404, chat(gw, Map.of("model", "no-such-model", "messages", List.of(Map.of("role", "user",
                    "content", "x"))), null).statusCode());

            PrometheusSamples m = metrics(gw);
            String[] d = {"deployment", DEPLOYMENT};
            assertEquals(10, m.value("hearth_requests_total", d));
            assertEquals(10, m.value("hearth_requests_total", "deployment", DEPLOYMENT, "status", "200"));
            assertEquals(3, m.value("hearth_requests_total", "deployment", DEPLOYMENT, "route", "prediction-cache"));
            assertEquals(1, m.value("hearth_requests_total", "deployment", DEPLOYMENT, "route", "session"));
            assertEquals(10, m.value("hearth_time_to_first_token_seconds_count", d));
            assertEquals(10, m.value("hearth_request_duration_seconds_count", d));
            assertEquals(10, m.value("hearth_request_duration_seconds_bucket", "deployment", DEPLOYMENT, "le", "+Inf"));
            assertTrue(m.value("hearth_time_to_first_token_seconds_sum", d) > 0);
            assertEquals(3, m.value("hearth_prediction_cache_hits_total", d));
            assertEquals(3, m.value("hearth_prediction_cache_misses_total", d));
            assertEquals(3, m.value("hearth_prediction_cache_entries"));
            double stored = m.value("hearth_prediction_cache_stored_bytes_total", d);
            assertTrue(stored > 0);
            assertEquals(stored, m.value("hearth_prediction_cache_size_bytes"), "nothing evicted: held = stored");
            // The engines' own account of prefix-cache hits, next to the router's estimate over the same requests.
            assertEquals(promptTokens, m.value("hearth_prefix_cache_prompt_tokens_total", d));
            assertEquals(cachedTokens, m.value("hearth_prefix_cache_hit_tokens_total", "deployment", DEPLOYMENT,
                    "source", "engine"));
            assertTrue(cachedTokens > 0, "the shared system prompt was cached");
            double estimated = m.value("hearth_prefix_cache_hit_tokens_total", "deployment", DEPLOYMENT, "source", "router");
            assertTrue(estimated > 0 && estimated <= promptTokens, "router estimate " + estimated);
            assertEquals(1, m.value("hearth_sessions", d));
            assertEquals(0, m.value("hearth_session_moves_total", d));
            assertEquals(2, m.find("hearth_replica_healthy", d).size());
            assertEquals(2, m.value("hearth_replica_healthy", d));
            assertEquals(0, m.value("hearth_replica_in_flight", d), "nothing in flight once all answered");
            assertEquals(2, m.value("hearth_nodepool_nodes", "pool", "local", "state", "allocated"));
            assertEquals(2, m.value("hearth_deployment_replicas_desired", d));
            assertEquals(2, m.value("hearth_deployment_replicas_ready", d));
            assertEquals(0, m.value("hearth_autoscaler_decisions_total", d));

            // Prometheus' conventions: hearth_ names in snake case, counters end in _total, latencies are
            // histograms in seconds.
            m.types().forEach((name, type) -> {
                if (name.startsWith("hearth_")) {
                    assertTrue(name.matches("hearth_[a-z0-9_]+"), name);
                    assertEquals(type.equals("counter"), name.endsWith("_total"), name + " is a " + type);
                    assertFalse(name.contains("millis") || name.contains("_ms"), name + ": base units only");
                }
            });
            // The observability skill lists every family served, and serves nothing it does not list
            // (the ones only a gateway sharing state through Redis has are checked by ScaleOutProcessTest).
            dev.hearth.skills.SkillFile table = dev.hearth.skills.SkillSet.bundled().get("hearth-observability").files()
                    .stream().filter(f -> f.path().equals("references/metrics.md")).findFirst().orElseThrow();
            java.util.Set<String> listed = new java.util.TreeSet<>();
            java.util.regex.Matcher names = java.util.regex.Pattern.compile("(?m)^\\| `(hearth_[a-z0-9_]+)` \\|")
                    .matcher(new String(table.bytes(), java.nio.charset.StandardCharsets.UTF_8));
            while (names.find()) {
                listed.add(names.group(1));
            }
            java.util.Set<String> served = new java.util.TreeSet<>(m.types().keySet());
            served.removeIf(n -> !n.startsWith("hearth_"));
            assertTrue(listed.containsAll(served), "not in the skill: " + served.stream().filter(n -> !listed.contains(n)).toList());
            java.util.Set<String> absent = new java.util.TreeSet<>(listed);
            absent.removeAll(served);
            assertEquals(java.util.Set.of("hearth_redis_available", "hearth_redis_failures_total", "hearth_sessions_unshared",
                    "hearth_shared_decisions_published_total", "hearth_shared_decisions_received_total",
                    "hearth_shared_decisions_dropped_total", "hearth_control_plane_leader"), absent,
                    "listed in the skill but not served without --redis");
            assertEquals("histogram", m.types().get("hearth_time_to_first_token_seconds"));
            assertEquals("histogram", m.types().get("hearth_request_duration_seconds"));
        }
    }
}
