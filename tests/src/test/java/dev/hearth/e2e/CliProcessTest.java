package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The CLI as a user meets it: one-line errors with exit codes, and serve's replicas as real processes. */
class CliProcessTest {

    static void assertOneLineError(HearthProcess.Exit exit, int code, String message) {
        assertEquals(code, exit.code(), String.join("\n", exit.stderr()));
        assertFalse(exit.stderr().isEmpty());
        assertTrue(exit.stderr().get(0).contains(message), exit.stderr().toString());
        assertTrue(exit.stderr().stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + exit.stderr());
        assertTrue(exit.stderr().size() <= 2, "one line, and at most a hint: " + exit.stderr());
    }

    @Test
    void badArgumentsGiveOneLineAndAnExitCode() throws Exception {
        assertOneLineError(HearthProcess.run("sim", "--port", "abc"), 2, "hearth sim: Invalid value for option '--port'");
        assertOneLineError(HearthProcess.run("sim", "--bogus"), 2, "Unknown option: '--bogus'");
        assertOneLineError(HearthProcess.run("sim", "--flavor", "tgi"), 1, "--flavor must be vllm or sglang, was 'tgi'");
        assertOneLineError(HearthProcess.run("sim", "--max-model-len", "100000", "--kv-blocks", "10"), 1,
                "does not fit in the KV cache");
        assertOneLineError(HearthProcess.run("sim", "--profile", "a100-gpt5"), 1, "--profile must be one of");
        assertOneLineError(HearthProcess.run("sim", "--time-scale", "0"), 1, "--time-scale must be a positive number");
        assertOneLineError(HearthProcess.run("sim", "--kv-events", "http://x"), 1, "KV events endpoint must look like");
        assertOneLineError(HearthProcess.run("serve", "--replicas", "0"), 1, "--replicas must be between 1 and 64");
        assertOneLineError(HearthProcess.run("serve", "--policy", "best"), 1, "--policy must be one of");
        assertOneLineError(HearthProcess.run("serve", "--upstream-timeout", "PT0S"), 1, "--upstream-timeout must be positive, was PT0S");
        assertOneLineError(HearthProcess.run("serve", "--circuit-breaker-failures", "-1"), 1,
                "--circuit-breaker-failures must be 0 (no breaker) or more, was -1");
        assertOneLineError(HearthProcess.run("serve", "--redis", "localhost:6379"), 1,
                "--redis must look like redis://HOST:PORT, was localhost:6379");
        assertOneLineError(HearthProcess.run("serve", "--redis", "redis://"), 1, "--redis must look like redis://HOST:PORT");
        assertOneLineError(HearthProcess.run("serve", "--engine-url", "http://127.0.0.1:9", "--engine-url",
                "http://127.0.0.1:10", "--engine-kv-events", "tcp://127.0.0.1:5557"), 1,
                "--engine-kv-events must be given once per --engine-url, in the same order (2 URLs, 1 endpoints)");
        assertOneLineError(HearthProcess.run("serve", "--engine-url", "http://127.0.0.1:9", "--engine-kv-events",
                "http://127.0.0.1:5557"), 1, "--engine-kv-events must look like tcp://HOST:PORT");
        assertOneLineError(HearthProcess.run("serve", "--engine-url", "http://127.0.0.1:9", "--port", "0", "--state-dir",
                Files.createTempDirectory("hearth-none").toString()), 1,
                "cannot reach the engine at http://127.0.0.1:9");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertOneLineError(HearthProcess.run("sim", "--port", String.valueOf(taken.getLocalPort())), 1,
                    "cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
        Path modelDir = Files.createTempDirectory("model").resolve("m");
        HearthProcess.Exit init = HearthProcess.run("model", "init", modelDir.toString(), "--engine", "sglang");
        assertEquals(0, init.code(), String.join("\n", init.stderr()));
        assertEquals(List.of("wrote " + modelDir.resolve("config.yaml")), init.stdout());
        Files.writeString(modelDir.resolve("config.yaml"), Files.readString(modelDir.resolve("config.yaml"))
                .replace("replicas:\n  min: 1\n  max: 1", "replicas:\n  min: 3\n  max: 1"));
        assertOneLineError(HearthProcess.run("model", "init", modelDir.toString()), 1,
                "hearth model init: " + modelDir.resolve("config.yaml") + ": line 16: replicas.min: is 3, more than replicas.max 1 (make min at most max)");
        assertOneLineError(HearthProcess.run("model", "init", modelDir.toString(), "--engine", "tgi"), 1,
                "--engine must be vllm or sglang");
        HearthProcess.Exit gpus = HearthProcess.run("gpus", "--min-memory", "80GB", "--cloud", "aws");
        assertEquals(0, gpus.code(), String.join("\n", gpus.stderr()));
        assertTrue(gpus.stdout().get(0).startsWith("CLOUD"), gpus.stdout().toString());
        assertTrue(gpus.stdout().get(1).contains("p4de.24xlarge"), "cheapest 80 GB AWS type first: " + gpus.stdout());
        assertTrue(gpus.stdout().stream().noneMatch(l -> l.contains("g5.xlarge")), "24 GB types filtered out");
        assertOneLineError(HearthProcess.run("gpus", "--min-memory", "lots"), 1, "--min-memory must be a size such as 24GB");
        assertOneLineError(HearthProcess.run("gpus", "--cloud", "oracle"), 1, "--cloud must be aws, gcp, azure or onprem");
        HearthProcess.Exit help = HearthProcess.run("--help");
        assertEquals(0, help.code());
        assertTrue(String.join("\n", help.stdout()).contains("serve"));
    }

    @Test
    void serveRoutesOverEnginesAlreadyRunning() throws Exception {
        List<SimProcess> engines = List.of(SimProcess.start("--model", "my-org/my-model"),
                SimProcess.start("--model", "my-org/my-model"));
        Process serve = new ProcessBuilder(HearthProcess.command("serve", "--port", "0", "--policy", "round-robin",
                "--state-dir", Files.createTempDirectory("hearth-given").toString(),
                "--engine-url", engines.get(0).url().toString(), "--engine-url", engines.get(1).url().toString()))
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            URI gateway = null;
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl-C")) {
                Matcher g = Pattern.compile("^Gateway\\s+(http://\\S+)\\s.*policy round-robin.*").matcher(line);
                if (g.matches()) {
                    gateway = URI.create(g.group(1));
                }
            }
            assertNotNull(gateway);
            HttpClient http = HttpClient.newHttpClient();
            var seen = new java.util.HashSet<String>();
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.resolve("/v1/completions"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"my-org/my-model\",\"prompt\":\"hello " + i + "\",\"max_tokens\":2}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
                assertEquals("round-robin", r.headers().firstValue("x-hearth-route").orElseThrow());
                seen.add(r.headers().firstValue("x-hearth-replica").orElseThrow());
            }
            assertEquals(java.util.Set.of("replica-0", "replica-1"), seen, "both given engines serve");
            assertEquals(0, serve.children().count(), "no replica was started: the engines were given");
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
            engines.forEach(SimProcess::close);
        }
    }

    @Test
    void serveStartsTheGatewayAndReplicasAndStopsThemOnExit() throws Exception {
        Path state = Files.createTempDirectory("hearth-serve");
        Process serve = new ProcessBuilder(HearthProcess.command("serve", "--replicas", "2", "--port", "0",
                "--state-dir", state.toString(), "--time-scale", "10")).redirectErrorStream(true).start();
        List<URI> urls = new ArrayList<>();
        URI gateway = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8))) {
            Pattern row = Pattern.compile("^\\S+-\\d+\\s+(http://\\S+)\\s+\\d+\\s+(\\S+)$");
            Pattern gatewayLine = Pattern.compile("^Gateway\\s+(http://\\S+)\\s.*");
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl-C")) {
                Matcher m = row.matcher(line);
                if (m.matches()) {
                    urls.add(URI.create(m.group(1)));
                    assertTrue(Files.exists(Path.of(m.group(2))), "log file " + m.group(2));
                }
                Matcher g = gatewayLine.matcher(line);
                if (g.matches()) {
                    gateway = URI.create(g.group(1));
                }
            }
            assertEquals(2, urls.size(), "two replicas listed");
            assertNotNull(gateway, "the gateway's address is printed");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> routed = http.send(HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, routed.statusCode(), routed.body());
            assertTrue(routed.headers().firstValue("x-hearth-replica").orElse("").startsWith("qwen3-0-6b-"));
            assertTrue(routed.headers().firstValue("x-hearth-route").isPresent());
            // The replicas publish KV events and the gateway follows them: its index is precise.
            long deadline = System.currentTimeMillis() + 15_000;
            while (true) {
                String metrics = http.send(HttpRequest.newBuilder(gateway.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (Pattern.compile("(?m)^hearth_prefix_index_precise\\{[^}]*\\} 1(\\.0)?$").matcher(metrics).find()) {
                    break;
                }
                assertTrue(System.currentTimeMillis() < deadline, "no replica's KV events reach the gateway:\n" + metrics);
                http.send(HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions")) // each ends in new blocks
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"messages\":[{\"role\":\"user\",\"content\":\"" + "a new story ".repeat(20)
                                        + System.nanoTime() + "\"}],\"max_tokens\":2}")).build(), HttpResponse.BodyHandlers.ofString());
                Thread.sleep(200);
            }
            for (URI u : urls) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(u.resolve("/v1/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"hi\",\"max_tokens\":2}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode(), r.body());
            }
            List<ProcessHandle> children = serve.children().toList();
            assertEquals(2, children.size(), "each replica is a child process");
            serve.destroy(); // SIGTERM, as Ctrl-C would
            assertTrue(serve.waitFor(20, TimeUnit.SECONDS), "serve exits");
            for (ProcessHandle child : children) {
                child.onExit().get(20, TimeUnit.SECONDS);
                assertFalse(child.isAlive(), "replica stopped with serve");
            }
        } finally {
            serve.descendants().forEach(ProcessHandle::destroyForcibly);
            serve.destroyForcibly();
        }
    }
}
