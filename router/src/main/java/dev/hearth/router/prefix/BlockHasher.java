package dev.hearth.router.prefix;

/**
 * Chained block hashes of a token sequence, as vLLM's automatic prefix caching defines them
 * (vllm/v1/core/kv_cache_utils.py, {@code hash_block_tokens} and {@code hash_request_tokens}):
 * the sequence is cut into full blocks of {@code blockSize} tokens and each block's hash covers
 * its parent's hash, its own tokens and, for the first block only, the request's
 * {@code cache_salt}. Equal hashes therefore mean an equal whole prefix, and two salts never
 * share a block. A trailing partial block has no hash, as in vLLM.
 *
 * <p>vLLM hashes with SHA-256 over a serialised tuple; we mix 64-bit words with MurmurHash3's
 * finaliser instead, which is about 50x cheaper and keeps collisions negligible at the scale of
 * one cluster's KV caches. Consumers never need the engine's own function: KV events carry the
 * token ids, so a router can rebuild its keys (llm-d's kv-cache-manager does the same).
 */
public final class BlockHasher {
    /** The root "parent" of a first block: vLLM's NONE_HASH plays this role. */
    public static final long ROOT = 0x5bd1e995_2f2d1c3bL;

    private final int blockSize;

    public BlockHasher(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, was " + blockSize);
        }
        this.blockSize = blockSize;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Hashes of every full block of {@code tokens}, first block salted with {@code salt} (may be null). */
    public long[] hashes(int[] tokens, String salt) {
        return hashes(tokens, tokens.length, salt);
    }

    /** Like {@link #hashes(int[], String)} over the first {@code length} tokens only. */
    public long[] hashes(int[] tokens, int length, String salt) {
        int blocks = length / blockSize;
        long[] out = new long[blocks];
        long parent = ROOT;
        for (int b = 0; b < blocks; b++) {
            parent = hashBlock(parent, tokens, b * blockSize, b == 0 ? salt : null);
            out[b] = parent;
        }
        return out;
    }

    /** The hash of the block of {@code blockSize} tokens starting at {@code from}, given its parent's hash. */
    public long hashBlock(long parent, int[] tokens, int from, String salt) {
        long h = mix(parent ^ 0x9E3779B97F4A7C15L);
        for (int i = from, end = from + blockSize; i < end; i++) {
            h = mix(h ^ (tokens[i] & 0xffffffffL) * 0xC2B2AE3D27D4EB4FL);
        }
        if (salt != null && !salt.isEmpty()) {
            h = mix(h ^ 0x165667B19E3779F9L); // marks "salt follows", so no token run can mimic it
            for (int i = 0; i < salt.length(); i++) {
                h = mix(h ^ salt.charAt(i));
            }
        }
        return h;
    }

    /** MurmurHash3's 64-bit finaliser (Austin Appleby, MurmurHash3.cpp fmix64). */
    public static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb3f97f4a7c15L;
        k ^= k >>> 33;
        return k;
    }
}
