package dev.hearth.platform.gateway;

/**
 * What a gateway shares with the other gateways serving the same deployments: session bindings,
 * tenant concurrency and learned routing decisions. {@link #local} shares nothing.
 */
public record SharedState(SessionDirectory sessions, TenantLimits limits, DecisionFeed decisions) {
    public static SharedState local(int tenantConcurrency) {
        return new SharedState(SessionDirectory.NONE, new LocalTenantLimits(tenantConcurrency), DecisionFeed.NONE);
    }
}
