package dev.hearth.enginesim.engine;

import java.util.List;

/**
 * What a request asks of generation. {@code maxTokens} null means "until the model stops",
 * which the simulator turns into a seeded natural length; {@code temperature} and {@code seed}
 * are accepted and recorded but the filler is deterministic either way.
 */
public record Sampling(Integer maxTokens, List<String> stop, double temperature, Long seed, boolean ignoreEos) {
    public Sampling {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static Sampling maxTokens(int n) {
        return new Sampling(n, List.of(), 0.0, null, false);
    }
}
