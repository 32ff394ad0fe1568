package dev.hearth.platform.replicas;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failure paths of the launcher with real processes; the happy path runs in tests/ against hearth sim. */
class ReplicaLauncherTest {

    @Test
    void aReplicaThatExitsAtOnceIsReportedWithItsLog() throws Exception {
        Path logs = Files.createTempDirectory("launcher");
        ReplicaLauncher launcher = new ReplicaLauncher(List.of("sh", "-c", "echo 'model not found' ; exit 3", "sh"),
                logs, Duration.ofSeconds(10));
        IOException e = assertThrows(IOException.class, () -> launcher.start(1, List.of()));
        assertTrue(e.getMessage().contains("replica-0 did not start"), e.getMessage());
        assertTrue(e.getMessage().contains("replica-0.log"), e.getMessage());
        assertTrue(Files.readString(logs.resolve("replica-0.log")).contains("model not found"));
    }

    @Test
    void aReplicaThatNeverBecomesHealthyIsKilled() throws Exception {
        Path logs = Files.createTempDirectory("launcher");
        // Claims a port nothing listens on, then hangs: the launcher must give up and kill it.
        ReplicaLauncher launcher = new ReplicaLauncher(
                List.of("sh", "-c", "echo 'hearth-sim ready on http://127.0.0.1:9'; exec sleep 60", "sh"),
                logs, Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        assertThrows(IOException.class, () -> launcher.start(2, List.of()));
        assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "gave up in bounded time");
        Thread.sleep(200);
        long sleepers = ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("sleep"))
                .filter(ProcessHandle::isAlive).count();
        assertEquals(0, sleepers, "no orphan replica left running");
    }
}
