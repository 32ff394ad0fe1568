package dev.hearth.platform.replicas;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A replica running as a child process on a loopback port: where it answers, where it publishes
 * KV events (null when it does not), and where it logs.
 */
public record ReplicaProcess(String id, URI url, String kvEvents, Process process, Path log) implements AutoCloseable {

    public boolean alive() {
        return process.isAlive();
    }

    /** Stops the process: a polite signal first, then a kill after the grace period. */
    public void stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
