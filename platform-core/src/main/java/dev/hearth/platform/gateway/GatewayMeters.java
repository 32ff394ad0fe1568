package dev.hearth.platform.gateway;

import dev.hearth.platform.metrics.KeyedMeters;
import dev.hearth.platform.metrics.MetricSource;
import dev.hearth.router.Router;
import dev.hearth.router.cache.PredictionStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleBiFunction;
import java.util.function.ToLongFunction;

/**
 * The gateway's meters: requests by deployment, endpoint, route reason and status; time to first
 * token and end-to-end latency histograms; the prefix-cache hit tokens the router estimated against
 * those the engine reported for the same requests; prediction-cache hits, misses and bytes; session
 * bindings and moves; engine calls that timed out and circuit breakers that opened; and each
 * replica's health, load and circuit. Names follow Prometheus' conventions
 * (https://prometheus.io/docs/practices/naming/): hearth_ prefix, base units, _total counters.
 */
final class GatewayMeters implements MetricSource {
    /** Latency buckets, in seconds: from a cache hit (about a millisecond) to a long generation. */
    private static final Duration[] BUCKETS = {ms(1), ms(2.5), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500),
            ms(1_000), ms(2_500), ms(5_000), ms(10_000), ms(30_000), ms(60_000), ms(120_000)};

    /** One per-replica gauge: its name, help text and value, from the router's view and the replica's group. */
    private record ReplicaGauge(String name, String help, ToDoubleBiFunction<ReplicaGroup, Router.ReplicaInfo> value) {}

    private static final List<ReplicaGauge> REPLICA_GAUGES = List.of(
            new ReplicaGauge("hearth.replica.healthy", "1 when the replica takes requests.", (g, r) -> r.healthy() ? 1 : 0),
            new ReplicaGauge("hearth.replica.in.flight", "Requests the gateway has in flight on the replica.",
                    (g, r) -> r.inFlight()),
            new ReplicaGauge("hearth.replica.waiting", "Requests waiting in the engine's queue, from its metrics.",
                    (g, r) -> r.waiting()),
            new ReplicaGauge("hearth.replica.kv.usage.ratio", "The engine's KV cache usage, 0..1.", (g, r) -> r.kvUsage()),
            new ReplicaGauge("hearth.prefix.index.blocks", "Blocks the prefix index holds for the replica.",
                    (g, r) -> r.indexedBlocks()),
            new ReplicaGauge("hearth.prefix.index.precise", "1 when the replica's KV events are flowing, 0 when learning "
                    + "from routing decisions.", (g, r) -> r.precise() ? 1 : 0),
            new ReplicaGauge("hearth.replica.circuit.open", "1 while the replica's circuit breaker is open or half-open "
                    + "(it takes no request but a probe), 0 when closed.", (g, r) -> g.circuitOpen(r.id()) ? 1 : 0));

    /** One per-deployment counter its replica group keeps: its name, help text and reading. */
    private record GroupCounter(String name, String help, ToLongFunction<ReplicaGroup> value) {}

    private static final List<GroupCounter> GROUP_COUNTERS = List.of(
            new GroupCounter("hearth.router.placements.over.bound", "Placements that left a replica above (1+eps) x mean load.",
                    g -> g.router().placementsOverBound()),
            new GroupCounter("hearth.session.moves", "Sessions whose replica left, so their next request was placed afresh.",
                    g -> g.router().sessionMoves()),
            new GroupCounter("hearth.session.overflows", "Session requests sent to another replica because theirs was full.",
                    g -> g.router().sessionOverflows()),
            new GroupCounter("hearth.upstream.timeouts", "Engine calls that timed out: no first byte within --upstream-timeout, "
                    + "or nothing read for --upstream-idle-timeout.", ReplicaGroup::timeouts),
            new GroupCounter("hearth.circuit.opens", "Times a replica's circuit breaker opened.", ReplicaGroup::circuitOpens));

    private final MeterRegistry registry;
    private final ReplicaGroups groups;
    private final PredictionStore cache;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Timer> firstToken = new ConcurrentHashMap<>();
    private final Map<String, Timer> duration = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private KeyedMeters routerCounters;
    private final List<MultiGauge> replicaGauges = new ArrayList<>();
    private MultiGauge sessions;

    GatewayMeters(MeterRegistry registry, ReplicaGroups groups, PredictionStore cache) {
        this.registry = registry;
        this.groups = groups;
        this.cache = cache;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        routerCounters = new KeyedMeters(r, this::routerCounters);
        for (ReplicaGauge g : REPLICA_GAUGES) {
            replicaGauges.add(MultiGauge.builder(g.name()).description(g.help()).register(r));
        }
        sessions = MultiGauge.builder("hearth.sessions").description("Session bindings the router holds.").register(r);
        if (cache != null) {
            Gauge.builder("hearth.prediction.cache.available", cache, c -> c.available() ? 1 : 0)
                    .description("1 when the prediction cache's store answers.").register(r);
            Gauge.builder("hearth.prediction.cache.entries", cache, PredictionStore::size)
                    .description("Answers the prediction cache holds (-1 when its store does not say).").register(r);
            Gauge.builder("hearth.prediction.cache.size", cache, PredictionStore::bytes).baseUnit("bytes")
                    .description("Bytes the prediction cache's entries take (-1 when its store does not say).").register(r);
        }
    }

    @Override
    public void refresh() {
        List<ReplicaGroup> all = groups.all();
        for (int i = 0; i < REPLICA_GAUGES.size(); i++) {
            ToDoubleBiFunction<ReplicaGroup, Router.ReplicaInfo> value = REPLICA_GAUGES.get(i).value();
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (ReplicaGroup g : all) {
                for (Router.ReplicaInfo info : g.replicas()) {
                    rows.add(MultiGauge.Row.of(Tags.of("deployment", g.name(), "replica", info.id()),
                            value.applyAsDouble(g, info)));
                }
            }
            replicaGauges.get(i).register(rows, true);
        }
        sessions.register(all.stream().map(g -> (MultiGauge.Row<?>) MultiGauge.Row.of(Tags.of("deployment", g.name()),
                g.router().sessions())).toList(), true);
        routerCounters.retain(all.stream().map(ReplicaGroup::name).toList());
    }

    /** The counters a deployment's group and router keep, read from whichever group serves it at scrape time. */
    private List<Meter> routerCounters(String deployment) {
        List<Meter> out = new ArrayList<>();
        for (GroupCounter c : GROUP_COUNTERS) {
            out.add(FunctionCounter.builder(c.name(), groups, gs -> {
                ReplicaGroup g = gs.get(deployment);
                return g == null ? 0 : c.value().applyAsLong(g);
            }).description(c.help()).tags("deployment", deployment).register(registry));
        }
        return out;
    }

    /** A request answered: by which route reason, with which status. */
    void request(String deployment, String endpoint, String route, int status) {
        String reason = route.split(" ", 2)[0]; // "prefix-hit blocks=124" counts as "prefix-hit"
        requests.computeIfAbsent(deployment + '|' + endpoint + '|' + reason + '|' + status, k ->
                Counter.builder("hearth.requests").description("Inference requests by deployment, endpoint, route reason "
                                + "and status.")
                        .tags("deployment", deployment, "endpoint", endpoint, "route", reason, "status", Integer.toString(status))
                        .register(registry)).increment();
    }

    /** Time from the request reaching the gateway to the first byte of its answer. */
    void firstToken(String deployment, long nanos) {
        firstToken.computeIfAbsent(deployment, d -> timer("hearth.time.to.first.token",
                "Time from a request reaching the gateway to the first byte of its answer (the first token when "
                        + "streaming).", d)).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time from the request reaching the gateway to its last byte. */
    void duration(String deployment, long nanos) {
        duration.computeIfAbsent(deployment, d -> timer("hearth.request.duration",
                "Time from a request reaching the gateway to the last byte of its answer.", d))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String name, String help, String deployment) {
        return Timer.builder(name).description(help).tags("deployment", deployment)
                .serviceLevelObjectives(BUCKETS).minimumExpectedValue(BUCKETS[0])
                .maximumExpectedValue(BUCKETS[BUCKETS.length - 1]).register(registry);
    }

    void predictionCache(String deployment, boolean hit) {
        count(hit ? "hearth.prediction.cache.hits" : "hearth.prediction.cache.misses",
                hit ? "Requests answered from the prediction cache." : "Cacheable requests the prediction cache lacked.",
                deployment, null, 1);
    }

    void predictionCacheStored(String deployment, int bytes) {
        count("hearth.prediction.cache.stored", "Bytes of answers put in the prediction cache.", deployment,
                "bytes", bytes);
    }

    /**
     * The prefix-cache hit tokens the router expected for one request against those the engine
     * reported for it (usage.prompt_tokens_details.cached_tokens), counted only for requests whose
     * engine reported usage, so the two totals cover the same requests.
     */
    void prefixCache(String deployment, int promptTokens, int estimatedHitTokens, int reportedHitTokens) {
        count("hearth.prefix.cache.prompt.tokens", "Prompt tokens of the requests whose engine reported cached tokens.",
                deployment, null, promptTokens);
        String name = "hearth.prefix.cache.hit.tokens";
        String help = "Prompt tokens found in the engine's prefix cache: as the router estimated (source=router) and as "
                + "the engine reported (source=engine), over the same requests.";
        counters.computeIfAbsent(name + "|router|" + deployment, k -> Counter.builder(name).description(help)
                .tags("deployment", deployment, "source", "router").register(registry)).increment(estimatedHitTokens);
        counters.computeIfAbsent(name + "|engine|" + deployment, k -> Counter.builder(name).description(help)
                .tags("deployment", deployment, "source", "engine").register(registry)).increment(reportedHitTokens);
    }

    private void count(String name, String help, String deployment, String unit, double amount) {
        counters.computeIfAbsent(name + '|' + deployment, k -> Counter.builder(name).description(help).baseUnit(unit)
                .tags("deployment", deployment).register(registry)).increment(amount);
    }

    private static Duration ms(double millis) {
        return Duration.ofNanos((long) (millis * 1_000_000));
    }
}
