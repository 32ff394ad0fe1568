package dev.hearth.platform.shared;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Against a real redis-server of the test's own, so stopping it mid-test disturbs nothing else. */
class RedisPredictionStoreTest {

    @Test
    void sharesAnswersAndSurvivesRedisGoingAwayAndComingBack() throws Exception {
        try (RedisServer redis = new RedisServer();
             RedisLink la = new RedisLink(redis.uri(), Duration.ofMillis(300));
             RedisLink lb = new RedisLink(redis.uri(), Duration.ofMillis(300))) {
            RedisPredictionStore a = new RedisPredictionStore(la, Duration.ofMinutes(5));
            RedisPredictionStore b = new RedisPredictionStore(lb, Duration.ofMinutes(5));
            a.put("k", "answer".getBytes());
            assertArrayEquals("answer".getBytes(), b.get("k").orElseThrow(), "one gateway's answer serves another");
            assertTrue(b.available());

            redis.stop();
            long t0 = System.nanoTime();
            assertTrue(b.get("k").isEmpty(), "Redis down: a miss, not an error");
            b.put("k2", "x".getBytes()); // silently not stored
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "no request hangs on a dead Redis");
            assertFalse(b.available());

            redis.start();
            long deadline = System.currentTimeMillis() + 15_000;
            while (!b.available() || b.get("probe").isPresent()) {
                assertTrue(System.currentTimeMillis() < deadline, "never reconnected");
                b.get("probe");
                Thread.sleep(100);
            }
            b.put("k3", "back".getBytes());
            assertArrayEquals("back".getBytes(), a.get("k3").orElseThrow(), "both reconnected");
        }
    }
}
