package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code hearth status} and {@code hearth top} against a running {@code hearth serve} with traffic: what it shows is what the APIs say. */
class StatusProcessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void showsTheDeploymentsReplicasAndTrafficTheApisReport() throws Exception {
        try (HearthProcess.Serving serve = HearthProcess.serve("--replicas", "2", "--port", "0", "--time-scale", "10",
                "--state-dir", Files.createTempDirectory("hearth-status").toString())) {
            String url = serve.gateway().toString();
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(serve.gateway().resolve("/v1/chat/completions"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"messages\":[{\"role\":\"user\",\"content\":\"status " + i + "\"}],\"max_tokens\":2}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }

            HearthProcess.Exit json = HearthProcess.run("status", "--url", url, "--output", "json");
            assertEquals(0, json.code(), String.join("\n", json.stderr()));
            JsonNode shown = JSON.readTree(String.join("\n", json.stdout()));
            assertEquals(1, shown.path("deployments").size(), shown.toString());
            JsonNode d = shown.path("deployments").get(0);
            JsonNode api = JSON.readTree(http.send(HttpRequest.newBuilder(serve.gateway().resolve("/api/v1/deployments/"
                    + d.path("name").asText())).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(api.path("status").asText(), d.path("status").asText());
            assertEquals(2, d.path("ready_replicas").asInt());
            assertEquals(2, d.path("replicas").asInt());
            assertEquals("Qwen/Qwen3-0.6B", d.path("model").asText());
            assertEquals(5, d.path("metrics").path("requests").asLong(), "the five requests sent");
            Set<String> ready = new HashSet<>();
            api.path("replica_statuses").forEach(r -> ready.add(r.path("id").asText()));
            Set<String> listed = new HashSet<>();
            d.path("metrics").path("replicas").forEach(r -> {
                listed.add(r.path("id").asText());
                assertTrue(r.path("healthy").asBoolean(), r.toString());
            });
            assertEquals(ready, listed);

            HearthProcess.Exit table = HearthProcess.run("status", "--url", url);
            assertEquals(0, table.code(), String.join("\n", table.stderr()));
            String text = String.join("\n", table.stdout());
            assertTrue(text.lines().anyMatch(l -> l.startsWith(d.path("name").asText() + " ") && l.contains("2/2")
                    && l.contains(" 5 ")), text);
            for (String id : ready) {
                assertTrue(text.lines().anyMatch(l -> l.startsWith(id + " ") && l.contains(" yes ")), text);
            }

            CliProcessTest.assertOneLineError(HearthProcess.run("status", "--url", url, "--output", "yaml"), 1,
                    "--output must be table or json, was 'yaml'");

            // hearth top: frames of the same tables, plus the latest decisions (the API's) and the pools.
            HearthProcess.Exit top = HearthProcess.run("top", "--url", url, "--iterations", "2", "--interval", "0.2",
                    "--decisions", "3");
            assertEquals(0, top.code(), String.join("\n", top.stderr()));
            String frames = String.join("\n", top.stdout());
            assertEquals(2, frames.lines().filter(l -> l.startsWith("hearth top - ")).count(), frames);
            JsonNode latest = JSON.readTree(http.send(HttpRequest.newBuilder(serve.gateway().resolve("/api/v1/deployments/"
                    + d.path("name").asText() + "/decisions?limit=1")).build(), HttpResponse.BodyHandlers.ofString()).body())
                    .path("decisions").get(0);
            List<String> decisionLine = List.of(java.time.Instant.parse(latest.path("time").asText())
                    .atZone(java.time.ZoneId.systemDefault()).format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")),
                    d.path("name").asText(), latest.path("replica").asText(), latest.path("reason").asText());
            assertTrue(frames.lines().anyMatch(l -> List.of(l.split("\\s+")).subList(0, Math.min(4, l.split("\\s+").length))
                    .equals(decisionLine)), decisionLine + " in\n" + frames);
            for (String id : ready) {
                assertTrue(frames.lines().anyMatch(l -> l.startsWith(id + " ") && l.contains("[")), "a load bar for " + id);
            }
            assertTrue(frames.lines().anyMatch(l -> l.startsWith("local ") && l.contains("allocated 2")), frames);
            CliProcessTest.assertOneLineError(HearthProcess.run("top", "--url", url, "--interval", "0"), 1,
                    "--interval must be between 0.1 and 3600 seconds, was 0.0");
        }
        CliProcessTest.assertOneLineError(HearthProcess.run("status", "--url", "http://127.0.0.1:9"), 1,
                "cannot reach Hearth at http://127.0.0.1:9");
        CliProcessTest.assertOneLineError(HearthProcess.run("top", "--url", "http://127.0.0.1:9", "--iterations", "1"), 1,
                "cannot reach Hearth at http://127.0.0.1:9");
    }
}
