package dev.hearth.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code hearth sim --port 0} as a separate process; its URL comes from its ready line. */
record SimProcess(Process process, URI url) implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready on (http://\\S+:\\d+)");

    static SimProcess start(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--port", "0"));
        Process p = new ProcessBuilder(HearthProcess.command(prepend("sim", argv))).redirectErrorStream(true).start();
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    Matcher m = READY.matcher(line);
                    if (m.find()) {
                        ready.complete(URI.create(m.group(1)));
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            ready.completeExceptionally(new IOException("hearth sim exited before it was ready"));
        });
        try {
            return new SimProcess(p, ready.get(60, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private static String[] prepend(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
