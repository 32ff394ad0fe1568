package dev.hearth.examples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hearth serve} as users run it: a separate process from the shaded {@code cli/target/hearth.jar},
 * on a free port ({@code --port 0}) with its own temporary {@code --state-dir}, plus a {@code bin/hearth}
 * wrapper for scripts to find on their PATH. {@link #close} stops it and every replica it started.
 */
public final class EmbeddedHearth implements AutoCloseable {
    private static final Pattern GATEWAY = Pattern.compile("^Gateway\\s+(http://\\S+)\\s.*");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int LOG_LINES = 200;

    private final Process process;
    private final URI url;
    private final Path home;
    private final Deque<String> log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EmbeddedHearth(Process process, URI url, Path home, Deque<String> log) {
        this.process = process;
        this.url = url;
        this.home = home;
        this.log = log;
    }

    /** The shaded jar: {@code -Dhearth.jar}, else cli's build output seen from this module. */
    public static Path jar() {
        Path jar = Path.of(System.getProperty("hearth.jar", "../cli/target/hearth.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: it is built by the cli module's package phase "
                    + "(./mvnw -q -pl cli -am package -DskipTests)");
        }
        return jar;
    }

    /** How this JVM's own java runs the jar, with the flags ./hearth passes. */
    static List<String> javaCommand(Path jar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow(() -> new IllegalStateException("no java command")));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // msgpack's Unsafe use, else a warning on every start
        }
        cmd.add("-XX:+UseSerialGC"); // replicas inherit it: many small JVMs on few cores
        cmd.add("-XX:TieredStopAtLevel=1"); // faster start-up; simulated engine time does not depend on JIT
        cmd.add("-jar");
        cmd.add(jar.toString());
        return cmd;
    }

    /**
     * Starts {@code hearth serve --port 0 --state-dir TEMP ARGS} and returns once it printed its gateway
     * (it does so after its first deployment is ready), failing with its output if it does not within
     * {@code timeout}.
     */
    public static EmbeddedHearth start(Duration timeout, String... args) throws IOException, InterruptedException {
        Path jar = jar();
        Path home = Files.createTempDirectory("embedded-hearth");
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path wrapper = bin.resolve("hearth");
        Files.writeString(wrapper, "#!/bin/sh\n# hearth as ./hearth would run it, for scripts under test\nexec "
                + String.join(" ", javaCommand(jar).stream().map(EmbeddedHearth::quote).toList()) + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> cmd = new ArrayList<>(javaCommand(jar));
        cmd.addAll(List.of("serve", "--port", "0", "--state-dir", home.resolve("state").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();

        Deque<String> log = new ArrayDeque<>();
        CompletableFuture<URI> gateway = new CompletableFuture<>();
        Thread.ofVirtual().name("embedded-hearth-output").start(() -> {
            // Reads everything the process prints, so it never blocks on a full pipe; keeps the tail for failures.
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (log) {
                        log.addLast(line);
                        if (log.size() > LOG_LINES) {
                            log.removeFirst();
                        }
                    }
                    Matcher m = GATEWAY.matcher(line);
                    if (m.matches()) {
                        gateway.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException | UncheckedIOException closed) {
                // the process was stopped
            }
            gateway.completeExceptionally(new IllegalStateException("hearth serve ended with exit code "
                    + p.onExit().join().exitValue()));
        });
        try {
            return new EmbeddedHearth(p, gateway.get(timeout.toMillis(), TimeUnit.MILLISECONDS), home, log);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            EmbeddedHearth failed = new EmbeddedHearth(p, null, home, log);
            failed.close();
            String why = e.getCause() != null ? e.getCause().getMessage() : "timed out";
            throw new IllegalStateException("hearth serve printed no gateway address within " + timeout.toSeconds() + " s ("
                    + why + "); it printed:\n" + failed.output());
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The gateway's base URL, e.g. http://127.0.0.1:41234. */
    public URI url() {
        return url;
    }

    /** The folder holding the {@code hearth} wrapper; put it first on a script's PATH. */
    public Path bin() {
        return home.resolve("bin");
    }

    /** The environment a script needs: {@code HEARTH_URL}, and {@code hearth} first on PATH. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("HEARTH_URL", url.toString());
        env.put("PATH", bin() + java.io.File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** The last lines {@code hearth serve} printed: for failure messages. */
    public String output() {
        synchronized (log) {
            return String.join("\n", log);
        }
    }

    /** A control API GET, as JSON; null on 404. */
    public JsonNode api(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/api/v1" + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return null;
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/v1" + path + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Waits until {@code deployment} is available with all its replicas ready. */
    public void awaitAvailable(String deployment, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode d = null;
        while (System.nanoTime() < deadline) {
            d = api("/deployments/" + deployment);
            if (d != null && d.path("status").asText().equals("available")
                    && d.path("ready_replicas").asInt() == d.path("replicas").asInt()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(deployment + " is not available after " + timeout.toSeconds() + " s: " + d
                + "\nhearth serve printed:\n" + output());
    }

    /** Every process Hearth runs now: replicas and whatever else it started. */
    public List<ProcessHandle> descendants() {
        return process.descendants().toList();
    }

    /**
     * Stops Hearth as Ctrl-C would (SIGTERM: it drains and stops its replicas), then kills whatever
     * is left, replicas included; they are listed first, since once Hearth is gone they could no
     * longer be found as its children. Removes the temporary state.
     */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle c : children) {
                c.destroyForcibly();
                c.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("a replica of the embedded Hearth would not stop", e);
        }
        try (var files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind is harmless
        }
    }
}
