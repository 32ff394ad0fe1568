package dev.hearth.enginesim.engine;

import dev.hearth.router.tokens.SimTokenizer;

/**
 * The deterministic output of a simulated model: listed words from {@link SimTokenizer#WORDS},
 * picked by a SplitMix64 stream (Steele, Lea, Flood: "Fast splittable pseudorandom number
 * generators", OOPSLA 2014) seeded by the prompt, so equal prompts give equal text and the text
 * re-tokenizes to the very ids generated. A reasoning model opens with {@code <think>}, spends
 * a quarter of its budget there, then closes it, as Qwen3 and DeepSeek-R1 do.
 */
public final class FillerText {
    /** What a generated token is part of. */
    public enum Part { THINK_MARK, REASONING, CONTENT }

    private final SimTokenizer tokenizer;
    private final boolean reasoning;
    private final int thinkTokens;
    private long state;
    private int produced;

    public FillerText(SimTokenizer tokenizer, long seed, boolean reasoning, int budget) {
        this.tokenizer = tokenizer;
        this.state = seed;
        this.reasoning = reasoning && budget >= 8;
        // <think>, the reasoning words, </think>: a quarter of the budget.
        this.thinkTokens = this.reasoning ? budget / 4 : 0;
    }

    /** The part the next token belongs to. */
    public Part nextPart() {
        if (!reasoning || produced >= thinkTokens) {
            return Part.CONTENT;
        }
        return produced == 0 || produced == thinkTokens - 1 ? Part.THINK_MARK : Part.REASONING;
    }

    public int next() {
        Part part = nextPart();
        int id;
        if (part == Part.THINK_MARK) {
            id = produced == 0 ? SimTokenizer.THINK : SimTokenizer.END_THINK;
        } else {
            // The first word of each part has no leading space, so the parts read cleanly.
            boolean first = produced == 0 || (reasoning && (produced == 1 || produced == thinkTokens));
            id = tokenizer.wordId((int) (splitMix() >>> 40), !first);
        }
        produced++;
        return id;
    }

    /** A seeded natural length for requests that set no max_tokens. */
    public static int naturalLength(long seed) {
        long z = mix(seed + 0x632BE59BD9B4E019L);
        return 24 + (int) Long.remainderUnsigned(z, 489);
    }

    private long splitMix() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
