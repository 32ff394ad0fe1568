package dev.hearth.enginesim.workload;

/**
 * One request of a recorded trace: when it arrived (milliseconds from the trace's start), its
 * prompt and output lengths in tokens, and its prompt as chained block ids of {@code blockSize}
 * tokens each (equal id: the same block content after the same prefix; the last block may be partial).
 */
public record TraceRequest(long timestampMillis, int inputLength, int outputLength, long[] blockIds, int blockSize) {
    public TraceRequest {
        if (inputLength < 0 || outputLength < 0 || timestampMillis < 0) {
            throw new IllegalArgumentException("lengths and timestamp must not be negative");
        }
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block size must be positive");
        }
        long needed = (inputLength + (long) blockSize - 1) / blockSize;
        if (blockIds.length != needed) {
            throw new IllegalArgumentException(blockIds.length + " block ids for " + inputLength + " tokens in blocks of "
                    + blockSize + " (" + needed + " expected)");
        }
    }

    /** Tokens in block {@code i}: a whole block, or what is left of the prompt in the last one. */
    public int tokensInBlock(int i) {
        return Math.min(blockSize, inputLength - i * blockSize);
    }
}
