package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The control plane outside Kubernetes with two gateways and one Redis, all real processes: the
 * first runs the control plane (its simulated replicas), the second follows it through the state
 * mirrored in Redis, routes to those replicas and relays control calls; when the first stops, the
 * second takes the control plane over, adopting the replicas still running, without a failed request.
 */
class ControlPlaneFailoverProcessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> send(URI base, String method, String path, String body) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode deployment(URI gateway, String name) throws Exception {
        HttpResponse<String> r = send(gateway, "GET", "/api/v1/deployments/" + name, null);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    /** Ready replicas as the gateway's control API says, or -1 while it cannot say (taking over: a 503). */
    private int readyReplicas(URI gateway, String name) throws Exception {
        HttpResponse<String> r = send(gateway, "GET", "/api/v1/deployments/" + name, null);
        if (r.statusCode() == 503) {
            return -1;
        }
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body()).get("ready_replicas").asInt();
    }

    private Set<Long> pids(URI gateway, String... names) throws Exception {
        Set<Long> out = new HashSet<>();
        for (String n : names) {
            deployment(gateway, n).get("replica_statuses").forEach(r -> out.add(r.get("pid").asLong()));
        }
        return out;
    }

    private String metric(URI gateway, String name) throws Exception {
        String text = send(gateway, "GET", "/metrics", null).body();
        double v = PrometheusSamples.parse(text).value(name);
        return Double.isNaN(v) ? "absent" : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!done.call()) {
            assertTrue(System.currentTimeMillis() < deadline, what);
            Thread.sleep(200);
        }
    }

    @Test
    void aFollowerRoutesToTheControlPlanesReplicasRelaysChangesAndTakesOverWhenItStops() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process redis = ScaleOutProcessTest.startRedis(port);
        String url = "redis://127.0.0.1:" + port;
        Set<Long> pids = new HashSet<>();
        String stateOfA = Files.createTempDirectory("hearth-a").toString();
        String stateOfB = Files.createTempDirectory("hearth-b").toString();
        HearthProcess.Serving a = HearthProcess.serve("--port", "0", "--redis", url, "--replicas", "2",
                "--time-scale", "10", "--state-dir", stateOfA);
        HearthProcess.Serving b = null;
        try {
            b = HearthProcess.serve("--port", "0", "--redis", url, "--state-dir", stateOfB);
            URI ga = a.gateway();
            URI gb = b.gateway();
            assertTrue(b.printed().contains("Following the control plane at " + ga), b.printed());
            assertEquals("1", metric(ga, "hearth_control_plane_leader"));
            assertEquals("0", metric(gb, "hearth_control_plane_leader"));

            // B routes to A's replicas, and B's control API is A's.
            HttpResponse<String> list = send(gb, "GET", "/api/v1/deployments", null);
            assertEquals(200, list.statusCode(), list.body());
            JsonNode d = JSON.readTree(list.body()).get("deployments").get(0);
            String name = d.get("name").asText();
            Set<String> replicas = new HashSet<>();
            d.get("replica_statuses").forEach(r -> replicas.add(r.get("id").asText()));
            assertEquals(2, replicas.size(), d.toString());
            HttpResponse<String> routed = send(gb, "POST", "/v1/chat/completions",
                    "{\"messages\":[{\"role\":\"user\",\"content\":\"hello through the follower\"}],\"max_tokens\":4}");
            assertEquals(200, routed.statusCode(), routed.body());
            assertTrue(replicas.contains(routed.headers().firstValue("x-hearth-replica").orElseThrow()));

            String config = "model:\n  id: Qwen/Qwen3-0.6B\nengine:\n  name: vllm\n  launcher: simulator\nreplicas:\n  min: 1\n  max: 1\n";
            HttpResponse<String> created = send(gb, "POST", "/api/v1/deployments",
                    JSON.writeValueAsString(java.util.Map.of("name", "second", "config", config)));
            assertEquals(201, created.statusCode(), created.body());
            HttpResponse<String> bad = send(gb, "POST", "/api/v1/deployments/" + name + "/scale", "{\"replicas\":\"x\"}");
            assertEquals(400, bad.statusCode(), "A's validation, relayed: " + bad.body());
            assertTrue(bad.body().contains("whole number"), bad.body());
            await("B never routed to the new deployment's replica", () ->
                    JSON.readTree(send(gb, "GET", "/health", null).body()).get("healthy_replicas").asInt() == 3);
            HttpResponse<String> toSecond = send(gb, "POST", "/v1/chat/completions",
                    "{\"model\":\"second\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":4}");
            assertEquals(200, toSecond.statusCode(), toSecond.body());
            assertTrue(toSecond.headers().firstValue("x-hearth-replica").orElseThrow().startsWith("second"),
                    toSecond.headers().map().toString());
            pids.addAll(pids(gb, name, "second"));
            assertEquals(3, pids.size());

            // Traffic through B while A stops: B takes the control plane over and adopts the running replicas.
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger sent = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Thread load = Thread.ofVirtual().start(() -> {
                for (int i = 0; running.get(); i++) {
                    try {
                        HttpResponse<String> r = send(gb, "POST", "/v1/chat/completions",
                                "{\"model\":\"" + name + "\",\"messages\":[{\"role\":\"user\",\"content\":\"during failover " + i
                                        + "\"}],\"max_tokens\":4}");
                        sent.incrementAndGet();
                        if (r.statusCode() != 200) {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            a.close();
            await("B never took the control plane over", () -> metric(gb, "hearth_control_plane_leader").equals("1"));
            await("B's control plane never adopted the three replicas", () ->
                    readyReplicas(gb, name) == 2 && readyReplicas(gb, "second") == 1);
            Thread.sleep(500);
            running.set(false);
            load.join(30_000);
            assertTrue(sent.get() > 5, "traffic flowed: " + sent.get());
            assertEquals(List.of(), List.copyOf(failures));
            assertEquals(pids, pids(gb, name, "second"), "the same processes, adopted, not replaced");
            HttpResponse<String> deleted = send(gb, "DELETE", "/api/v1/deployments/second", null);
            assertEquals(202, deleted.statusCode(), "B now runs the control API itself: " + deleted.body());
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
            for (long pid : pids) { // several gateways leave replicas running for the next control plane
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            // Also those a failure left before their pids were read: each control plane saved them in its state.
            for (String state : List.of(stateOfA, stateOfB)) {
                try (var files = Files.walk(java.nio.file.Path.of(state))) {
                    for (var f : files.filter(f -> f.getFileName().toString().equals("deployment.json")).toList()) {
                        JSON.readTree(f.toFile()).path("replica_statuses").forEach(r ->
                                ProcessHandle.of(r.path("pid").asLong()).ifPresent(ProcessHandle::destroyForcibly));
                    }
                }
            }
            redis.destroyForcibly();
        }
    }
}
