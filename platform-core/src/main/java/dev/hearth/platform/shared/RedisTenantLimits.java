package dev.hearth.platform.shared;

import dev.hearth.platform.gateway.LocalTenantLimits;
import dev.hearth.platform.gateway.TenantLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's requests in flight counted across every gateway: a sorted set of leases per tenant
 * ({@code hearth:tenant:TENANT:leases}, scored by expiry), taken by a Lua script that drops expired
 * leases and adds one only below the limit, atomically (the expiring-permit semaphore of
 * Redisson's RPermitExpirableSemaphore). Leases expire unless renewed, so a gateway that dies
 * frees its tenants' slots within {@code leaseTtl}; this gateway renews its own while they run.
 * While Redis is away each gateway counts alone ({@link LocalTenantLimits}), so together they may
 * let through up to N times the limit until it returns.
 */
public final class RedisTenantLimits implements TenantLimits, AutoCloseable {
    private static final String ACQUIRE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[2])
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
            return 1
            """;
    private static final String RENEW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            for i = 2, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i]) end
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
            return 1
            """;

    private final RedisLink redis;
    private final RedisScript acquireScript = new RedisScript(ACQUIRE);
    private final RedisScript renewScript = new RedisScript(RENEW);
    private final int perTenant;
    private final Duration leaseTtl;
    private final LocalTenantLimits local;
    private final Map<String, Map<String, Boolean>> held = new ConcurrentHashMap<>();
    private final Thread renewer;
    private volatile boolean closed;

    public RedisTenantLimits(RedisLink redis, int perTenant, Duration leaseTtl) {
        this.redis = redis;
        this.perTenant = perTenant;
        this.leaseTtl = leaseTtl;
        this.local = new LocalTenantLimits(perTenant);
        this.renewer = Thread.ofVirtual().name("tenant-lease-renewer").start(this::renew);
    }

    @Override
    public Permit acquire(String tenant) {
        if (perTenant <= 0) {
            return local.acquire(tenant);
        }
        String lease = UUID.randomUUID().toString();
        Long granted = acquireScript.run(redis, new String[] {key(tenant)},
                bytes(perTenant), bytes(lease), bytes(leaseTtl.toMillis()));
        if (granted == null) {
            return local.acquire(tenant); // Redis away: this gateway's own count
        }
        if (granted == 0) {
            throw TenantLimits.exceeded(tenant, perTenant);
        }
        held.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>()).put(lease, Boolean.TRUE);
        return new Permit() {
            private boolean released;

            @Override
            public synchronized void close() {
                if (released) {
                    return;
                }
                released = true;
                held.getOrDefault(tenant, Map.of()).remove(lease);
                // Not waited for: the answer is sent already. Unreachable Redis: the lease expires by itself.
                redis.send(c -> c.zrem(key(tenant), bytes(lease)));
            }
        };
    }

    /** Renews this gateway's leases a few times per lease time, so long streams keep their slots. */
    private void renew() {
        while (!closed) {
            try {
                Thread.sleep(Math.max(100, leaseTtl.toMillis() / 3));
            } catch (InterruptedException e) {
                return;
            }
            for (Map.Entry<String, Map<String, Boolean>> t : held.entrySet()) {
                if (t.getValue().isEmpty()) {
                    continue;
                }
                byte[][] args = new byte[t.getValue().size() + 1][];
                args[0] = bytes(leaseTtl.toMillis());
                int i = 1;
                for (String lease : t.getValue().keySet()) {
                    if (i == args.length) {
                        break;
                    }
                    args[i++] = bytes(lease);
                }
                byte[][] sent = i == args.length ? args : java.util.Arrays.copyOf(args, i);
                renewScript.run(redis, new String[] {key(t.getKey())}, sent);
            }
        }
    }

    static String key(String tenant) {
        return "hearth:tenant:" + tenant + ":leases";
    }

    private static byte[] bytes(Object o) {
        return String.valueOf(o).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        renewer.interrupt();
    }
}
