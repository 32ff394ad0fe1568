package dev.hearth.enginesim.workload;

import dev.hearth.router.prefix.BlockHasher;

/**
 * Token prompts for a trace that records only block ids: each id stands for the same run of tokens
 * wherever it appears, so two prompts share exactly the leading blocks the trace says they share,
 * and the engines' and the router's own hashing (at any block size dividing the trace's) sees that.
 */
public final class TracePrompts {
    private static final int VOCABULARY = 140_000;
    private static final int FIRST_TOKEN = 1_000;

    private TracePrompts() {}

    public static int[] tokens(TraceRequest r) {
        int[] out = new int[r.inputLength()];
        long[] ids = r.blockIds();
        for (int b = 0; b < ids.length; b++) {
            int from = b * r.blockSize();
            for (int j = 0; j < r.tokensInBlock(b); j++) {
                out[from + j] = FIRST_TOKEN + (int) Long.remainderUnsigned(BlockHasher.mix(ids[b] * 0x9E3779B97F4A7C15L + j), VOCABULARY);
            }
        }
        return out;
    }
}
