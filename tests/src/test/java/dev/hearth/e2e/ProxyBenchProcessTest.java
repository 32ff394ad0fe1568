package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code hearth bench proxy} as a user runs it: real simulators, the real gateway, and nginx and
 * HAProxy exactly when this machine has them; everything it started is gone when it ends.
 */
class ProxyBenchProcessTest {

    @Test
    void aRedisThatIsNoUrlIsRefusedInOneLine() throws Exception {
        CliProcessTest.assertOneLineError(HearthProcess.run("bench", "proxy", "--redis", "localhost"), 1,
                "--redis must look like redis://HOST:PORT, was localhost");
    }

    @Test
    void measuresDirectHearthAndTheInstalledProxiesThenStopsThemAll() throws Exception {
        // The machine's Redis (.ci/run starts it): a second gateway shares its state there, as several gateways run.
        HearthProcess.Exit exit = HearthProcess.run("bench", "proxy", "--replicas", "2", "--requests", "300",
                "--concurrency", "8", "--format", "json", "--warmup", "200", "--redis", "redis://127.0.0.1:6379");
        assertEquals(0, exit.code(), String.join("\n", exit.stderr()));
        assertTrue(exit.stderr().stream().noneMatch(l -> l.startsWith("\tat ")), "no stack trace: " + exit.stderr());
        assertTrue(exit.stderr().stream().anyMatch(l -> l.startsWith("started 2 engine simulator(s), hearth")),
                "progress on stderr: " + exit.stderr());
        JsonNode root = new ObjectMapper().readTree(String.join("\n", exit.stdout()));
        assertEquals(2, root.path("replicas").asInt());
        assertEquals(8, root.path("concurrency").asInt());
        assertEquals(300, root.path("requests").asInt());

        List<String> expected = new ArrayList<>(List.of("direct", "hearth", "hearth+redis"));
        List<String> missing = new ArrayList<>();
        for (String proxy : List.of("nginx", "haproxy")) {
            (installed(proxy) ? expected : missing).add(proxy);
        }
        List<String> names = new ArrayList<>();
        root.path("targets").forEach(t -> names.add(t.path("name").asText()));
        assertEquals(expected, names, "nginx and haproxy measured exactly when installed");
        List<String> skipped = new ArrayList<>();
        root.path("skipped").forEach(s -> {
            skipped.add(s.path("name").asText());
            assertTrue(s.path("reason").asText().startsWith("not installed (apt-get install "), s.toString());
        });
        assertEquals(missing, skipped);

        JsonNode direct = root.path("targets").get(0);
        assertEquals(2, direct.path("urls").size(), "direct goes to both engines");
        List<URI> started = new ArrayList<>();
        for (JsonNode t : root.path("targets")) {
            String name = t.path("name").asText();
            assertEquals(300, t.path("completed").asLong(), name);
            assertEquals(0, t.path("errors").asLong(), name);
            double p50 = t.path("p50_ms").asDouble();
            double p99 = t.path("p99_ms").asDouble();
            assertTrue(p50 > 0 && p99 >= p50, name + ": p50 " + p50 + ", p99 " + p99);
            assertTrue(t.path("rps").asDouble() > 0, name);
            // The report rounds each figure to the microsecond after subtracting: allow one rounding each.
            assertEquals(p50 - direct.path("p50_ms").asDouble(), t.path("added_p50_ms").asDouble(), 0.0021, name);
            assertEquals(p99 - direct.path("p99_ms").asDouble(), t.path("added_p99_ms").asDouble(), 0.0021, name);
            assertEquals(t.path("rps").asDouble() / direct.path("rps").asDouble(), t.path("rps_ratio").asDouble(),
                    0.002 * t.path("rps_ratio").asDouble() + 0.001, name);
            assertEquals(p99 / direct.path("p99_ms").asDouble(), t.path("p99_ratio").asDouble(),
                    0.002 * t.path("p99_ratio").asDouble() + 0.001, name);
            t.path("urls").forEach(u -> started.add(URI.create(u.asText())));
        }
        assertEquals(0.0, direct.path("added_p99_ms").asDouble());
        assertEquals(1.0, direct.path("rps_ratio").asDouble());

        for (URI u : started) {
            assertFalse(accepts(u), u + " still accepts connections: a process was left behind");
        }
    }

    @Test
    void badArgumentsGiveOneLineAndAnExitCode() throws Exception {
        CliProcessTest.assertOneLineError(HearthProcess.run("bench", "proxy", "--replicas", "0"), 1,
                "hearth bench proxy: --replicas must be between 1 and 64, was 0");
        CliProcessTest.assertOneLineError(HearthProcess.run("bench", "proxy", "--requests", "-1"), 1,
                "hearth bench proxy: --requests must be at least 1, was -1");
        CliProcessTest.assertOneLineError(HearthProcess.run("bench", "proxy", "--concurrency", "0"), 1,
                "hearth bench proxy: --concurrency must be between 1 and 1024, was 0");
        CliProcessTest.assertOneLineError(HearthProcess.run("bench", "proxy", "--format", "xml"), 1,
                "hearth bench proxy: --format must be table or json, was 'xml'");
        CliProcessTest.assertOneLineError(HearthProcess.run("bench", "proxy", "--policy", "best"), 1,
                "--policy must be one of");
        CliProcessTest.assertOneLineError(HearthProcess.run("bench", "proxy", "--requests", "many"), 2,
                "hearth bench proxy: Invalid value for option '--requests'");
    }

    /** Where the benchmark looks too: PATH, then the sbin folders packages install daemons in. */
    private static boolean installed(String executable) {
        Stream<String> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return Stream.concat(path, Stream.of("/usr/sbin", "/usr/local/sbin")).filter(d -> !d.isBlank())
                .map(d -> Path.of(d, executable)).anyMatch(p -> Files.isRegularFile(p) && Files.isExecutable(p));
    }

    private static boolean accepts(URI u) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
