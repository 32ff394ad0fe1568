package dev.hearth.enginesim.kv;

/**
 * A change to an engine's prefix cache, as vLLM publishes it (vllm/distributed/kv_events.py:
 * {@code BlockStored}, {@code BlockRemoved}, {@code AllBlocksCleared}).
 */
public sealed interface KvEvent {

    /**
     * Full blocks newly cached: their hashes in chain order, the parent of the first, their tokens;
     * {@code firstBlockSalt} is the request's cache_salt when the first of them is a request's first
     * block (vLLM puts it in that block's extra_keys), else null.
     */
    record BlockStored(long[] blockHashes, Long parentBlockHash, int[] tokenIds, int blockSize, String firstBlockSalt)
            implements KvEvent {}

    /** Cached blocks evicted to make room. */
    record BlockRemoved(long[] blockHashes) implements KvEvent {}

    /** The whole prefix cache was reset (vLLM reset_prefix_cache, SGLang /flush_cache). */
    record AllBlocksCleared() implements KvEvent {}
}
