package dev.hearth.platform.replicas;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.platform.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Launch files, logs and process handles, with a real process (a shell that prints and waits). */
class ProcessLauncherTest {

    /** A replica command that is a plain shell: prints its port, then sleeps. */
    private static final EngineCommand SHELL = new EngineCommand() {
        @Override
        public List<String> argv(LaunchSpec spec) {
            return List.of("sh", "-c", "echo listening on $0 with \"$1\"; sleep 30", Integer.toString(spec.port()),
                    "a 'quoted' arg");
        }

        @Override
        public boolean publishesKvEvents(LaunchSpec spec) {
            return false;
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public Duration startTimeout() {
            return Duration.ofSeconds(5);
        }
    };

    @Test
    void keepsTheLaunchFileOnlyWhenAskedAndLogsTheOutput() throws Exception {
        var config = ConfigLoader.parse("c", "model: {id: m}\n");
        for (boolean keep : new boolean[] {true, false}) {
            Path dir = Files.createTempDirectory("launch");
            ProcessLauncher launcher = new ProcessLauncher("127.0.0.1", keep);
            LaunchSpec spec = launcher.plan("m-0", config);
            assertNotEquals(spec.port(), spec.kvEventsPort());
            ReplicaProcess p = launcher.start(SHELL, spec, dir);
            try {
                assertTrue(p.alive());
                assertEquals("http://127.0.0.1:" + spec.port(), p.url().toString());
                assertNull(p.kvEvents());
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!Files.readString(p.log()).contains("listening")) {
                    assertTrue(System.nanoTime() < deadline, "the process writes its own log");
                    Thread.sleep(20);
                }
                assertEquals("listening on " + spec.port() + " with a 'quoted' arg\n", Files.readString(p.log()));
                assertTrue(ReplicaProcess.arguments(p.process()).contains(Integer.toString(spec.port())),
                        "the port is in the process's command line, for adoption after a restart");
                Path script = dir.resolve("m-0.sh");
                assertEquals(keep, Files.exists(script));
                if (keep) {
                    assertTrue(Files.readString(script).contains("exec sh -c 'echo listening on $0 with \"$1\"; sleep 30' "
                            + spec.port() + " 'a '\\''quoted'\\'' arg'"), Files.readString(script));
                }
            } finally {
                p.stop(Duration.ofSeconds(2));
            }
            assertFalse(p.alive());
        }
    }
}
