package dev.hearth.enginesim.engine;

/**
 * The performance of one model on one GPU, as the constants of a per-step latency model:
 * <pre>
 *   step = overhead + max(weightPass, tokens * perToken)           (weights: memory floor vs GEMM compute)
 *        + attentionPairs * attentionPerPair                        (prefill attention, quadratic)
 *        + decodeSeqs * perDecodeSeq + decodeContext * perContextToken   (LM head, sampling; KV reads)
 * </pre>
 * {@code tokens} counts every token scheduled in the step, {@code attentionPairs} sums over prefill
 * chunks c * (p + c/2) for a chunk of c tokens after p computed ones, and {@code decodeContext} is the
 * KV length the decode batch reads. The form follows Vidur's per-iteration model (Agrawal et al.,
 * MLSys 2024, microsoft/vidur); each profile's {@code source} says where its numbers come from.
 */
public record Profile(
        String name,
        String model,
        String source,
        double overhead,
        double weightPass,
        double perToken,
        double attentionPerPair,
        double perDecodeSeq,
        double perContextToken,
        int kvBlocks,
        int maxModelLen,
        int maxNumSeqs,
        int maxNumBatchedTokens) {

    /** Seconds one scheduler step takes. */
    public double stepSeconds(long prefillTokens, double attentionPairs, int decodeSeqs, long decodeContext) {
        long tokens = prefillTokens + decodeSeqs;
        return overhead + Math.max(weightPass, tokens * perToken) + attentionPairs * attentionPerPair
                + decodeSeqs * perDecodeSeq + decodeContext * perContextToken;
    }
}
