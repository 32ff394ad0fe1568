package dev.hearth.platform.shared;

import dev.hearth.platform.metrics.MetricSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import dev.hearth.platform.gateway.ReplicaGroups;
import dev.hearth.platform.gateway.SharedState;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Everything a gateway shares with the others through one Redis ({@code --redis}): session
 * bindings, API keys, tenant concurrency, learned routing decisions, and the control plane's state
 * and lease, over one {@link RedisLink}. (The
 * prediction cache keeps its own connection: the router module owns that store.)
 */
public final class SharedRedis implements AutoCloseable, MetricSource {
    private final RedisLink link;
    private final RedisSessions sessions;
    private final RedisTenantLimits limits;
    private final RedisDecisionFeed decisions;
    private final RedisKeys keys;
    private final RedisStateMirror mirror;

    public SharedRedis(String uri, ReplicaGroups groups, LongSupplier clock, int tenantConcurrency, Duration sessionTtl) {
        this.link = new RedisLink(uri, Duration.ofMillis(250));
        this.sessions = new RedisSessions(link, sessionTtl);
        this.limits = new RedisTenantLimits(link, tenantConcurrency, Duration.ofSeconds(30));
        this.decisions = new RedisDecisionFeed(link, groups, clock, Duration.ofMillis(50));
        this.keys = new RedisKeys(link);
        this.mirror = new RedisStateMirror(link);
    }

    /** Where the control plane's state is copied for the other gateways. */
    public RedisStateMirror mirror() {
        return mirror;
    }

    /** The control plane lease, held in this gateway's name ({@code self}: its address for relayed control calls). */
    public ControlPlaneLease lease(java.util.function.Supplier<String> self) {
        return new ControlPlaneLease(link, self, Duration.ofSeconds(15));
    }

    public RedisKeys keys() {
        return keys;
    }

    public SharedState state() {
        return new SharedState(sessions, limits, decisions);
    }

    public RedisLink link() {
        return link;
    }

    /** Redis' availability, decisions shared, and bindings waiting for Redis. */
    @Override
    public void bindTo(MeterRegistry registry) {
        link.bindTo(registry);
        decisions.bindTo(registry);
        Gauge.builder("hearth.sessions.unshared", sessions, RedisSessions::pending)
                .description("Session bindings made while Redis was away, waiting to be written.").register(registry);
    }

    @Override
    public void close() {
        decisions.close();
        limits.close();
        link.close();
    }
}
