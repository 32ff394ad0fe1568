package dev.hearth.warmpools;

/**
 * How long the parts of a replica's start take, in milliseconds: getting a node, pulling the
 * engine's image onto it, downloading the model's weights, and loading them into GPU memory
 * ({@code loadMs} from the download, {@code cachedLoadMs} from the node's own disk). A warm node's
 * placeholder has pulled the image and cached the weights while it held the node, so a replica
 * placed there only loads, from cache.
 */
public record ColdStart(long provisionMs, long pullMs, long downloadMs, long loadMs, long cachedLoadMs) {

    /** On a new node: everything, one after the other. */
    public long coldMs() {
        return provisionMs + pullMs + downloadMs + loadMs;
    }

    /** On a warm node: the weights load from its disk. */
    public long warmMs() {
        return cachedLoadMs;
    }
}
