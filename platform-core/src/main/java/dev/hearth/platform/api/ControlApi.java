package dev.hearth.platform.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.hearth.platform.deployments.DeploymentError;
import dev.hearth.platform.deployments.DeploymentService;
import dev.hearth.platform.gateway.ApiKeys;
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
    private final ApiKeys apiKeys;
    private final byte[] openApi;

    /** {@code apiKeys}: null for open access, else every call needs a valid bearer key. */
    public ControlApi(DeploymentService deployments, ApiKeys apiKeys) {
        this.deployments = deployments;
        this.apiKeys = apiKeys;
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
            "POST /api/v1/deployments/{name}/scale", "GET /api/v1/deployments/{name}/events", "GET /api/v1/events",
            "GET /api/v1/openapi.json");

    @Override
    public void accept(JavalinConfig javalin) {
        var r = javalin.routes;
        r.before("/api/v1/*", ctx -> {
            if (apiKeys != null && !ctx.path().equals("/api/v1/openapi.json")) {
                apiKeys.tenant(ctx.header("Authorization"));
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
        r.get("/api/v1/events", ctx -> json(ctx, 200, Map.of("events", deployments.events(null, limit(ctx)))));
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
