package dev.hearth.platform.gateway;

import dev.hearth.platform.metrics.PrometheusMetrics;
import dev.hearth.router.Router;
import dev.hearth.router.tokens.PromptBlocks;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Handler;
import dev.hearth.platform.tracing.RequestSpan;
import dev.hearth.platform.tracing.Tracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP gateway in front of the replicas: OpenAI-compatible routes, routed by a {@link Router},
 * plus /health and /metrics; a prober keeps each replica's health and load (from its /metrics)
 * current. Every inference response says where it went and why: {@code x-hearth-replica},
 * {@code x-hearth-route}.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    /** One route the gateway itself serves, as the reference docs and skills show it. */
    public record Route(String method, String path, String summary) {}

    /** The gateway's own routes; the control API, MCP and skills add theirs as extensions. */
    public static final List<Route> ROUTES = List.of(
            new Route("POST", "/v1/chat/completions", "OpenAI chat completions, streaming or not, routed to the replica that holds the prompt's prefix"),
            new Route("POST", "/v1/completions", "OpenAI completions, streaming or not, routed the same way"),
            new Route("GET", "/v1/models", "The models served: every deployment's name and the model id its engines serve"),
            new Route("GET", "/health", "200 while at least one replica is healthy, else 503, with the counts"),
            new Route("GET", "/metrics", "Prometheus text: requests, latencies, cache hits, replica load, warm nodes"));

    /** Connections the kernel may hold for Jetty to accept (the listen backlog, capped by somaxconn). */
    static final int ACCEPT_QUEUE = 4096;

    private final ReplicaGroups groups;
    private final ApiKeys apiKeys;
    private final dev.hearth.router.cache.PredictionStore cache;
    private final PrometheusMetrics metrics;
    private final boolean ownMetrics;
    private final LongSupplier clock;
    private final Javalin app;
    private final Thread prober;
    private final Tracing tracing;
    private final IdleStreamWatch idle;
    private volatile boolean closed;

    /**
     * @param groups     the deployments served; they may change while the gateway runs
     * @param cache      the prediction cache's store, or null to run without one
     * @param extensions more routes on the same server (the control API, MCP), registered in order
     */
    public Gateway(GatewayConfig config, ReplicaGroups groups, dev.hearth.router.cache.PredictionStore cache,
                   LongSupplier clock, List<Consumer<JavalinConfig>> extensions) {
        this(config, groups, cache, clock, extensions, null, SharedState.local(config.tenantConcurrency()));
    }

    /**
     * @param metrics what /metrics serves, with the other parts' meters (the nodepools', say) bound to
     *                it; null for a registry of the gateway's own
     * @param shared  what this gateway shares with others serving the same deployments (sessions, limits, decisions)
     */
    public Gateway(GatewayConfig config, ReplicaGroups groups, dev.hearth.router.cache.PredictionStore cache,
                   LongSupplier clock, List<Consumer<JavalinConfig>> extensions, PrometheusMetrics metrics,
                   SharedState shared) {
        this(config, groups, cache, clock, extensions, metrics, shared, Tracing.off());
    }

    /** @param tracing spans of each inference request (closed, so flushed, with the gateway), or {@link Tracing#off()} */
    public Gateway(GatewayConfig config, ReplicaGroups groups, dev.hearth.router.cache.PredictionStore cache,
                   LongSupplier clock, List<Consumer<JavalinConfig>> extensions, PrometheusMetrics metrics,
                   SharedState shared, Tracing tracing) {
        this.groups = groups;
        this.tracing = tracing;
        this.ownMetrics = metrics == null;
        this.metrics = ownMetrics ? new PrometheusMetrics() : metrics;
        GatewayMeters meters = new GatewayMeters(this.metrics.registry(), groups, cache);
        this.metrics.add(meters);
        this.apiKeys = config.apiKeys();
        this.cache = cache;
        Duration probeInterval = config.probeInterval();
        this.clock = clock;
        this.idle = new IdleStreamWatch(config.upstream().idleTimeout());
        GatewayApi api = new GatewayApi(groups, config, cache, clock, meters, shared, tracing, idle);
        this.app = Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.concurrency.useVirtualThreads = true;
            javalin.http.compressionStrategy = CompressionStrategy.NONE;
            javalin.http.maxRequestSize = config.maxBodyBytes();
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            // Jetty's default accept queue is the JDK's 50: a burst of new connections (StreamingLoadTest's
            // 2,000 streams at once) overflows it and the kernel drops them, so clients see resets.
            javalin.jetty.addConnector((server, http) -> {
                var connector = new org.eclipse.jetty.server.ServerConnector(server,
                        new org.eclipse.jetty.server.HttpConnectionFactory(http));
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setAcceptQueueSize(ACCEPT_QUEUE);
                return connector;
            });
            javalin.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
            javalin.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrors()));
            var r = javalin.routes;
            r.post("/v1/chat/completions", traced("/v1/chat/completions", api::chat));
            r.post("/v1/completions", traced("/v1/completions", api::completion));
            r.get("/v1/models", ctx -> {
                if (apiKeys != null) {
                    apiKeys.holder(ctx.header("Authorization")); // any tenant's key, as every /v1 route
                }
                ctx.json(models());
            });
            r.get("/health", ctx -> {
                long healthy = allReplicas().stream().filter(Router.ReplicaInfo::healthy).count();
                ctx.status(healthy > 0 ? 200 : 503).json(Map.of("status", healthy > 0 ? "ok" : "unavailable",
                        "healthy_replicas", healthy, "replicas", allReplicas().size()));
            });
            r.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(this.metrics.scrape()));
            r.exception(OpenAiError.class, (e, ctx) -> {
                if (e.status() == 429) {
                    ctx.header("Retry-After", "1");
                }
                ctx.status(e.status()).json(e.body());
            });
            r.error(413, ctx -> ctx.json(new OpenAiError(413, "invalid_request_error", "The request body is larger than "
                    + config.maxBodyBytes() + " bytes.", null, "request_too_large").body()));
            r.exception(Exception.class, (e, ctx) -> {
                LOG.error("request failed", e);
                ctx.status(500).json(new OpenAiError(500, "server_error", "internal error: " + e, null, null).body());
            });
            r.error(404, ctx -> {
                String type = ctx.res().getContentType();
                // No route matched: Javalin's own 404 (JSON when the client accepts it) is replaced; a route's 404 is kept.
                if (type == null || !type.startsWith("application/json") || ctx.endpoints().matchedHttpEndpoint() == null) {
                    ctx.json(OpenAiError.invalid("unknown route " + ctx.method() + " " + ctx.path(), null).body());
                }
            });
            r.error(405, ctx -> ctx.json(new OpenAiError(405, "invalid_request_error",
                    "method " + ctx.method() + " is not allowed on " + ctx.path(), null, null).body()));
            r.after(ctx -> UnreadBody.drain(ctx.req(), 4L * config.maxBodyBytes())); // the answer, not a reset
            extensions.forEach(e -> e.accept(javalin));
        });
        probeOnce();
        this.prober = Thread.ofVirtual().name("replica-prober").start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(probeInterval);
                } catch (InterruptedException e) {
                    return;
                }
                probeOnce();
            }
        });
    }

    /**
     * A gateway over a fixed set of replicas of one model ({@code config.model()}), already added
     * to {@code router} under their ids.
     */
    public static Gateway overReplicas(GatewayConfig config, Router router, List<Backend> backends, PromptBlocks prompts,
                                       dev.hearth.router.cache.PredictionStore cache, LongSupplier clock) {
        ReplicaGroups groups = new ReplicaGroups();
        ReplicaGroup group = new ReplicaGroup(config.model(), new ReplicaGroup.Served(config.model(),
                config.modelVersion(), config.maxModelLen()), router, prompts, clock);
        backends.forEach(b -> group.add(b, true));
        groups.add(group);
        return new Gateway(config, groups, cache, clock, List.of());
    }

    public ReplicaGroups groups() {
        return groups;
    }

    /** An inference route inside its request's SERVER span, which ends with the status and where the request went. */
    private Handler traced(String route, Handler handler) {
        if (!tracing.on()) {
            return handler;
        }
        return ctx -> {
            try (RequestSpan span = tracing.request("POST", route, ctx::header)) {
                try {
                    handler.handle(ctx);
                    span.status(ctx.statusCode(), null);
                } catch (OpenAiError e) {
                    span.status(e.status(), e);
                    throw e;
                } catch (Exception e) {
                    span.status(500, e);
                    throw e;
                } finally {
                    span.answer("replica", ctx.res().getHeader("x-hearth-replica"))
                            .answer("route.decision", ctx.res().getHeader("x-hearth-route"))
                            .answer("cache.result", ctx.res().getHeader("x-hearth-cache"));
                }
            }
        };
    }

    private List<Router.ReplicaInfo> allReplicas() {
        return groups.all().stream().flatMap(g -> g.replicas().stream()).toList();
    }

    public Gateway start() {
        try {
            app.start();
        } catch (RuntimeException e) {
            close();
            Throwable t = e;
            while (t.getCause() != null) {
                t = t.getCause();
            }
            throw new IllegalStateException("the gateway cannot listen: " + t.getMessage(), e);
        }
        return this;
    }

    public int port() {
        return app.port();
    }

    /** Health and load of every replica: active probes of /health and /metrics. */
    void probeOnce() {
        if (apiKeys != null) {
            apiKeys.reloadIfChanged();
        }
        for (ReplicaGroup g : groups.all()) {
            g.probe();
        }
    }

    /** One card per deployment, in OpenAI's shape; {@code root} names the deployment. */
    private Map<String, Object> models() {
        List<Map<String, Object>> cards = new java.util.ArrayList<>();
        for (ReplicaGroup g : groups.all()) {
            Map<String, Object> card = new LinkedHashMap<>();
            card.put("id", g.served().model());
            card.put("object", "model");
            card.put("created", System.currentTimeMillis() / 1000);
            card.put("owned_by", "hearth");
            card.put("root", g.name());
            card.put("max_model_len", g.served().maxModelLen());
            cards.add(card);
        }
        return Map.of("object", "list", "data", cards);
    }

    @Override
    public void close() {
        closed = true;
        prober.interrupt();
        app.stop();
        idle.close();
        groups.all().forEach(ReplicaGroup::close);
        if (cache != null) {
            cache.close();
        }
        if (ownMetrics) {
            metrics.close();
        }
        tracing.close();
    }
}
