package dev.hearth.enginesim.workload;

import dev.hearth.router.prefix.BlockHasher;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the generators share. Prompts are runs of tokens, each run standing for one piece of text (a
 * system prompt, a document, a question, an answer) and computed from the seed, its kind and its
 * index, so a prompt is rebuilt whenever the iterator reaches it and nothing large is held. A run's
 * first token is distinct from every other run of its kind (for fewer than 140,000 of them), so two
 * prompts share exactly the runs they are built from, never a token more by chance. Token ids lie in
 * [1000, 141000), as {@link TracePrompts}' do.
 */
final class Synthetic {
    static final int FIRST_TOKEN = 1_000;
    static final int VOCABULARY = 140_000;
    /** The longest run of tokens a parameter may ask for (a 128k-context model's window). */
    static final int MAX_LEN = 131_072;
    /** The most requests (or conversations, users...) a parameter may ask for. */
    static final int MAX_COUNT = 10_000_000;

    // Kinds of runs, and the purposes random streams are drawn for: each its own, so changing one
    // parameter does not reshuffle what another decides.
    static final long SYSTEM = 1, QUESTION = 2, DOCUMENT = 3, INSTRUCTION = 4, USER = 5, ANSWER = 6, USER_INFO = 7;
    static final long ARRIVALS = 101, CHOICES = 102, LENGTHS = 103, ORDER = 104, THINK = 105;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Synthetic() {}

    /** Writes run {@code index} of {@code kind} ({@code length} tokens) at {@code out[at]}; returns where it ends. */
    static int write(int[] out, int at, long seed, long kind, long index, int length) {
        if (length <= 0) {
            return at;
        }
        long base = BlockHasher.mix(seed * GOLDEN + kind);
        out[at] = FIRST_TOKEN + (int) Math.floorMod(base + index, (long) VOCABULARY);
        long stream = BlockHasher.mix(base ^ BlockHasher.mix(index + 0x632BE59BD9B4E019L));
        for (int i = 1; i < length; i++) {
            out[at + i] = FIRST_TOKEN + (int) Long.remainderUnsigned(BlockHasher.mix(stream + i * GOLDEN), VOCABULARY);
        }
        return at + length;
    }

    /** A random stream for one purpose of one seeded workload: the same numbers every time. */
    /** The iterator every generator returns: request i made by {@code make} when reached, for i from 0 to size - 1. */
    static java.util.Iterator<WorkloadRequest> requests(int size, java.util.function.IntFunction<WorkloadRequest> make) {
        return new java.util.Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public WorkloadRequest next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return make.apply(next++);
            }
        };
    }

    static SplittableRandom random(long seed, long purpose) {
        return new SplittableRandom(BlockHasher.mix(seed * GOLDEN + purpose * 0xC2B2AE3D27D4EB4FL));
    }

    /** An exponential gap of mean {@code mean}: a Poisson process's inter-arrival time. */
    static double exponential(SplittableRandom rng, double mean) {
        return -mean * Math.log(1.0 - rng.nextDouble());
    }

    /** A length drawn uniformly from [min, max]. */
    static int uniform(SplittableRandom rng, int min, int max) {
        return min == max ? min : rng.nextInt(min, max + 1);
    }

    /** An unmodifiable map keeping its keys in the order given: {@code key, value, key, value...}. */
    static Map<String, Number> ordered(Object... keysAndValues) {
        Map<String, Number> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], (Number) keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * The defaults with {@code given} over them. Every given key must be one of the defaults' and of
     * its kind: a whole number where the default is one.
     */
    static Map<String, Number> merge(String workload, Map<String, Number> defaults, Map<String, ? extends Number> given) {
        Map<String, Number> out = new LinkedHashMap<>(defaults);
        for (Map.Entry<String, ? extends Number> e : given.entrySet()) {
            Number d = defaults.get(e.getKey());
            if (d == null) {
                throw new IllegalArgumentException(workload + " has no parameter '" + e.getKey() + "'; its parameters: "
                        + String.join(", ", defaults.keySet()));
            }
            Number v = e.getValue();
            boolean whole = v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
            if ((d instanceof Integer || d instanceof Long) && !whole) {
                throw new IllegalArgumentException(workload + ": " + e.getKey() + " must be an integer, was " + v);
            }
            out.put(e.getKey(), d instanceof Integer ? (Number) toInt(workload, e.getKey(), v.longValue())
                    : d instanceof Long ? (Number) v.longValue() : (Number) v.doubleValue());
        }
        return out;
    }

    private static int toInt(String workload, String key, long v) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(workload + ": " + key + " is out of range, was " + v);
        }
        return (int) v;
    }

    static int intIn(String workload, String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(workload + ": " + name + " must be an integer in [" + min + ", " + max
                    + "], was " + value);
        }
        return value;
    }

    /** A number in [min, max], or (min, max] when {@code minExcluded}. */
    static double numberIn(String workload, String name, double value, double min, boolean minExcluded, double max) {
        if (!(minExcluded ? value > min : value >= min) || !(value <= max)) {
            throw new IllegalArgumentException(workload + ": " + name + " must be a number in " + (minExcluded ? "(" : "[")
                    + plain(min) + ", " + plain(max) + "], was " + value);
        }
        return value;
    }

    /** {@code min <= max} for a pair of length bounds. */
    static void minNotAboveMax(String workload, String minName, int min, String maxName, int max) {
        if (min > max) {
            throw new IllegalArgumentException(workload + ": " + minName + " (" + min + ") must not exceed " + maxName
                    + " (" + max + ")");
        }
    }

    /** A product of counts that must stay under {@link #MAX_COUNT}, e.g. requests = groups x prompts per group. */
    static int product(String workload, String what, long a, long b) {
        if (a * b > MAX_COUNT) {
            throw new IllegalArgumentException(workload + ": " + what + " must be at most " + MAX_COUNT + ", was " + a * b);
        }
        return (int) (a * b);
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
