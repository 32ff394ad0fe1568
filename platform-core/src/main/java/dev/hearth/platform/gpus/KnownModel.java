package dev.hearth.platform.gpus;

/**
 * What sizing needs of a model, from its Hugging Face config.json: parameters (billions, including
 * embeddings), layers, key/value heads and head size (for KV bytes per token), context length, and
 * whether it thinks before answering (a reasoning model).
 */
public record KnownModel(String id, double paramsBillions, int layers, int kvHeads, int headDim, int contextLength,
                         boolean reasoning) {

    /** KV cache bytes per token: keys and values, every layer, at {@code bytesPerValue} (2 for BF16). */
    public long kvBytesPerToken(int bytesPerValue) {
        return 2L * layers * kvHeads * headDim * bytesPerValue;
    }

    /** Weight bytes at {@code bytesPerParam} (2 for BF16, 1 for FP8, 0.5 for 4-bit). */
    public long weightBytes(double bytesPerParam) {
        return (long) (paramsBillions * 1e9 * bytesPerParam);
    }
}
