package dev.hearth.platform.replicas;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A replica running as a local process: where it answers, where it publishes KV events (null when
 * it does not), its process, and its log. A handle, not a child: a restarted Hearth adopts replicas
 * it started before by pid.
 */
public record ReplicaProcess(String id, URI url, String kvEvents, ProcessHandle process, Path log) {

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /**
     * A process's arguments, read from /proc on Linux: {@code ProcessHandle.Info} stops at 4096
     * bytes of command line, which a Java replica's class path alone passes.
     */
    public static java.util.List<String> arguments(ProcessHandle p) {
        try {
            byte[] raw = java.nio.file.Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline"));
            return java.util.List.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).split("\0"));
        } catch (java.io.IOException | RuntimeException e) {
            return p.info().arguments().map(java.util.List::of).orElse(java.util.List.of());
        }
    }

    /** Stops the process: SIGTERM first (engines shut down cleanly), SIGKILL after the grace period. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } catch (Exception e) {
            process.destroyForcibly();
            try {
                process.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the kernel has it; nothing more to do
            }
        }
    }
}
