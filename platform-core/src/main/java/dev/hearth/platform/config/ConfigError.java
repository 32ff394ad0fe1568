package dev.hearth.platform.config;

import java.util.List;
import java.util.stream.Collectors;

/** Why a config.yaml cannot be used: every problem found, each with its key, line and fix. */
public final class ConfigError extends RuntimeException {
    /** One problem: the key (dotted path), the line it is on (0 when unknown), what is wrong, how to fix it. */
    public record Problem(String key, int line, String message, String fix) {
        @Override
        public String toString() {
            return (line > 0 ? "line " + line + ": " : "") + key + ": " + message + (fix == null ? "" : " (" + fix + ")");
        }
    }

    private final List<Problem> problems;

    public ConfigError(String file, List<Problem> problems) {
        super(file + ": " + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
