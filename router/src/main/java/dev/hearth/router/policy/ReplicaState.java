package dev.hearth.router.policy;

/**
 * One replica as a policy sees it when a request is placed.
 *
 * @param slot         the replica's slot in the prefix index (0..63)
 * @param id           its name, for headers and logs
 * @param inFlight     requests this router sent it that have not finished (exact, never stale)
 * @param waiting      requests queued inside the engine, from its last scraped metrics
 * @param kvUsage      the engine's KV cache usage, 0..1, from its last scraped metrics
 * @param cachedBlocks leading blocks of this request's prompt the replica is believed to hold
 * @param pendingBlocks prompt blocks this router sent it that it has not yet prefilled
 * @param activeBlocks  prompt blocks of all requests this router has in flight on it
 * @param indexedBlocks blocks the prefix index holds for it
 */
public record ReplicaState(int slot, String id, int inFlight, int waiting, double kvUsage, int cachedBlocks,
                           long pendingBlocks, long activeBlocks, long indexedBlocks) {

    /** The load that bounded-load placement balances: requests in flight plus those queued. */
    public int load() {
        return inFlight + waiting;
    }
}
