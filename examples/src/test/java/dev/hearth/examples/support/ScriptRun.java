package dev.hearth.examples.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a bash script as a user would, with a given environment (e.g. {@link EmbeddedHearth#environment()}),
 * capturing what it prints, and kills it (and what it started) if it outlives a timeout.
 */
public final class ScriptRun {
    /** How a script ended: its exit code (-1 when it was killed at the timeout), what it printed, and how long it took. */
    public record Result(Path script, int exitCode, String stdout, String stderr, Duration took, boolean timedOut) {
        /** Everything about the run, for an assertion's message. */
        public String describe() {
            return script + (timedOut ? " timed out" : " exited " + exitCode) + " after " + took.toMillis() + " ms\n--- stdout\n"
                    + stdout + "--- stderr\n" + stderr + "---";
        }
    }

    private ScriptRun() {}

    /** Every {@code *.sh} under {@code root}, build output left out, in a stable order. */
    public static List<Path> discover(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".sh") && Files.isRegularFile(f))
                    .filter(f -> !root.relativize(f).startsWith("target"))
                    .sorted().toList();
        }
    }

    /** Runs {@code bash SCRIPT} in the script's folder, with {@code env} added to this process's environment. */
    public static Result run(Path script, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toAbsolutePath().toString())
                .directory(script.toAbsolutePath().getParent().toFile());
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            List<ProcessHandle> started = new ArrayList<>(p.descendants().toList());
            p.destroyForcibly();
            started.forEach(ProcessHandle::destroyForcibly);
            p.waitFor(10, TimeUnit.SECONDS);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Result(script, ended ? p.exitValue() : -1, rest(out), rest(err), took, !ended);
    }

    /** What a stream held; bounded, since a process the script left in the background may keep it open. */
    private static String rest(CompletableFuture<String> read) throws InterruptedException {
        try {
            return read.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return "(still open 10 s after the script ended: something it started is still running)";
        }
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(could not read: " + e.getMessage() + ")";
            }
        }, r -> Thread.ofVirtual().start(r));
    }
}
