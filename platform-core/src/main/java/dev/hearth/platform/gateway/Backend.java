package dev.hearth.platform.gateway;

import dev.hearth.platform.engines.EngineClient;

/** One replica the gateway routes to: its router id and the client that reaches it. */
public record Backend(String id, EngineClient client) {}
