package dev.hearth.router.cache;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against a real redis-server of the test's own, so stopping it mid-test disturbs nothing else. */
class RedisPredictionStoreTest {

    static Process startRedis(int port) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", Files.createTempDirectory("redis").toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (var s = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    p.destroyForcibly();
                    throw new IOException("redis-server did not start on " + port);
                }
                Thread.sleep(20);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void sharesAnswersAndSurvivesRedisGoingAwayAndComingBack() throws Exception {
        int port = freePort();
        Process redis = startRedis(port);
        String uri = "redis://127.0.0.1:" + port;
        try (RedisPredictionStore a = new RedisPredictionStore(uri, Duration.ofMinutes(5), Duration.ofMillis(300));
             RedisPredictionStore b = new RedisPredictionStore(uri, Duration.ofMinutes(5), Duration.ofMillis(300))) {
            a.put("k", "answer".getBytes());
            assertArrayEquals("answer".getBytes(), b.get("k").orElseThrow(), "one gateway's answer serves another");
            assertTrue(b.available());

            redis.destroyForcibly();
            redis.waitFor(5, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            assertTrue(b.get("k").isEmpty(), "Redis down: a miss, not an error");
            b.put("k2", "x".getBytes()); // silently not stored
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "no request hangs on a dead Redis");
            assertFalse(b.available());

            redis = startRedis(port);
            long deadline = System.currentTimeMillis() + 15_000;
            while (!b.available() || b.get("probe").isPresent()) {
                assertTrue(System.currentTimeMillis() < deadline, "never reconnected");
                b.get("probe");
                Thread.sleep(100);
            }
            b.put("k3", "back".getBytes());
            assertArrayEquals("back".getBytes(), a.get("k3").orElseThrow(), "both reconnected");
        } finally {
            redis.destroyForcibly();
        }
    }
}
