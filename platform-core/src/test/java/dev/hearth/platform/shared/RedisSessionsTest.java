package dev.hearth.platform.shared;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisSessionsTest {
    @Test
    void theFirstBindingWinsUnlessItsReplicaLeft() throws Exception {
        try (RedisServer redis = new RedisServer();
             RedisLink la = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisLink lb = new RedisLink(redis.uri(), Duration.ofMillis(250))) {
            RedisSessions a = new RedisSessions(la, Duration.ofMinutes(5));
            RedisSessions b = new RedisSessions(lb, Duration.ofMinutes(5));
            assertNull(b.replicaOf("chat", "s1"));
            a.bound("chat", "s1", "replica-2", false);
            b.bound("chat", "s1", "replica-0", false); // B raced A's first turn: A's binding stands
            assertEquals("replica-2", b.replicaOf("chat", "s1"));
            b.bound("chat", "s1", "replica-3", true); // replica-2 left: B's binding replaces it
            assertEquals("replica-3", a.replicaOf("chat", "s1"));
            assertNull(a.replicaOf("other-deployment", "s1"), "bindings are per deployment");
            String longId = "x".repeat(10_000);
            a.bound("chat", longId, "replica-1", false);
            assertEquals("replica-1", b.replicaOf("chat", longId));
        }
    }

    @Test
    void bindingsExpireUnlessRead() throws Exception {
        try (RedisServer redis = new RedisServer(); RedisLink link = new RedisLink(redis.uri(), Duration.ofMillis(250))) {
            RedisSessions s = new RedisSessions(link, Duration.ofSeconds(2));
            s.bound("chat", "kept", "replica-0", false);
            s.bound("chat", "left", "replica-1", false);
            for (int i = 0; i < 3; i++) {
                Thread.sleep(1_000);
                assertEquals("replica-0", s.replicaOf("chat", "kept"), "each read refreshes the time to live");
            }
            assertNull(s.replicaOf("chat", "left"));
        }
    }

    @Test
    void bindingsMadeWhileRedisIsAwayAreWrittenWhenItReturns() throws Exception {
        try (RedisServer redis = new RedisServer();
             RedisLink la = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisLink lb = new RedisLink(redis.uri(), Duration.ofMillis(250))) {
            RedisSessions a = new RedisSessions(la, Duration.ofMinutes(5));
            RedisSessions b = new RedisSessions(lb, Duration.ofMinutes(5));
            redis.stop();
            a.bound("chat", "during", "replica-1", false);
            assertNull(a.replicaOf("chat", "during"), "Redis away: no shared answer, no error");
            assertEquals(1, a.pending());
            redis.start(); // empty: it keeps nothing on disk
            RedisServer.awaitReturn(la);
            assertEquals(0, a.pending());
            assertEquals("replica-1", b.replicaOf("chat", "during"));
        }
    }
}
