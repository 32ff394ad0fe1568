package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.cluster.PooledCache;
import dev.hearth.enginesim.workload.TraceRequest;
import dev.hearth.enginesim.workload.TraceWorkload;
import dev.hearth.enginesim.workload.Workload;
import dev.hearth.enginesim.workload.WorkloadRequest;
import dev.hearth.router.prefix.BlockHasher;
import java.util.Iterator;

/**
 * The best any router could reuse on a workload, in prompt tokens: one LRU cache with every
 * replica's KV capacity pooled ({@code hitRatio}), and one with no limit ({@code unlimitedHitRatio}),
 * both seeing every request in arrival order. A recorded trace is counted on its own block ids, the
 * count its README publishes; a generated workload on its tokens hashed in the engines' blocks.
 */
public record Ceiling(double hitRatio, double unlimitedHitRatio, long capacityTokens) {
    public static Ceiling of(Workload workload, ClusterShape shape) {
        long capacity = shape.pooledTokens();
        if (workload instanceof TraceWorkload trace) {
            PooledCache pooled = new PooledCache(capacity);
            PooledCache unlimited = PooledCache.unlimited();
            for (TraceRequest r : trace.trace()) {
                pooled.serve(r);
                unlimited.serve(r);
            }
            return new Ceiling(pooled.tokenHitRatio(), unlimited.tokenHitRatio(), capacity);
        }
        BlockHasher hasher = new BlockHasher(shape.limits().blockSize());
        PooledCache pooled = new PooledCache(capacity);
        PooledCache unlimited = PooledCache.unlimited();
        for (Iterator<WorkloadRequest> it = workload.requests(); it.hasNext(); ) {
            WorkloadRequest r = it.next();
            long[] ids = hasher.hashes(r.prompt(), null);
            pooled.serve(ids, hasher.blockSize(), r.prompt().length);
            unlimited.serve(ids, hasher.blockSize(), r.prompt().length);
        }
        return new Ceiling(pooled.tokenHitRatio(), unlimited.tokenHitRatio(), capacity);
    }
}
