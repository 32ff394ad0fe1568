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
        return command(List.of(), args);
    }

    /** The command line with extra JVM flags (such as {@code -Duser.home=DIR}) before the class path. */
    static List<String> command(List<String> jvmFlags, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) {
            cmd.add("--sun-misc-unsafe-memory-access=allow");
        }
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.hearth.cli.Hearth");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A running {@code hearth serve}: its process and the gateway's address, with what it printed up to "Press Ctrl-C". */
    record Serving(Process process, java.net.URI gateway, String printed) implements AutoCloseable {
        /** SIGTERM as Ctrl-C would send, then whatever is left is killed. */
        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Starts {@code hearth serve ARGS} and returns once it printed where its gateway is. */
    static Serving serve(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        Process p = new ProcessBuilder(command(all.toArray(String[]::new))).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        java.util.regex.Pattern g = java.util.regex.Pattern.compile("^Gateway\\s+(http://\\S+)\\s.*");
        StringBuilder printed = new StringBuilder();
        java.net.URI gateway = null;
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl-C")) {
            printed.append(line).append('\n');
            java.util.regex.Matcher m = g.matcher(line);
            if (m.matches()) {
                gateway = java.net.URI.create(m.group(1));
            }
        }
        if (gateway == null) {
            p.destroyForcibly();
            throw new AssertionError("hearth serve printed no gateway address:\n" + printed);
        }
        drain(out);
        return new Serving(p, gateway, printed.toString());
    }

    /**
     * Starts {@code hearth serve ARGS} with everything it prints (stdout and stderr) written to {@code log},
     * and returns once it printed where its gateway is; the file is the whole log, to read or grep later.
     */
    static Serving serveLogged(java.nio.file.Path log, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("serve"));
        all.addAll(List.of(args));
        Process p = new ProcessBuilder(command(all.toArray(String[]::new))).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        java.util.regex.Pattern g = java.util.regex.Pattern.compile("(?m)^Gateway\\s+(http://\\S+)\\s");
        long deadline = System.currentTimeMillis() + 180_000;
        while (true) {
            String printed = java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
            java.util.regex.Matcher m = g.matcher(printed);
            if (printed.contains("Press Ctrl-C") && m.find()) {
                return new Serving(p, java.net.URI.create(m.group(1)), printed);
            }
            if (!p.isAlive() || System.currentTimeMillis() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("hearth serve did not start:\n" + printed);
            }
            Thread.sleep(100);
        }
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
        return run(List.of(), java.util.Map.of(), args);
    }

    /** Runs {@code hearth ARGS} with extra JVM flags and environment variables, to its end. */
    static Exit run(List<String> jvmFlags, java.util.Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(jvmFlags, args));
        pb.environment().putAll(env);
        Process p = pb.start();
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
