package dev.hearth.platform.shared;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.platform.gateway.OpenAiError;
import dev.hearth.platform.gateway.TenantLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisTenantLimitsTest {
    private static int refusedStatus(TenantLimits limits, String tenant) {
        OpenAiError e = assertThrows(OpenAiError.class, () -> limits.acquire(tenant));
        return e.status();
    }

    @Test
    void twoGatewaysCountOneTenantTogetherAndOthersApart() throws Exception {
        try (RedisServer redis = new RedisServer();
             RedisLink la = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisLink lb = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisTenantLimits a = new RedisTenantLimits(la, 2, Duration.ofSeconds(30));
             RedisTenantLimits b = new RedisTenantLimits(lb, 2, Duration.ofSeconds(30))) {
            TenantLimits.Permit one = a.acquire("acme");
            TenantLimits.Permit two = b.acquire("acme");
            assertEquals(429, refusedStatus(a, "acme"));
            assertEquals(429, refusedStatus(b, "acme"));
            b.acquire("other").close(); // another tenant has its own slots
            one.close();
            one.close(); // twice is once
            // A's release is not waited for, but goes before A's next command on the same connection.
            TenantLimits.Permit three = a.acquire("acme");
            assertEquals(429, refusedStatus(b, "acme"), "a double close must not free two slots");
            two.close();
            three.close();
        }
    }

    @Test
    void aDeadGatewaysSlotsExpireWhileALiveOnesAreRenewed() throws Exception {
        try (RedisServer redis = new RedisServer();
             RedisLink la = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisLink lb = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisTenantLimits b = new RedisTenantLimits(lb, 1, Duration.ofMillis(900))) {
            RedisTenantLimits a = new RedisTenantLimits(la, 1, Duration.ofMillis(900));
            a.acquire("acme"); // never released: A "dies" holding it
            a.close();         // and stops renewing
            assertEquals(429, refusedStatus(b, "acme"));
            Thread.sleep(1_300);
            TenantLimits.Permit held = b.acquire("acme"); // A's lease expired
            Thread.sleep(2_500); // almost three lease times: B renews its own
            try (RedisTenantLimits c = new RedisTenantLimits(new RedisLink(redis.uri(), Duration.ofMillis(250)), 1,
                    Duration.ofMillis(900))) {
                assertEquals(429, refusedStatus(c, "acme"), "B's renewed lease still counts");
            }
            held.close();
        }
    }

    @Test
    void withRedisAwayEachGatewayCountsAlone() throws Exception {
        try (RedisServer redis = new RedisServer();
             RedisLink link = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisTenantLimits a = new RedisTenantLimits(link, 1, Duration.ofSeconds(30))) {
            redis.stop();
            long t0 = System.nanoTime();
            TenantLimits.Permit p = a.acquire("acme");
            assertEquals(429, refusedStatus(a, "acme"), "the local count still holds the limit");
            p.close();
            a.acquire("acme").close();
            assertTrue(System.nanoTime() - t0 < 3_000_000_000L, "no hang on a dead Redis");
            assertFalse(link.available());
        }
    }
}
