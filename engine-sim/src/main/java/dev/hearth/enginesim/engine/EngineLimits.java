package dev.hearth.enginesim.engine;

/**
 * The capacity settings of one engine, named after vLLM's flags (--block-size, --max-model-len,
 * --max-num-seqs, --max-num-batched-tokens; the KV block count is what vLLM derives from
 * --gpu-memory-utilization and reports as "# GPU blocks").
 */
public record EngineLimits(int blockSize, int kvBlocks, int maxModelLen, int maxNumSeqs, int maxNumBatchedTokens) {
    public EngineLimits {
        require(blockSize >= 1, "--block-size must be at least 1");
        require(kvBlocks >= 1, "--kv-blocks must be at least 1");
        require(maxModelLen >= 2, "--max-model-len must be at least 2");
        require(maxNumSeqs >= 1, "--max-num-seqs must be at least 1");
        require(maxNumBatchedTokens >= 1, "--max-num-batched-tokens must be at least 1");
        // vLLM refuses to start when one request of max_model_len cannot fit in the KV cache.
        require((long) kvBlocks * blockSize >= maxModelLen, "--max-model-len " + maxModelLen
                + " does not fit in the KV cache of " + kvBlocks + " blocks of " + blockSize
                + " tokens; raise --kv-blocks or lower --max-model-len");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
