package dev.hearth.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.hearth.platform.deployments.DeploymentError;
import dev.hearth.platform.deployments.DeploymentService;
import dev.hearth.platform.gateway.ApiKeys;
import dev.hearth.platform.gateway.MetricHistory;
import dev.hearth.platform.gateway.ReplicaGroup;
import dev.hearth.platform.gateway.ReplicaGroups;
import dev.hearth.router.Router;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.tokens.ChatMessage;
import dev.hearth.platform.nodepools.NodePoolService;
import dev.hearth.warmpools.NodePool;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The control API under {@code /api/v1}: deployments (create, get, list, scale, update, delete) and
 * their events, JSON in and out with snake_case names, described by {@code /api/v1/openapi.json}.
 * Errors share the OpenAI shape the inference routes use, {"error": {"message", "type", "code"}},
 * plus {@code problems} for a config's every problem.
 */
public final class ControlApi implements Consumer<JavalinConfig> {
    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    private static final int MAX_EVENTS = 1_000;

    private final DeploymentService deployments;
    private final NodePoolService nodePools;
    private final ReplicaGroups groups;
    private final ApiKeys apiKeys;
    private final MetricHistory history;
    private final byte[] openApi;

    /**
     * {@code apiKeys}: null for open access, else every call but the OpenAPI description needs an
     * admin key (a tenant's key may call /v1 only); {@code history}
     * samples the same {@code groups} for {@code /history}.
     */
    public ControlApi(DeploymentService deployments, NodePoolService nodePools, ReplicaGroups groups, ApiKeys apiKeys,
                      MetricHistory history) {
        this.deployments = deployments;
        this.nodePools = nodePools;
        this.groups = groups;
        this.apiKeys = apiKeys;
        this.history = history;
        try (InputStream in = ControlApi.class.getResourceAsStream("openapi.json")) {
            this.openApi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every route this API serves, as "METHOD path" (the OpenAPI description is tested against it). */
    public static final List<String> ROUTES = List.of(
            "GET /api/v1/deployments", "POST /api/v1/deployments", "GET /api/v1/deployments/{name}",
            "PUT /api/v1/deployments/{name}", "DELETE /api/v1/deployments/{name}",
            "POST /api/v1/deployments/{name}/scale", "GET /api/v1/deployments/{name}/events",
            "GET /api/v1/deployments/{name}/logs", "GET /api/v1/deployments/{name}/metrics",
            "GET /api/v1/deployments/{name}/history",
            "GET /api/v1/deployments/{name}/decisions", "POST /api/v1/deployments/{name}/explain", "GET /api/v1/events",
            "GET /api/v1/openapi.json", "GET /api/v1/nodepools", "POST /api/v1/nodepools",
            "GET /api/v1/nodepools/{name}", "PUT /api/v1/nodepools/{name}", "DELETE /api/v1/nodepools/{name}");

    /** A pool's fields as the API takes them, with the defaults of a new pool. */
    private static final Set<String> POOL_FIELDS = Set.of("name", "provider", "instance_type", "gpu_kind", "gpus_per_node",
            "min_nodes", "max_nodes", "priority", "warm_target", "spill_over");

    @Override
    public void accept(JavalinConfig javalin) {
        var r = javalin.routes;
        r.before("/api/v1/*", ctx -> {
            if (apiKeys != null && !ctx.path().equals("/api/v1/openapi.json")) {
                apiKeys.admin(ctx.header("Authorization")); // 401 without a key, 403 with a tenant's
            }
        });
        r.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(openApi));
        r.get("/api/v1/deployments", ctx -> json(ctx, 200, Map.of("deployments", deployments.list())));
        r.post("/api/v1/deployments", ctx -> {
            JsonNode body = body(ctx, Set.of("name", "config"));
            String name = text(body, "name");
            json(ctx, 201, deployments.create(name, config(body)));
        });
        r.get("/api/v1/deployments/{name}", ctx -> json(ctx, 200, deployments.get(ctx.pathParam("name"))));
        r.put("/api/v1/deployments/{name}", ctx -> {
            JsonNode body = body(ctx, Set.of("config"));
            json(ctx, 200, deployments.update(ctx.pathParam("name"), config(body)));
        });
        r.delete("/api/v1/deployments/{name}", ctx -> json(ctx, 202, deployments.delete(ctx.pathParam("name"))));
        r.post("/api/v1/deployments/{name}/scale", ctx -> {
            JsonNode body = body(ctx, Set.of("replicas"));
            JsonNode n = body.get("replicas");
            if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
                throw new DeploymentError(DeploymentError.Kind.INVALID, "'replicas' must be a whole number, e.g. {\"replicas\": 3}");
            }
            json(ctx, 200, deployments.scale(ctx.pathParam("name"), n.asInt()));
        });
        r.get("/api/v1/deployments/{name}/events", ctx ->
                json(ctx, 200, Map.of("events", deployments.events(ctx.pathParam("name"), limit(ctx)))));
        r.get("/api/v1/deployments/{name}/logs", ctx -> json(ctx, 200, logs(ctx.pathParam("name"),
                ctx.queryParam("replica"), ctx.queryParam("lines"))));
        r.get("/api/v1/deployments/{name}/metrics", ctx -> json(ctx, 200, metrics(group(ctx.pathParam("name")))));
        r.get("/api/v1/deployments/{name}/history", ctx -> json(ctx, 200, history(group(ctx.pathParam("name")))));
        r.get("/api/v1/deployments/{name}/decisions", ctx -> json(ctx, 200, Map.of("decisions",
                group(ctx.pathParam("name")).router().decisions(limit(ctx)).stream().map(ControlApi::decision).toList())));
        r.post("/api/v1/deployments/{name}/explain", ctx -> {
            ReplicaGroup g = group(ctx.pathParam("name"));
            JsonNode body = body(ctx, Set.of("messages", "prompt", "session_id"));
            Router.DecisionRecord why = g.router().explain(routeRequest(g, body), System.currentTimeMillis());
            if (why == null) {
                throw new DeploymentError(DeploymentError.Kind.CONFLICT, g.name() + " has no healthy replica to route to");
            }
            json(ctx, 200, decision(why));
        });
        r.get("/api/v1/events", ctx -> json(ctx, 200, Map.of("events", deployments.events(null, limit(ctx)))));
        r.get("/api/v1/nodepools", ctx -> json(ctx, 200, Map.of("nodepools",
                nodePools.list().stream().map(p -> pool(p, false)).toList())));
        r.post("/api/v1/nodepools", ctx -> json(ctx, 201, pool(changePools(() ->
                nodePools.create(nodePool(body(ctx, POOL_FIELDS), null))), false)));
        r.get("/api/v1/nodepools/{name}", ctx -> json(ctx, 200, pool(poolNamed(ctx.pathParam("name")), true)));
        r.put("/api/v1/nodepools/{name}", ctx -> {
            NodePool old = poolNamed(ctx.pathParam("name"));
            json(ctx, 200, pool(changePools(() -> nodePools.update(nodePool(body(ctx, POOL_FIELDS), old))), false));
        });
        r.delete("/api/v1/nodepools/{name}", ctx -> {
            poolNamed(ctx.pathParam("name"));
            try {
                nodePools.delete(ctx.pathParam("name"));
            } catch (IllegalStateException e) {
                throw new DeploymentError(DeploymentError.Kind.CONFLICT, e.getMessage());
            }
            ctx.status(204);
        });
        r.exception(DeploymentError.class, (e, ctx) -> {
            int status = switch (e.kind()) {
                case NOT_FOUND -> 404;
                case CONFLICT -> 409;
                case INVALID -> 400;
                case UNAVAILABLE -> 422;
            };
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("message", e.getMessage());
            error.put("type", status == 404 ? "not_found_error" : status == 409 ? "conflict_error" : "invalid_request_error");
            error.put("code", e.kind().name().toLowerCase(java.util.Locale.ROOT));
            if (!e.problems().isEmpty()) {
                error.put("problems", e.problems());
            }
            json(ctx, status, Map.of("error", error));
        });
    }

    /** A pool change, its refusals in the API's terms: a name taken is a conflict, a bad value invalid. */
    private static NodePool changePools(java.util.function.Supplier<NodePool> change) {
        try {
            return change.get();
        } catch (IllegalStateException e) {
            throw new DeploymentError(DeploymentError.Kind.CONFLICT, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, e.getMessage());
        }
    }

    private ReplicaGroup group(String name) {
        deployments.get(name); // 404 in the API's terms when unknown
        ReplicaGroup g = groups.get(name);
        if (g == null) {
            throw new DeploymentError(DeploymentError.Kind.NOT_FOUND, name + " is not being served");
        }
        return g;
    }

    /** Traffic, latency percentiles, cache ratios and each replica's load. */
    private static Map<String, Object> metrics(ReplicaGroup g) {
        long now = System.currentTimeMillis();
        Map<String, Object> out = new LinkedHashMap<>(g.stats().snapshot(now));
        out.put("prefix_cache_hit_ratio_estimated", Math.round(g.router().estimatedHitRatio() * 1000) / 1000.0);
        out.put("replicas", g.replicas().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("healthy", r.healthy());
            m.put("in_flight", r.inFlight());
            m.put("waiting", r.waiting());
            m.put("kv_usage", r.kvUsage());
            m.put("indexed_blocks", r.indexedBlocks());
            m.put("kv_events", r.precise());
            return m;
        }).toList());
        return out;
    }

    /** The deployment's samples over the last minutes, each one interval's figures, oldest first. */
    private Map<String, Object> history(ReplicaGroup g) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deployment", g.name());
        out.put("interval_seconds", history.interval().toMillis() / 1000.0);
        out.put("keep_seconds", history.keep().toSeconds());
        out.put("samples", history.samples(g.name()).stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", java.time.Instant.ofEpochMilli(s.time()).toString());
            m.put("requests", s.requests());
            m.put("requests_per_second", s.requestsPerSecond());
            Map<String, Object> cache = new LinkedHashMap<>();
            cache.put("lookups", s.cacheLookups());
            cache.put("hit_ratio", s.cacheHitRatio());
            m.put("prediction_cache", cache);
            m.put("prompt_blocks", s.promptBlocks());
            m.put("prefix_cache_hit_ratio_estimated", s.prefixHitRatioEstimated());
            Map<String, Object> ttfb = new LinkedHashMap<>();
            ttfb.put("count", s.firstBytes());
            ttfb.put("p50", s.firstByteP50Ms());
            ttfb.put("p99", s.firstByteP99Ms());
            m.put("time_to_first_byte_ms", ttfb);
            return m;
        }).toList());
        return out;
    }

    private static Map<String, Object> decision(Router.DecisionRecord d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("time", java.time.Instant.ofEpochMilli(d.time()).toString());
        out.put("replica", d.replica());
        out.put("reason", d.reason());
        out.put("prompt_tokens", d.promptTokens());
        out.put("prompt_blocks", d.blocks());
        out.put("cached_blocks", d.cachedBlocks());
        out.put("scoring", d.scoring());
        out.put("candidates", d.candidates().stream().map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("replica", c.replica());
            m.put("cached_blocks", c.cachedBlocks());
            m.put("in_flight", c.inFlight());
            m.put("waiting", c.waiting());
            m.put("kv_usage", c.kvUsage());
            m.put("score", Double.isNaN(c.score()) ? null : Double.isInfinite(c.score()) ? "infinity"
                    : Math.round(c.score() * 1000) / 1000.0);
            m.put("chosen", c.replica().equals(d.replica()));
            return m;
        }).toList());
        return out;
    }

    /** The prompt to explain, keyed as the gateway keys a request: chat messages or a completion prompt. */
    private static RouteRequest routeRequest(ReplicaGroup g, JsonNode body) {
        String session = body.path("session_id").isTextual() ? body.get("session_id").asText() : null;
        JsonNode messages = body.get("messages");
        if (messages != null && messages.isArray() && !messages.isEmpty()) {
            List<ChatMessage> parsed = new java.util.ArrayList<>();
            for (JsonNode m : messages) {
                if (!m.path("role").isTextual() || !m.path("content").isTextual()) {
                    throw new DeploymentError(DeploymentError.Kind.INVALID, "each message needs a string 'role' and 'content'");
                }
                parsed.add(new ChatMessage(m.get("role").asText(), m.get("content").asText()));
            }
            return g.prompts().chat(parsed, null, session);
        }
        if (body.path("prompt").isTextual()) {
            return g.prompts().completion(body.get("prompt").asText(), null, session);
        }
        throw new DeploymentError(DeploymentError.Kind.INVALID, "give 'messages' (chat) or 'prompt' (a completion) to explain");
    }

    /** The last lines of a replica's log (the first replica's when none is named), at most 1000. */
    private Map<String, Object> logs(String deployment, String replica, String lines) throws IOException {
        int n = 100;
        if (lines != null) {
            try {
                n = Integer.parseInt(lines);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 1_000) {
                throw new DeploymentError(DeploymentError.Kind.INVALID, "'lines' must be a whole number from 1 to 1000");
            }
        }
        Map<String, java.nio.file.Path> all = deployments.logs(deployment);
        String id = replica != null ? replica : all.keySet().stream().reduce((a, b) -> b).orElse(null);
        java.nio.file.Path file = id == null ? null : all.get(id);
        if (file == null) {
            throw new DeploymentError(DeploymentError.Kind.NOT_FOUND, replica == null ? deployment + " has no replica log yet"
                    : "no replica " + replica + " in " + deployment + "; its replicas: " + all.keySet());
        }
        List<String> text = java.nio.file.Files.exists(file) ? java.nio.file.Files.readAllLines(file) : List.of();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("replica", id);
        out.put("file", file.toString());
        out.put("lines", text.subList(Math.max(0, text.size() - n), text.size()));
        out.put("truncated", text.size() > n);
        return out;
    }

    private NodePool poolNamed(String name) {
        try {
            return nodePools.get(name);
        } catch (IllegalArgumentException e) {
            throw new DeploymentError(DeploymentError.Kind.NOT_FOUND, e.getMessage());
        }
    }

    /** A pool with its nodes by state and failovers; with {@code detail}, each node and the pool's events too. */
    private Map<String, Object> pool(NodePool p, boolean detail) {
        Map<String, Object> out = new LinkedHashMap<>(JSON.convertValue(p, Map.class));
        out.put("nodes", nodePools.counts(p.name()));
        out.put("failovers", nodePools.pools().failovers(p.name()));
        if (detail) {
            out.put("node_list", nodePools.pools().nodes(p.name()).stream().map(n -> Map.of("id", n.id(), "state",
                    n.state().wire(), "since", java.time.Instant.ofEpochMilli(n.since()).toString(), "replica",
                    n.replica() == null ? "" : n.replica())).toList());
            out.put("events", nodePools.events(p.name(), 50).stream().map(e -> Map.of("time",
                    java.time.Instant.ofEpochMilli(e.time()).toString(), "node", e.node() == null ? "" : e.node(),
                    "reason", e.reason(), "message", e.message())).toList());
        }
        return out;
    }

    /** A new pool from {@code body}, or {@code old} with the fields the body gives changed. */
    private static NodePool nodePool(JsonNode body, NodePool old) {
        try {
            String name = old != null ? old.name() : text(body, "name");
            if (old != null && body.has("name") && !body.get("name").asText().equals(old.name())) {
                throw new DeploymentError(DeploymentError.Kind.INVALID, "a pool cannot be renamed");
            }
            return new NodePool(name,
                    str(body, "provider", old == null ? "local" : old.provider()),
                    str(body, "instance_type", old == null ? "local" : old.instanceType()),
                    str(body, "gpu_kind", old == null ? "none" : old.gpuKind()),
                    whole(body, "gpus_per_node", old == null ? 0 : old.gpusPerNode()),
                    whole(body, "min_nodes", old == null ? 0 : old.minNodes()),
                    whole(body, "max_nodes", old == null ? 8 : old.maxNodes()),
                    whole(body, "priority", old == null ? 100 : old.priority()),
                    whole(body, "warm_target", old == null ? 0 : old.warmTarget()),
                    body.has("spill_over") ? num(body, "spill_over") : old == null ? 0.8 : old.spillOver());
        } catch (IllegalArgumentException e) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, e.getMessage());
        }
    }

    private static String str(JsonNode body, String field, String fallback) {
        JsonNode n = body.get(field);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "'" + field + "' must be a string");
        }
        return n.asText();
    }

    private static int whole(JsonNode body, String field, int fallback) {
        JsonNode n = body.get(field);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "'" + field + "' must be a whole number");
        }
        return n.asInt();
    }

    private static double num(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (!n.isNumber()) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "'" + field + "' must be a number");
        }
        return n.asDouble();
    }

    private static void json(Context ctx, int status, Object value) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode body(Context ctx, Set<String> known) {
        JsonNode body;
        try {
            body = JSON.readTree(ctx.bodyAsBytes());
        } catch (IOException e) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "the body is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (body == null || !body.isObject()) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "the body must be a JSON object with " + known);
        }
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new DeploymentError(DeploymentError.Kind.INVALID, "unknown field '" + f + "'; known: " + known);
            }
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual()) {
            throw new DeploymentError(DeploymentError.Kind.INVALID, "'" + field + "' is required and must be a string");
        }
        return n.asText();
    }

    /** The config: config.yaml text as a string, or the same keys as a JSON object. */
    private static String config(JsonNode body) {
        JsonNode c = body.get("config");
        if (c != null && c.isTextual()) {
            return c.asText();
        }
        if (c != null && c.isObject()) {
            try {
                return YAML.writeValueAsString(c);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new DeploymentError(DeploymentError.Kind.INVALID, "'config' is required: config.yaml as a string, "
                + "or its keys as an object, e.g. {\"model\": {\"id\": \"Qwen/Qwen3-0.6B\"}}");
    }

    private static int limit(Context ctx) {
        String v = ctx.queryParam("limit");
        if (v == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_EVENTS) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the error
        }
        throw new DeploymentError(DeploymentError.Kind.INVALID, "'limit' must be a whole number from 1 to " + MAX_EVENTS);
    }
}
