package dev.hearth.platform.replicas;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts replica processes on loopback and waits until each answers {@code /health}. A replica is
 * started with {@code --port 0} and reports the port it bound in its ready line
 * ({@code ... ready on http://HOST:PORT}), so no two replicas race for a port; its output goes to a
 * log file. The command that starts a replica is given, so the same launcher runs simulators, or
 * real {@code vllm serve} processes whose ready line a wrapper prints.
 */
public final class ReplicaLauncher {
    private static final Pattern READY = Pattern.compile("ready on (http://[\\w.\\[\\]:-]+:\\d+)");
    private static final Pattern KV_EVENTS = Pattern.compile("KV events on (tcp://[\\w.\\[\\]:-]+:\\d+)");

    /** What a replica's ready line says. */
    private record Ready(URI url, String kvEvents) {}

    private final List<String> command;
    private final Path logDir;
    private final Duration startTimeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code command} starts one replica and must accept {@code --port 0} appended with its other arguments. */
    public ReplicaLauncher(List<String> command, Path logDir, Duration startTimeout) {
        this.command = List.copyOf(command);
        this.logDir = logDir;
        this.startTimeout = startTimeout;
    }

    /** Starts {@code count} replicas in parallel; if any fails, stops the others and throws. */
    public List<ReplicaProcess> start(int count, List<String> args) throws IOException {
        Files.createDirectories(logDir);
        List<CompletableFuture<ReplicaProcess>> starting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "replica-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> startOne(id, args)));
        }
        List<ReplicaProcess> started = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<ReplicaProcess> f : starting) {
            try {
                started.add(f.join());
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            started.forEach(ReplicaProcess::close);
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            throw new IOException(cause.getMessage(), cause);
        }
        return started;
    }

    private ReplicaProcess startOne(String id, List<String> args) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(args);
        argv.add("--port");
        argv.add("0");
        Path log = logDir.resolve(id + ".log");
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + id + " (" + argv.get(0) + "): " + e.getMessage(), e);
        }
        CompletableFuture<Ready> ready = new CompletableFuture<>();
        Thread.ofVirtual().name(id + "-log").start(() -> pump(p, log, ready));
        try {
            Ready r = ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitHealthy(r.url());
            return new ReplicaProcess(id, r.url(), r.kvEvents(), p, log);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException(id + " did not start within " + startTimeout.toSeconds() + " s; see " + log
                    + (p.isAlive() ? "" : " (exit code " + exitCode(p) + ")"), e);
        }
    }

    /** Copies the replica's output to its log and completes {@code url} from the ready line. */
    private static void pump(Process p, Path log, CompletableFuture<Ready> url) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             var out = Files.newBufferedWriter(log, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                out.flush();
                Matcher m = READY.matcher(line);
                if (!url.isDone() && m.find()) {
                    Matcher kv = KV_EVENTS.matcher(line);
                    url.complete(new Ready(URI.create(m.group(1)), kv.find() ? kv.group(1) : null));
                }
            }
        } catch (IOException e) {
            url.completeExceptionally(e);
        }
        url.completeExceptionally(new IOException("replica exited before it was ready"));
    }

    private void awaitHealthy(URI base) throws Exception {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/health")).timeout(Duration.ofSeconds(2)).build();
        while (true) {
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(base + "/health did not answer 200");
            }
            Thread.sleep(50);
        }
    }

    private static String exitCode(Process p) {
        try {
            return String.valueOf(p.waitFor(1, TimeUnit.SECONDS) ? p.exitValue() : "?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
