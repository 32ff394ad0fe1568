package dev.hearth.enginesim.engine;

import dev.hearth.router.prefix.BlockHasher;
import java.util.Arrays;

/**
 * One request inside the engine: its tokens (prompt, then output as it is sampled), the KV
 * blocks it holds, and how far its KV is computed. Mutable, owned by the {@link EngineCore}
 * thread, which reads its fields directly; listeners see it only through {@link Output}s.
 */
public final class Sequence {
    final String id;
    final int promptLength;
    final String salt;
    final Sampling sampling;
    final int maxOutput;
    final FillerText filler;
    final OutputListener listener;
    final double arrival;

    int[] tokens;
    int length;
    long[] blockHashes;
    int hashedBlocks;
    int[] blocks = new int[8];
    int blockCount;
    int computed;
    int cachedTokens = -1;
    int registeredBlocks;
    int outputCount;
    StringBuilder text;
    double firstTokenTime = Double.NaN;
    boolean finished;
    boolean abortRequested;

    Sequence(String id, int[] prompt, String salt, Sampling sampling, int maxOutput, FillerText filler,
             OutputListener listener, double arrival, BlockHasher hasher) {
        this.id = id;
        this.promptLength = prompt.length;
        this.salt = salt;
        this.sampling = sampling;
        this.maxOutput = maxOutput;
        this.filler = filler;
        this.listener = listener;
        this.arrival = arrival;
        this.tokens = Arrays.copyOf(prompt, prompt.length + Math.min(maxOutput, 4096) + 1);
        this.length = prompt.length;
        this.blockHashes = hasher.hashes(prompt, salt);
        this.hashedBlocks = blockHashes.length;
        if (!sampling.stop().isEmpty()) {
            text = new StringBuilder();
        }
    }

    void appendToken(int token) {
        if (length == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[length++] = token;
    }

    /** Extends the chained hashes over every full block of the tokens computed so far. */
    void hashFullBlocks(BlockHasher hasher) {
        int full = computed / hasher.blockSize();
        if (full <= hashedBlocks) {
            return;
        }
        if (blockHashes.length < full) {
            blockHashes = Arrays.copyOf(blockHashes, Math.max(full, blockHashes.length * 2));
        }
        for (int b = hashedBlocks; b < full; b++) {
            long parent = b == 0 ? BlockHasher.ROOT : blockHashes[b - 1];
            blockHashes[b] = hasher.hashBlock(parent, tokens, b * hasher.blockSize(), b == 0 ? salt : null);
        }
        hashedBlocks = full;
    }

    void addBlock(int block) {
        if (blockCount == blocks.length) {
            blocks = Arrays.copyOf(blocks, blocks.length * 2);
        }
        blocks[blockCount++] = block;
    }
}
