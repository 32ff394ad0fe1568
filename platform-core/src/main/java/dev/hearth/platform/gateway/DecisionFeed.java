package dev.hearth.platform.gateway;

/**
 * Where a gateway tells the others of the routing decisions its prefix index learned from (no KV
 * events from that replica), so every gateway's approximate index knows what the replicas were sent.
 * {@link #NONE} is a single gateway's.
 */
public interface DecisionFeed {
    /** The router placed a prompt of {@code blockHashes} on a replica and learned it. */
    void learned(String deployment, String replica, long[] blockHashes);

    DecisionFeed NONE = (deployment, replica, blockHashes) -> { };
}
