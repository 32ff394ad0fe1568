package dev.hearth.platform.gateway;

import java.time.Duration;

/**
 * How the gateway runs: where it listens, the model it serves (requests naming another are a 404)
 * and its version (part of every prediction cache key, so a new version never reuses old answers),
 * the model's context length, and how often replicas are probed.
 */
public record GatewayConfig(String host, int port, String model, String modelVersion, int maxModelLen,
                            Duration probeInterval) {}
