package dev.hearth.platform.nodepools;

import dev.hearth.platform.metrics.KeyedMeters;
import dev.hearth.platform.metrics.MetricSource;
import dev.hearth.warmpools.NodePool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * The warm pools on /metrics: nodes by pool and state (hearth_nodepool_nodes), failovers to a later
 * pool, and warm node-seconds, the price of keeping capacity warm. Pools come and go, so their rows
 * are brought up to date before each scrape.
 */
public final class NodePoolMeters implements MetricSource {
    private final NodePoolService pools;
    private KeyedMeters perPool;
    private MultiGauge nodes;

    public NodePoolMeters(NodePoolService pools) {
        this.pools = pools;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        perPool = new KeyedMeters(r, pool -> counters(r, pool));
        nodes = MultiGauge.builder("hearth.nodepool.nodes").description("Nodes of a pool by state.").register(r);
    }

    @Override
    public synchronized void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (NodePool p : pools.list()) {
            names.add(p.name());
            pools.counts(p.name()).forEach((state, n) ->
                    rows.add(MultiGauge.Row.of(Tags.of("pool", p.name(), "state", state), n)));
        }
        nodes.register(rows, true);
        perPool.retain(names);
    }

    private List<Meter> counters(MeterRegistry registry, String pool) {
        return List.of(
                FunctionCounter.builder("hearth.nodepool.failovers", pools, s -> s.failovers(pool)).tags("pool", pool)
                        .description("Replicas sent to a later pool because this one could not provide.").register(registry),
                FunctionCounter.builder("hearth.nodepool.warm.node.seconds", pools, s -> s.warmNodeSeconds(pool))
                        .tags("pool", pool).description("Node-seconds spent warm: the price of warm capacity.")
                        .register(registry));
    }
}
