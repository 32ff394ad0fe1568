package dev.hearth.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code hearth} as a separate JVM on the test class path, as the shaded jar would run it. */
final class HearthProcess {
    private HearthProcess() {}

    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.hearth.cli.Hearth");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Keeps reading a running process's output so it never blocks on a full pipe; ends quietly with the process. */
    static void drain(BufferedReader out) {
        Thread.ofVirtual().start(() -> {
            try {
                out.lines().forEach(l -> { });
            } catch (java.io.UncheckedIOException closed) {
                // the process was stopped
            }
        });
    }

    /** The result of a command that is expected to end by itself. */
    record Exit(int code, List<String> stdout, List<String> stderr) {}

    static Exit run(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(args)).start();
        p.getOutputStream().close();
        var out = readLines(p.getInputStream());
        var err = readLines(p.getErrorStream());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hearth " + String.join(" ", args) + " did not end within 60 s");
        }
        return new Exit(p.exitValue(), out.join(), err.join());
    }

    private static java.util.concurrent.CompletableFuture<List<String>> readLines(java.io.InputStream in) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return r.lines().toList();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
