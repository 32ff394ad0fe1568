package dev.hearth.enginesim.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The seeded generators by name, from a spec such as {@code rag}, {@code rag:documents=2000,zipf=1.1,seed=7}
 * or {@code multi-turn:conversations=200,turns=6}: the name, then optionally a colon and
 * comma-separated {@code key=value} pairs (keys in snake_case; a hyphen is read as an underscore).
 * Every parameter left out takes its default. A bad spec is refused with one line saying what is allowed.
 */
public final class Workloads {
    public static final List<String> NAMES = List.of(SystemPromptWorkload.NAME, RagWorkload.NAME, MultiTurnWorkload.NAME,
            GeneratedSharedPrefixWorkload.NAME, MultiRoundQaWorkload.NAME);

    private record Generator(Map<String, Number> defaults, Function<Map<String, Number>, Workload> make) {}

    private static final Map<String, Generator> GENERATORS = Map.of(
            SystemPromptWorkload.NAME, new Generator(SystemPromptWorkload.DEFAULTS, SystemPromptWorkload::of),
            RagWorkload.NAME, new Generator(RagWorkload.DEFAULTS, RagWorkload::of),
            MultiTurnWorkload.NAME, new Generator(MultiTurnWorkload.DEFAULTS, MultiTurnWorkload::of),
            GeneratedSharedPrefixWorkload.NAME, new Generator(GeneratedSharedPrefixWorkload.DEFAULTS,
                    GeneratedSharedPrefixWorkload::of),
            MultiRoundQaWorkload.NAME, new Generator(MultiRoundQaWorkload.DEFAULTS, MultiRoundQaWorkload::of));

    private Workloads() {}

    /** The parameters of generator {@code name} with their defaults, in the order its reports print them. */
    public static Map<String, Number> defaults(String name) {
        return generator(name).defaults();
    }

    public static Workload parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no workload named; one of: " + String.join(", ", NAMES));
        }
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        Generator g = generator(name);
        Map<String, Number> given = new LinkedHashMap<>();
        String pairs = colon < 0 ? "" : spec.substring(colon + 1).trim();
        for (String pair : pairs.isEmpty() ? new String[0] : pairs.split(",", -1)) {
            int eq = pair.indexOf('=');
            String key = (eq < 0 ? pair : pair.substring(0, eq)).trim().replace('-', '_');
            String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (eq < 0 || key.isEmpty() || value.isEmpty()) {
                throw new IllegalArgumentException(name + ": expected key=value, got '" + pair.trim() + "'; parameters: "
                        + String.join(", ", g.defaults().keySet()));
            }
            Number d = g.defaults().get(key);
            if (d == null) {
                throw new IllegalArgumentException(name + " has no parameter '" + key + "'; its parameters: "
                        + String.join(", ", g.defaults().keySet()));
            }
            if (given.put(key, number(name, key, value, d)) != null) {
                throw new IllegalArgumentException(name + ": " + key + " is given twice");
            }
        }
        return g.make().apply(given);
    }

    private static Generator generator(String name) {
        Generator g = GENERATORS.get(name);
        if (g == null) {
            throw new IllegalArgumentException("unknown workload '" + name + "'; one of: " + String.join(", ", NAMES));
        }
        return g;
    }

    /** {@code value} read as the kind of number {@code like} is. */
    private static Number number(String workload, String key, String value, Number like) {
        try {
            if (like instanceof Integer) {
                long v = Long.parseLong(value);
                if (v != (int) v) {
                    throw new IllegalArgumentException(workload + ": " + key + " is out of range, was '" + value + "'");
                }
                return (int) v;
            }
            if (like instanceof Long) {
                return Long.parseLong(value);
            }
            double v = Double.parseDouble(value);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(workload + ": " + key + " must be " + (like instanceof Double ? "a number"
                : "an integer") + ", was '" + value + "'");
    }
}
