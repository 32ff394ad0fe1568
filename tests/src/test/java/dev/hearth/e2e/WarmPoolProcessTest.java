package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warm pools and autoscaling over real processes: {@code hearth serve} whose local nodes take 4 s to
 * provision, simulator replicas as child processes, the control API and {@code hearth nodepools}.
 */
class WarmPoolProcessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PROVISION_MS = 4_000;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private HearthProcess.Serving serve;
    private URI gw;

    @BeforeEach
    void start() throws Exception {
        serve = HearthProcess.serve("--port", "0", "--replicas", "1", "--time-scale", "1", "--node-provision-delay", "PT4S",
                "--state-dir", Files.createTempDirectory("hearth-warm").toString());
        gw = serve.gateway();
    }

    @AfterEach
    void stop() {
        serve.close();
    }

    private JsonNode call(String method, String path, Object body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(gw.resolve(path)).timeout(Duration.ofSeconds(150))
                .header("Content-Type", "application/json").method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), method + " " + path + ": " + r.body());
        return JSON.readTree(r.body().isEmpty() ? "{}" : r.body());
    }

    private JsonNode until(String path, java.util.function.Predicate<JsonNode> done, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode n;
        do {
            n = call("GET", path, null, 200);
            if (done.test(n)) {
                return n;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        fail(path + " did not get there within " + seconds + " s: " + n);
        return n;
    }

    private List<JsonNode> events(String deployment) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        call("GET", "/api/v1/deployments/" + deployment + "/events?limit=1000", null, 200).path("events").forEach(out::add);
        return out;
    }

    /** Milliseconds from the replica's scheduling to its being ready, from its events. */
    private long scheduledToReady(String deployment, String replica) throws Exception {
        Instant scheduled = null;
        Instant ready = null;
        for (JsonNode e : events(deployment)) {
            if (replica.equals(e.path("replica").asText())) {
                if (e.path("reason").asText().equals("ReplicaScheduled")) {
                    scheduled = Instant.parse(e.path("time").asText());
                } else if (e.path("reason").asText().equals("ReplicaReady")) {
                    ready = Instant.parse(e.path("time").asText());
                }
            }
        }
        assertNotNull(scheduled);
        assertNotNull(ready, replica + " became ready");
        return Duration.between(scheduled, ready).toMillis();
    }

    private String nodeAssigned(String deployment, String replica) throws Exception {
        return events(deployment).stream().filter(e -> replica.equals(e.path("replica").asText())
                && e.path("reason").asText().equals("NodeAssigned")).map(e -> e.path("message").asText()).findFirst()
                .orElseThrow();
    }

    @Test
    void aReplicaTakesAWarmNodeAtOnceWhileAColdOneWaitsForProvisioning() throws Exception {
        call("POST", "/api/v1/nodepools", Map.of("name", "gpu", "warm_target", 1, "max_nodes", 4, "priority", 10), 201);
        until("/api/v1/nodepools/gpu", p -> p.at("/nodes/warm").asInt() == 1, 30);
        String config = "model: {id: acme/warm-1b}\nnodepools: [gpu]\nreplicas: {min: 1, max: 3}\n";
        call("POST", "/api/v1/deployments", Map.of("name", "w", "config", config), 201);
        until("/api/v1/deployments/w", d -> d.path("status").asText().equals("available"), 60);
        assertTrue(nodeAssigned("w", "w-0").startsWith("warm node"), nodeAssigned("w", "w-0"));
        // Two more at once: the pool re-warms one node meanwhile, so at least one waits for a new node.
        call("POST", "/api/v1/deployments/w/scale", Map.of("replicas", 3), 200);
        until("/api/v1/deployments/w", d -> d.path("ready_replicas").asInt() == 3, 60);
        long warm = scheduledToReady("w", "w-0");
        long slowest = Math.max(scheduledToReady("w", "w-1"), scheduledToReady("w", "w-2"));
        assertTrue(warm < PROVISION_MS, "the warm node's replica skipped provisioning: " + warm + " ms");
        assertTrue(slowest >= PROVISION_MS - 500, "a replica without a warm node waited for one: " + slowest + " ms");
        JsonNode pool = call("GET", "/api/v1/nodepools/gpu", null, 200);
        assertEquals(3, pool.at("/nodes/allocated").asInt());
        // The CLI shows the same.
        HearthProcess.Exit listed = HearthProcess.run("nodepools", "--url", gw.toString());
        assertEquals(0, listed.code(), listed.stderr().toString());
        assertTrue(listed.stdout().stream().anyMatch(l -> l.matches("gpu\\s+local\\s+.*\\s3\\s+\\d+\\s+\\d+")),
                String.join("\n", listed.stdout()));
        String metrics = http.send(HttpRequest.newBuilder(gw.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertEquals(3, PrometheusSamples.parse(metrics).value("hearth_nodepool_nodes", "pool", "gpu", "state", "allocated"),
                metrics);
        // Scale down drains: the nodes come back warm up to the target, the rest go.
        call("POST", "/api/v1/deployments/w/scale", Map.of("replicas", 1), 200);
        until("/api/v1/nodepools/gpu", p -> p.at("/nodes/allocated").asInt() == 1 && p.at("/nodes/warm").asInt() == 1, 30);
    }

    @Test
    void aDeploymentScaledToZeroWakesOnItsFirstRequestAndSleepsWhenIdle() throws Exception {
        String config = """
                model: {id: acme/lazy-1b}
                replicas: {min: 0, max: 2}
                autoscaling: {enabled: true, target_in_flight: 2, scale_down_window: PT1S, idle_to_zero: PT3S}
                """;
        JsonNode created = call("POST", "/api/v1/deployments", Map.of("name", "lazy", "config", config), 201);
        assertEquals(0, created.path("replicas").asInt(), "min 0: nothing runs until asked");
        String body = JSON.writeValueAsString(Map.of("model", "lazy", "max_tokens", 4,
                "messages", List.of(Map.of("role", "user", "content", "wake up"))));
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(gw.resolve("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(150)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode(), "the first request waited for a replica: " + first.body());
        assertTrue(events("lazy").stream().anyMatch(e -> e.path("reason").asText().equals("Autoscaled")
                && e.path("message").asText().startsWith("0 -> 1")));
        // Load above the target scales up to max.
        List<CompletableFuture<HttpResponse<String>>> load = new ArrayList<>();
        String slow = JSON.writeValueAsString(Map.of("model", "lazy", "max_tokens", 400, "ignore_eos", true,
                "messages", List.of(Map.of("role", "user", "content", "a long one"))));
        for (int i = 0; i < 6; i++) {
            load.add(http.sendAsync(HttpRequest.newBuilder(gw.resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(slow)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        until("/api/v1/deployments/lazy", d -> d.path("replicas").asInt() == 2, 20);
        for (var f : load) {
            assertEquals(200, f.get(60, TimeUnit.SECONDS).statusCode());
        }
        // Idle: back to zero, the processes gone.
        JsonNode asleep = until("/api/v1/deployments/lazy", d -> d.path("replicas").asInt() == 0
                && d.path("ready_replicas").asInt() == 0 && d.path("replica_statuses").findValues("phase").stream()
                .noneMatch(p -> p.asText().equals("draining")), 60);
        assertEquals("available", asleep.path("status").asText());
        // /metrics counts the autoscaler's decisions as its events tell them, by direction.
        long up = 0;
        long down = 0;
        for (JsonNode e : events("lazy")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+) -> (\\d+)").matcher(e.path("message").asText());
            if (e.path("reason").asText().equals("Autoscaled") && m.find()) {
                boolean rise = Integer.parseInt(m.group(2)) > Integer.parseInt(m.group(1));
                up += rise ? 1 : 0;
                down += rise ? 0 : 1;
            }
        }
        PrometheusSamples metrics = PrometheusSamples.parse(http.send(HttpRequest.newBuilder(gw.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertTrue(up >= 2 && down >= 1, up + " up, " + down + " down");
        assertEquals(up, metrics.value("hearth_autoscaler_decisions_total", "deployment", "lazy", "direction", "up"));
        assertEquals(down, metrics.value("hearth_autoscaler_decisions_total", "deployment", "lazy", "direction", "down"));
        assertEquals(0, metrics.value("hearth_deployment_replicas_desired", "deployment", "lazy"));
    }
}
