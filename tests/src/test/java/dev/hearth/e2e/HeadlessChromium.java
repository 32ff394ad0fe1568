package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium ({@code apt-get install chromium}) run headless as a separate process: it loads a
 * page, lets its scripts run for a budget of virtual time (timers fire at once while the page is idle,
 * so two-second polls cost no wall time) and prints the DOM as it then stands ({@code --dump-dom}).
 * Missing Chromium fails the test that needs it, with how to install it; it is never skipped.
 */
final class HeadlessChromium {
    private final Path binary;

    private HeadlessChromium(Path binary) {
        this.binary = binary;
    }

    /** {@code chromium} on the PATH (Debian installs /usr/bin/chromium), else a failed test saying so. */
    static HeadlessChromium find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return new HeadlessChromium(p);
                }
            }
        }
        return fail("chromium is not installed, and the dashboard is tested in it: apt-get install -y chromium "
                + "(Debian's package; .ci/run installs it when it is missing)");
    }

    /** What one page load gave: the serialized DOM and Chromium's own log, the page's console included. */
    record Dump(String dom, String log) {}

    /** Loads {@code url} in a fresh profile, runs it for {@code virtualMillis} of virtual time, returns the DOM. */
    Dump dumpDom(String url, long virtualMillis) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("hearth-chromium");
        try {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
                    "--user-data-dir=" + profile, "--window-size=1280,800",
                    "--virtual-time-budget=" + virtualMillis, "--dump-dom", url));
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            CompletableFuture<String> out = read(p.getInputStream());
            CompletableFuture<String> err = read(p.getErrorStream());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail("chromium did not print " + url + " within 60 s");
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            Dump dump = new Dump(out.join(), err.join());
            if (p.exitValue() != 0 || !dump.dom().contains("</html>")) {
                fail("chromium exited with " + p.exitValue() + " on " + url + ":\n" + dump.log() + "\n" + dump.dom());
            }
            return dump;
        } finally {
            deleteTree(profile);
        }
    }

    private static CompletableFuture<String> read(java.io.InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
