package dev.hearth.platform.shared;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which gateway runs the control plane (launches, scales and replaces replicas) when several share
 * one Redis: a lease ({@code hearth:control-plane}, holding the holder's address) taken with
 * {@code SET NX PX} and renewed a few times per lease time by compare-and-expire, the single-
 * instance lock of the Redis documentation's "Distributed Locks with Redis". The others follow.
 * If the holder cannot reach Redis it keeps its role (nobody else can take the lease then either);
 * when Redis returns empty, the holder takes the lease again first, since it renews soonest.
 */
public final class ControlPlaneLease {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneLease.class);
    static final String KEY = "hearth:control-plane";
    private static final String RENEW = """
            local v = redis.call('GET', KEYS[1])
            if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
            if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
            return 0
            """;

    private final RedisLink redis;
    private final RedisScript renewScript = new RedisScript(RENEW);
    private final java.util.function.Supplier<String> self;
    private final Duration ttl;
    private volatile boolean held;

    /** {@code self}: this gateway's address, which followers send control API calls to (known once it listens). */
    public ControlPlaneLease(RedisLink redis, java.util.function.Supplier<String> self, Duration ttl) {
        this.redis = redis;
        this.self = self;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Takes the lease if nobody holds it; true when this gateway holds it now. */
    public boolean tryAcquire() {
        if (held) {
            return renew();
        }
        String ok = redis.call(c -> c.set(KEY, self.get().getBytes(StandardCharsets.UTF_8),
                SetArgs.Builder.nx().px(ttl.toMillis())), null);
        held = "OK".equals(ok);
        return held;
    }

    /** Keeps the lease (or takes it again if Redis lost it); false, and not held, when another gateway has it. */
    public boolean renew() {
        Long kept = renewScript.run(redis, new String[] {KEY}, self.get().getBytes(StandardCharsets.UTF_8),
                String.valueOf(ttl.toMillis()).getBytes(StandardCharsets.UTF_8));
        if (kept == null) {
            return held; // Redis away: nobody can take it meanwhile
        }
        if (kept == 0 && held) {
            LOG.error("another gateway ({}) holds the control plane lease this one held", holder());
        }
        held = kept == 1;
        return held;
    }

    public boolean held() {
        return held;
    }

    /** The address of the gateway running the control plane, or null when none does (or Redis is away). */
    public String holder() {
        byte[] v = redis.call(c -> c.get(KEY), null);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** Gives the lease up on a clean stop, so a follower takes over at once instead of after the lease time. */
    public void release() {
        if (held) {
            redis.call(c -> c.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
                    ScriptOutputType.INTEGER, new String[] {KEY}, self.get().getBytes(StandardCharsets.UTF_8)), null);
            held = false;
        }
    }
}
