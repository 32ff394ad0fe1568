package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The control plane's "done when", end to end over real processes: {@code hearth serve} with its
 * REST API, simulator replicas as child processes. Create, scale 1 to 3 to 1, a rolling update under
 * traffic, delete with requests in flight that all complete, restart reuse, and bad input.
 */
class DeploymentLifecycleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONFIG = """
            model:
              id: acme/lifecycle-1b
            engine:
              name: vllm
            replicas:
              min: 1
              max: 3
            """;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> started = new ArrayList<>();
    private final Set<Long> replicaPids = new HashSet<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : started) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
        for (long pid : replicaPids) { // replicas a killed Hearth left behind
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Starts {@code hearth serve} on a state directory; returns the gateway's URL once it says so. */
    private URI serve(Path state, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--replicas", "1", "--time-scale", "1",
                "--state-dir", state.toString()));
        args.addAll(List.of(more));
        HearthProcess.Serving s = HearthProcess.serve(args.toArray(String[]::new));
        started.add(s.process());
        return s.gateway();
    }

    private HttpResponse<String> call(URI gw, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> r, int status) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String create(String name, String yaml) throws Exception {
        return JSON.writeValueAsString(Map.of("name", name, "config", yaml));
    }

    /** Polls the deployment until {@code ready} replicas of the current generation are ready and nothing else is live. */
    private JsonNode awaitReady(URI gw, String name, int ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        JsonNode d = null;
        while (System.nanoTime() < deadline) {
            d = ok(call(gw, "GET", "/api/v1/deployments/" + name, null), 200);
            if (d.path("status").asText().equals("available") && live(d).size() == ready && d.path("ready_replicas").asInt() == ready
                    && replicas(d, "draining").isEmpty()) {
                live(d).forEach(r -> replicaPids.add(r.path("pid").asLong()));
                return d;
            }
            Thread.sleep(100);
        }
        fail("not " + ready + " ready replicas within 90 s: " + d);
        return d;
    }

    private static List<JsonNode> replicas(JsonNode d, String phase) {
        List<JsonNode> out = new ArrayList<>();
        d.path("replica_statuses").forEach(r -> {
            if (r.path("phase").asText().equals(phase)) {
                out.add(r);
            }
        });
        return out;
    }

    private static List<JsonNode> live(JsonNode d) {
        List<JsonNode> out = new ArrayList<>(replicas(d, "ready"));
        out.addAll(replicas(d, "starting"));
        out.addAll(replicas(d, "warming"));
        return out;
    }

    private static Set<Long> pids(JsonNode d) {
        return live(d).stream().map(r -> r.path("pid").asLong()).collect(Collectors.toSet());
    }

    private HttpResponse<String> chat(URI gw, String model, String text, int maxTokens, boolean stream) throws Exception {
        String body = JSON.writeValueAsString(Map.of("model", model, "max_tokens", maxTokens, "stream", stream,
                "ignore_eos", true, "messages", List.of(Map.of("role", "user", "content", text))));
        return http.send(HttpRequest.newBuilder(gw.resolve("/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean gone(long pid) throws Exception {
        var h = ProcessHandle.of(pid);
        if (h.isEmpty()) {
            return true;
        }
        try {
            h.get().onExit().get(15, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    @Test
    void createScaleRollDeleteWithEveryRequestAnswered() throws Exception {
        URI gw = serve(Files.createTempDirectory("hearth-life"));
        JsonNode created = ok(call(gw, "POST", "/api/v1/deployments", create("life", CONFIG)), 201);
        assertEquals(1, created.path("replicas").asInt());
        assertEquals(1, created.path("generation").asInt());
        JsonNode one = awaitReady(gw, "life", 1);
        HttpResponse<String> r = chat(gw, "acme/lifecycle-1b", "hello", 4, false);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("x-hearth-replica").orElseThrow().startsWith("life-"));

        // Scale 1 -> 3: two new processes; 3 -> 1: two drained and gone, the first kept.
        ok(call(gw, "POST", "/api/v1/deployments/life/scale", "{\"replicas\": 3}"), 200);
        JsonNode three = awaitReady(gw, "life", 3);
        assertEquals(3, pids(three).size());
        assertTrue(pids(three).containsAll(pids(one)), "scaling up keeps the replica that was there");
        ok(call(gw, "POST", "/api/v1/deployments/life/scale", "{\"replicas\": 1}"), 200);
        JsonNode back = awaitReady(gw, "life", 1);
        assertEquals(pids(one), pids(back), "scaling down removes the newest replicas");
        for (long pid : pids(three)) {
            if (!pids(back).contains(pid)) {
                assertTrue(gone(pid), "scaled-away replica " + pid + " exited");
            }
        }

        // Rolling update to 2 replicas with other engine flags, under steady traffic: no request fails.
        ok(call(gw, "POST", "/api/v1/deployments/life/scale", "{\"replicas\": 2}"), 200);
        JsonNode before = awaitReady(gw, "life", 2);
        AtomicBoolean traffic = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            int i = 0;
            while (traffic.get()) {
                try {
                    HttpResponse<String> x = chat(gw, "life", "steady request " + i++, 8, i % 2 == 0);
                    if (x.statusCode() == 200 && !x.body().contains("\"error\"")) {
                        answered.incrementAndGet();
                    } else {
                        failures.add(x.statusCode() + " " + x.body());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        });
        String updated = CONFIG.replace("  name: vllm\n", "  name: vllm\n  args: [\"--max-num-seqs\", \"128\"]\n");
        JsonNode upd = ok(call(gw, "PUT", "/api/v1/deployments/life",
                JSON.writeValueAsString(Map.of("config", updated))), 200);
        assertEquals(2, upd.path("generation").asInt());
        JsonNode after = awaitReady(gw, "life", 2);
        traffic.set(false);
        load.get(60, TimeUnit.SECONDS);
        assertEquals(0, failures.size(), "requests failed during the rolling update, the first: "
                + failures.subList(0, Math.min(3, failures.size())));
        assertTrue(answered.get() >= 10, "traffic flowed during the update: " + answered.get());
        live(after).forEach(x -> assertEquals(2, x.path("generation").asInt()));
        for (long pid : pids(before)) {
            assertFalse(pids(after).contains(pid));
            assertTrue(gone(pid), "old replica " + pid + " exited after draining");
        }
        List<String> reasons = new ArrayList<>();
        ok(call(gw, "GET", "/api/v1/deployments/life/events?limit=1000", null), 200).path("events")
                .forEach(e -> reasons.add(e.path("reason").asText()));
        // New replicas were ready before old ones drained: the first drain follows a ready of generation 2.
        int firstDrainAfterUpdate = reasons.subList(reasons.lastIndexOf("Updated"), reasons.size()).indexOf("ReplicaDraining");
        int firstReadyAfterUpdate = reasons.subList(reasons.lastIndexOf("Updated"), reasons.size()).indexOf("ReplicaReady");
        assertTrue(firstReadyAfterUpdate >= 0 && firstReadyAfterUpdate < firstDrainAfterUpdate, reasons.toString());

        // Delete with long streams in flight: every one completes with all its tokens.
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            inFlight.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return chat(gw, "life", "a long answer please " + n, 300, true);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }));
        }
        Thread.sleep(300); // they are streaming now
        JsonNode deleting = ok(call(gw, "DELETE", "/api/v1/deployments/life", null), 202);
        assertEquals("deleting", deleting.path("status").asText());
        for (var f : inFlight) {
            HttpResponse<String> s = f.get(60, TimeUnit.SECONDS);
            assertEquals(200, s.statusCode());
            assertTrue(s.body().contains("\"finish_reason\":\"length\""), "stream ran to its end: " + s.body());
            assertFalse(s.body().contains("\"error\""), s.body());
            assertTrue(s.body().trim().endsWith("data: [DONE]"));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (call(gw, "GET", "/api/v1/deployments/life", null).statusCode() != 404) {
            assertTrue(System.nanoTime() < deadline, "the deployment went away after draining");
            Thread.sleep(100);
        }
        for (long pid : pids(after)) {
            assertTrue(gone(pid), "deleted replica " + pid + " exited");
        }
        assertEquals(404, chat(gw, "life", "anyone?", 2, false).statusCode());
    }

    @Test
    void aRestartedHearthAdoptsTheReplicasStillRunning() throws Exception {
        Path state = Files.createTempDirectory("hearth-restart");
        URI gw = serve(state);
        ok(call(gw, "POST", "/api/v1/deployments", create("kept", CONFIG.replace("min: 1", "min: 2"))), 201);
        Set<Long> first = pids(awaitReady(gw, "kept", 2));
        Set<Long> defaults = pids(awaitReady(gw, "qwen3-0-6b", 1));
        Process hearth = started.get(0);
        hearth.destroyForcibly(); // kill -9: no chance to stop its replicas
        hearth.waitFor(10, TimeUnit.SECONDS);
        for (long pid : first) {
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "replica " + pid + " survived");
        }
        URI again = serve(state);
        JsonNode kept = awaitReady(again, "kept", 2);
        assertEquals(first, pids(kept), "the same processes serve: none started anew");
        assertEquals(defaults, pids(awaitReady(again, "qwen3-0-6b", 1)));
        List<String> reasons = new ArrayList<>();
        ok(call(again, "GET", "/api/v1/deployments/kept/events", null), 200).path("events")
                .forEach(e -> reasons.add(e.path("reason").asText()));
        assertEquals(2, reasons.stream().filter("ReplicaAdopted"::equals).count(), reasons.toString());
        assertEquals(2, reasons.stream().filter("ReplicaScheduled"::equals).count(), "only the first start scheduled");
        assertEquals(200, chat(again, "kept", "still there?", 4, false).statusCode());

        // An adopted replica that dies is replaced.
        long victim = first.iterator().next();
        ProcessHandle.of(victim).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode d;
        do {
            Thread.sleep(200);
            d = ok(call(again, "GET", "/api/v1/deployments/kept", null), 200);
            assertTrue(System.nanoTime() < deadline, "a replacement came up: " + d);
        } while (replicas(d, "ready").size() < 2 || pids(d).contains(victim));
        assertEquals(1, replicas(d, "failed").size());
        live(d).forEach(r -> replicaPids.add(r.path("pid").asLong()));

        // A graceful stop stops the replicas too.
        Process second = started.get(1);
        second.destroy();
        assertTrue(second.waitFor(30, TimeUnit.SECONDS));
        for (long pid : pids(d)) {
            assertTrue(gone(pid), "replica " + pid + " stopped with Hearth");
        }
    }

    @Test
    void badRequestsGetClearErrors() throws Exception {
        URI gw = serve(Files.createTempDirectory("hearth-bad"));
        assertEquals("invalid", ok(call(gw, "POST", "/api/v1/deployments", "{not json"), 400).at("/error/code").asText());
        assertTrue(ok(call(gw, "POST", "/api/v1/deployments", "{\"name\":\"x\",\"config\":\"model: {id: m}\",\"replica\":2}"), 400)
                .at("/error/message").asText().contains("unknown field 'replica'"));
        assertTrue(ok(call(gw, "POST", "/api/v1/deployments", create("Bad_Name", CONFIG)), 400)
                .at("/error/message").asText().contains("is not valid"));
        JsonNode invalid = ok(call(gw, "POST", "/api/v1/deployments",
                create("x", "model:\n  id: m\nreplicas:\n  min: 3\n  max: 1\ngpu:\n  count: lots\n")), 400);
        String problems = invalid.at("/error/problems").toString();
        assertTrue(problems.contains("line 4: replicas.min: is 3, more than replicas.max 1"), problems);
        assertTrue(problems.contains("line 7: gpu.count"), problems);
        assertTrue(ok(call(gw, "POST", "/api/v1/deployments", create("x", "model: {id: m}\nengine: {launcher: kubernetes}\n")),
                422).at("/error/message").asText().contains("not available yet"));
        assertEquals("not_found", ok(call(gw, "GET", "/api/v1/deployments/nope", null), 404).at("/error/code").asText());
        assertEquals(409, call(gw, "POST", "/api/v1/deployments", create("qwen3-0-6b", CONFIG)).statusCode());
        assertTrue(ok(call(gw, "POST", "/api/v1/deployments/qwen3-0-6b/scale", "{\"replicas\": 5}"), 400)
                .at("/error/message").asText().contains("outside replicas.min 1 .. replicas.max 1"));
        assertEquals(400, call(gw, "POST", "/api/v1/deployments/qwen3-0-6b/scale", "{\"replicas\": \"two\"}").statusCode());
        assertEquals(400, call(gw, "GET", "/api/v1/events?limit=-4", null).statusCode());
        JsonNode spec = ok(call(gw, "GET", "/api/v1/openapi.json", null), 200);
        assertTrue(spec.path("paths").has("/api/v1/deployments/{name}/scale"));
        assertEquals(1, ok(call(gw, "GET", "/api/v1/deployments", null), 200).path("deployments").size(),
                "nothing bad was created");
    }

    @Test
    void deployFromASentenceThenFromTheConfigItPrinted() throws Exception {
        URI gw = serve(Files.createTempDirectory("hearth-deploy"));
        String sentence = "Deploy Qwen3-0.6B with vLLM on 2 replicas in us-east called demo";
        HearthProcess.Exit dry = HearthProcess.run("deploy", sentence, "--dry-run", "--url", gw.toString());
        assertEquals(0, dry.code(), String.join("\n", dry.stderr()));
        String out = String.join("\n", dry.stdout());
        assertTrue(out.contains("replicas   2"), out);
        assertTrue(out.contains("nodepool   azure-eastus-standard-nc4as-t4-v3"), out);
        String config = out.substring(out.indexOf("--- config.yaml ---\n") + 20, out.lastIndexOf("\n---"));
        assertEquals(404, call(gw, "GET", "/api/v1/deployments/demo", null).statusCode(), "a dry run applies nothing");

        // Without a terminal and without --yes it refuses rather than wait for an answer.
        HearthProcess.Exit unasked = HearthProcess.run("deploy", sentence, "--url", gw.toString());
        assertEquals(1, unasked.code());
        assertTrue(String.join("\n", unasked.stderr()).contains("add --yes"), unasked.stderr().toString());

        HearthProcess.Exit applied = HearthProcess.run("deploy", sentence, "--yes", "--url", gw.toString());
        assertEquals(0, applied.code(), applied.stdout() + " " + applied.stderr());
        String progress = String.join("\n", applied.stdout());
        assertTrue(progress.matches("(?s).*demo-0 +\\[#+-*\\] (scheduled|loading|warming).*"), progress);
        assertTrue(progress.contains("demo is available: 2 replica(s) ready"), progress);
        assertTrue(progress.contains("Created nodepool azure-eastus-standard-nc4as-t4-v3"), progress);
        assertEquals("Standard_NC4as_T4_v3", call(gw, "GET", "/api/v1/nodepools/azure-eastus-standard-nc4as-t4-v3", null)
                .body().contains("Standard_NC4as_T4_v3") ? "Standard_NC4as_T4_v3" : "missing");
        JsonNode demo = awaitReady(gw, "demo", 2);

        // The printed config, saved as a model directory, is accepted unchanged: the same deployment.
        Path dir = Files.createTempDirectory("model-dir");
        Files.writeString(dir.resolve("config.yaml"), config + "\n");
        HearthProcess.Exit again = HearthProcess.run("deploy", dir.toString(), "--name", "demo", "--yes", "--url", gw.toString());
        assertEquals(0, again.code(), again.stdout() + " " + again.stderr());
        JsonNode same = awaitReady(gw, "demo", 2);
        assertEquals(pids(demo), pids(same), "an unchanged config changes nothing");

        HearthProcess.Exit noDir = HearthProcess.run("deploy", "./no-such-dir", "--yes");
        assertEquals(1, noDir.code());
        assertEquals(List.of("hearth deploy: no directory ./no-such-dir; give a model directory or a sentence in quotes"),
                noDir.stderr());
        HearthProcess.Exit down = HearthProcess.run("deploy", dir.toString(), "--yes", "--url", "http://127.0.0.1:9");
        assertEquals(1, down.code());
        assertTrue(String.join("", down.stderr()).contains("cannot reach Hearth at http://127.0.0.1:9"), down.stderr().toString());
    }
}
