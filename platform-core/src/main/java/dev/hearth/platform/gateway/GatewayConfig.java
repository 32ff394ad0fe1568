package dev.hearth.platform.gateway;

import java.time.Duration;

/**
 * How the gateway runs: where it listens, the model it serves (requests naming another are a 404)
 * and its version (part of every prediction cache key, so a new version never reuses old answers),
 * the model's context length, how often replicas are probed, the API keys (null: no
 * authentication, one "default" tenant), the most requests one tenant may have in flight (0: no
 * limit), the largest request body accepted, and how long engines may take ({@link UpstreamLimits}).
 */
public record GatewayConfig(String host, int port, String model, String modelVersion, int maxModelLen,
                            Duration probeInterval, ApiKeys apiKeys, int tenantConcurrency, long maxBodyBytes,
                            UpstreamLimits upstream) {

    /** With the standard upstream limits. */
    public GatewayConfig(String host, int port, String model, String modelVersion, int maxModelLen, Duration probeInterval,
                         ApiKeys apiKeys, int tenantConcurrency, long maxBodyBytes) {
        this(host, port, model, modelVersion, maxModelLen, probeInterval, apiKeys, tenantConcurrency, maxBodyBytes,
                UpstreamLimits.standard());
    }

    /** The same with other upstream limits. */
    public GatewayConfig withUpstream(UpstreamLimits limits) {
        return new GatewayConfig(host, port, model, modelVersion, maxModelLen, probeInterval, apiKeys, tenantConcurrency,
                maxBodyBytes, limits);
    }

    /** Open access, no tenant limit, bodies up to 16 MiB. */
    public static GatewayConfig open(String host, int port, String model, String modelVersion, int maxModelLen,
                                     Duration probeInterval) {
        return new GatewayConfig(host, port, model, modelVersion, maxModelLen, probeInterval, null, 0, 16L << 20);
    }
}
