package dev.hearth.platform.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** At most {@code perTenant} requests of one tenant in flight; more is a 429 with Retry-After. */
final class TenantLimits {
    private final int perTenant;
    private final ConcurrentHashMap<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    TenantLimits(int perTenant) {
        this.perTenant = perTenant;
    }

    /** Takes a slot or throws 429; the caller releases it with {@link #release}. */
    void acquire(String tenant) {
        if (perTenant <= 0) {
            return;
        }
        if (!inFlight.computeIfAbsent(tenant, t -> new Semaphore(perTenant)).tryAcquire()) {
            throw new OpenAiError(429, "rate_limit_exceeded", "Tenant '" + tenant + "' already has " + perTenant
                    + " requests in flight; retry when one finishes.", null, "concurrency_limit");
        }
    }

    void release(String tenant) {
        if (perTenant > 0) {
            inFlight.get(tenant).release();
        }
    }
}
