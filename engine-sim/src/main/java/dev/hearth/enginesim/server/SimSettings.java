package dev.hearth.enginesim.server;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profile;
import dev.hearth.enginesim.kv.KvEventPublisher;

/**
 * Everything {@code hearth sim} is started with. {@code kvEvents} is null when no events are
 * published; {@code reasoningParser} null when the model does not reason (as for vLLM and SGLang,
 * naming a parser is what separates reasoning text from the answer).
 */
public record SimSettings(String host, int port, Flavor flavor, String model, Profile profile, EngineLimits limits,
                          double timeScale, KvEventPublisher.Config kvEvents, String reasoningParser) {
    public SimSettings {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port must be between 0 and 65535, was " + port);
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("--model must name a model");
        }
        if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
            throw new IllegalArgumentException("--time-scale must be a positive number, was " + timeScale);
        }
    }
}
