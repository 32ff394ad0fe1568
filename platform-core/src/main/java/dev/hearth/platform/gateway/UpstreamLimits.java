package dev.hearth.platform.gateway;

import java.time.Duration;

/**
 * How long the gateway waits on an engine and when it stops sending it requests: the time to the
 * response's first byte (its headers; for a non-streaming answer, the whole generation), the
 * longest quiet spell between two reads of its body, and each replica's {@link CircuitBreaker}.
 * A request that times out before its first byte is retried on the next best replica, as a refused
 * one is; one that goes quiet mid-stream ends with an SSE error event.
 */
public record UpstreamLimits(Duration firstByteTimeout, Duration idleTimeout, CircuitBreaker.Settings breaker) {
    public UpstreamLimits {
        if (firstByteTimeout.isNegative() || firstByteTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("upstream timeouts must be positive, were " + firstByteTimeout + " and "
                    + idleTimeout);
        }
    }

    /** 60 s to the first byte and between reads; Envoy's outlier detection defaults for the breaker. */
    public static UpstreamLimits standard() {
        return new UpstreamLimits(Duration.ofSeconds(60), Duration.ofSeconds(60), CircuitBreaker.Settings.standard());
    }
}
