package dev.hearth.platform.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** A tenant's requests in flight through this gateway alone, at most {@code perTenant} (0: no limit). */
public final class LocalTenantLimits implements TenantLimits {
    private static final Permit NOTHING = () -> { };

    private final int perTenant;
    private final ConcurrentHashMap<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    public LocalTenantLimits(int perTenant) {
        this.perTenant = perTenant;
    }

    @Override
    public Permit acquire(String tenant) {
        if (perTenant <= 0) {
            return NOTHING;
        }
        Semaphore slots = inFlight.computeIfAbsent(tenant, t -> new Semaphore(perTenant));
        if (!slots.tryAcquire()) {
            throw TenantLimits.exceeded(tenant, perTenant);
        }
        return new Permit() {
            private boolean released;

            @Override
            public synchronized void close() {
                if (!released) {
                    released = true;
                    slots.release();
                }
            }
        };
    }
}
