package dev.hearth.platform.gateway;

import dev.hearth.platform.engines.EngineClient;

/**
 * One replica the gateway routes to: its router id, the client that reaches it, and where it
 * publishes KV events ({@code tcp://HOST:PORT}), or null when it does not.
 */
public record Backend(String id, EngineClient client, String kvEvents) {}
