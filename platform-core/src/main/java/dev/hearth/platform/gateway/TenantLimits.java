package dev.hearth.platform.gateway;

/**
 * At most so many requests of one tenant in flight; more is a 429 with Retry-After. One gateway
 * counts its own ({@link LocalTenantLimits}); several count together through Redis.
 */
public interface TenantLimits {
    /** A slot taken; closing it gives it back. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes a slot or throws a 429 {@link OpenAiError}. */
    Permit acquire(String tenant);

    /** The 429 every implementation answers with. */
    static OpenAiError exceeded(String tenant, int limit) {
        return new OpenAiError(429, "rate_limit_exceeded", "Tenant '" + tenant + "' already has " + limit
                + " requests in flight; retry when one finishes.", null, "concurrency_limit");
    }
}
