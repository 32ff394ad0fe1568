package dev.hearth.router.policy;

/**
 * What a policy knows of a request: its prompt's chained block hashes (full blocks only), its
 * length in tokens, the block size, its prompt text (for policies that match on characters, as
 * SGLang's does), and its session key (null when it has none).
 */
public record RouteRequest(long[] blockHashes, int promptTokens, int blockSize, String text, String sessionKey) {
    public int blocks() {
        return blockHashes.length;
    }
}
