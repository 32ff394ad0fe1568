package dev.hearth.mcp;

import static dev.hearth.mcp.Tools.object;
import static dev.hearth.mcp.Tools.ok;
import static dev.hearth.mcp.Tools.open;
import static dev.hearth.mcp.Tools.prop;
import static dev.hearth.mcp.Tools.text;
import static dev.hearth.mcp.Tools.tool;
import static dev.hearth.mcp.Tools.whole;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.platform.api.ControlClient;
import dev.hearth.platform.config.ConfigTemplate;
import dev.hearth.platform.gpus.GpuCatalog;
import dev.hearth.platform.plan.DeploymentPlan;
import dev.hearth.platform.plan.SentencePlanner;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment tools: list, describe, plan from a sentence, apply, scale, delete and events, each
 * a call of the control API of the Hearth this server talks to. Long ones (apply, scale, delete)
 * send progress notifications when the call carries a progress token, and return when the work is
 * done or the timeout passes, saying which.
 */
final class DeploymentTools {
    private static final Map<String, Object> DEPLOYMENT = open(Map.of(
            "name", prop("string", "The deployment's name"),
            "status", prop("string", "progressing, available, degraded or deleting"),
            "replicas", prop("integer", "Replicas asked for"),
            "ready_replicas", prop("integer", "Replicas serving"),
            "config", prop("string", "Its config.yaml")));

    private final SentencePlanner planner = new SentencePlanner(GpuCatalog.bundled());
    private final ConfigTemplate template = new ConfigTemplate();

    List<ToolDef> all() {
        return List.of(
                tool("deployments_list", "List deployments",
                        "Lists the model deployments Hearth serves: name, model, status and ready replicas. Use it first to "
                                + "find a deployment's name. Paginated: pass next_cursor back as cursor.",
                        object(Map.of("cursor", prop("string", "From a previous call's next_cursor"))),
                        open(Map.of("deployments", Map.of("type", "array"), "total", prop("integer", "All deployments"),
                                "next_cursor", prop("string", "Present when more remain"))),
                        Tools.Hints.READ, this::list),
                tool("deployment_describe", "Describe a deployment",
                        "Shows one deployment in full: its config.yaml, generation, each replica's phase, URL and log, and "
                                + "its last events. Use it to check progress or find why a deployment is degraded.",
                        object(Map.of("name", prop("string", "The deployment's name")), "name"),
                        DEPLOYMENT, Tools.Hints.READ, (ex, req, args, api) -> {
                            String name = text(args, "name", true);
                            Map<String, Object> out = Tools.JSON.convertValue(get(api, name), Map.class);
                            out.put("events", api.call("GET", "/api/v1/deployments/" + Tools.segment(name) + "/events?limit=20", null)
                                    .path("events"));
                            return ok(out);
                        }),
                tool("deployment_plan", "Plan a deployment from a sentence",
                        "Turns a plain sentence (\"Deploy Qwen3-0.6B with vLLM on 2 replicas in us-east\") into a plan: "
                                + "model, engine, replicas, GPU, instance, nodepool, and the config.yaml it would apply. "
                                + "Applies nothing; names phrases it could not place and parts missing or contradictory.",
                        object(Map.of("sentence", prop("string", "What to deploy, in words"),
                                "name", prop("string", "The deployment's name (default: from the sentence or model)")),
                                "sentence"),
                        open(Map.of("name", prop("string", "Deployment name"), "config", prop("string", "config.yaml"),
                                "applicable", prop("boolean", "False when problems stop it"),
                                "problems", Map.of("type", "array"), "unplaced", Map.of("type", "array"))),
                        Tools.Hints.READ, (ex, req, args, api) -> ok(plan(text(args, "sentence", true), text(args, "name", false)))),
                tool("deployment_apply", "Apply a deployment",
                        "Creates a deployment, or updates an existing one with a rolling update, from a sentence or a "
                                + "config.yaml, then waits until every replica is ready or the timeout passes and says "
                                + "which. Sends progress notifications. Plan first with deployment_plan to check it.",
                        object(Map.of("sentence", prop("string", "What to deploy, in words (or give config)"),
                                "config", prop("string", "A config.yaml (or give sentence)"),
                                "name", prop("string", "The deployment's name (default: from the sentence or model)"),
                                "timeout_seconds", Map.of("type", "integer", "minimum", 1, "maximum", 1800,
                                        "description", "How long to wait for readiness (default 300)"))),
                        open(Map.of("deployment", DEPLOYMENT, "done", prop("boolean", "True when every replica is ready"),
                                "message", prop("string", "What happened"))),
                        Tools.Hints.CHANGE, this::apply),
                tool("deployment_scale", "Scale a deployment",
                        "Sets how many replicas a deployment runs, within its config's replicas.min and replicas.max; 0 "
                                + "stops them all (destructive). Waits until the count is reached or the timeout passes, "
                                + "with progress notifications.",
                        object(Map.of("name", prop("string", "The deployment's name"),
                                "replicas", Map.of("type", "integer", "minimum", 0, "maximum", 64),
                                "timeout_seconds", Map.of("type", "integer", "minimum", 1, "maximum", 1800)),
                                "name", "replicas"),
                        open(Map.of("deployment", DEPLOYMENT, "done", prop("boolean", "True when the count is reached"),
                                "message", prop("string", "What happened"))),
                        Tools.Hints.DESTROY, this::scale),
                tool("deployment_delete", "Delete a deployment",
                        "Deletes a deployment: its replicas drain (requests in flight finish) and stop, then it is "
                                + "forgotten. Cannot be undone. Waits until it is gone or the timeout passes.",
                        object(Map.of("name", prop("string", "The deployment's name"),
                                "timeout_seconds", Map.of("type", "integer", "minimum", 1, "maximum", 1800)), "name"),
                        open(Map.of("done", prop("boolean", "True when it is gone"), "message", prop("string", "What happened"))),
                        Tools.Hints.DESTROY, this::delete),
                tool("replica_logs", "Replica logs",
                        "The last lines of a replica's log (the newest replica's when none is named), at most 1000: "
                                + "the engine's own output. Use it when a replica failed or is slow to start.",
                        object(Map.of("name", prop("string", "The deployment's name"),
                                "replica", prop("string", "A replica id from deployment_describe"),
                                "lines", Map.of("type", "integer", "minimum", 1, "maximum", 1000)), "name"),
                        open(Map.of("replica", prop("string", "Whose log"), "lines", Map.of("type", "array"),
                                "truncated", prop("boolean", "True when older lines were left out"))),
                        Tools.Hints.READ, (ex, req, args, api) -> {
                            String name = text(args, "name", true);
                            String replica = text(args, "replica", false);
                            int lines = whole(args, "lines", 100, 1, 1000);
                            HttpResponse<String> r = api.send("GET", "/api/v1/deployments/" + Tools.segment(name) + "/logs?lines=" + lines
                                    + (replica == null ? "" : "&replica=" + java.net.URLEncoder.encode(replica,
                                    java.nio.charset.StandardCharsets.UTF_8)), null);
                            Tools.answer(r);
                            return ok(Tools.JSON.readTree(r.body()));
                        }),
                tool("deployment_events", "Deployment events",
                        "Recent events of one deployment (or all when no name is given), oldest first: replicas "
                                + "scheduled, started, ready, draining, failed, autoscaled. Use it to explain what happened.",
                        object(Map.of("name", prop("string", "A deployment (default: all)"),
                                "limit", Map.of("type", "integer", "minimum", 1, "maximum", 200))),
                        open(Map.of("events", Map.of("type", "array"))), Tools.Hints.READ, (ex, req, args, api) -> {
                            String name = text(args, "name", false);
                            int limit = whole(args, "limit", 50, 1, 200);
                            return ok(api.call("GET", name == null ? "/api/v1/events?limit=" + limit
                                    : "/api/v1/deployments/" + Tools.segment(name) + "/events?limit=" + limit, null));
                        }));
    }

    private McpSchema.CallToolResult list(McpSyncServerExchange ex, McpSchema.CallToolRequest req, Map<String, Object> args,
                                          ControlClient api)
            throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (JsonNode d : api.call("GET", "/api/v1/deployments", null).path("deployments")) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", d.path("name").asText());
            row.put("model", d.path("config").asText().lines().filter(l -> l.trim().startsWith("id:")).findFirst()
                    .map(l -> l.trim().substring(3).trim().replace("\"", "")).orElse(""));
            row.put("status", d.path("status").asText());
            row.put("replicas", d.path("replicas").asInt());
            row.put("ready_replicas", d.path("ready_replicas").asInt());
            rows.add(row);
        }
        return ok(Tools.page("deployments", rows, text(args, "cursor", false)));
    }

    private static JsonNode get(ControlClient api, String name) throws Exception {
        HttpResponse<String> r = api.send("GET", "/api/v1/deployments/" + Tools.segment(name), null);
        if (r.statusCode() == 404) {
            throw new ToolFailure("no deployment named " + name + "; call deployments_list to see the names");
        }
        return ControlClient.answer(r);
    }

    private Map<String, Object> plan(String sentence, String name) {
        DeploymentPlan plan = planner.plan(sentence, name);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", plan.name());
        out.put("applicable", plan.applicable());
        out.put("problems", plan.problems());
        out.put("unplaced", plan.unplaced());
        out.put("notes", plan.notes());
        out.put("instance", plan.instance() == null ? null : plan.instance().instance().cloud() + " "
                + plan.instance().instance().type());
        out.put("region", plan.region());
        out.put("config", plan.applicable() ? plan.config(template) : null);
        return out;
    }

    private McpSchema.CallToolResult apply(McpSyncServerExchange ex, McpSchema.CallToolRequest req, Map<String, Object> args,
                                          ControlClient api)
            throws Exception {
        String sentence = text(args, "sentence", false);
        String config = text(args, "config", false);
        String name = text(args, "name", false);
        int timeout = whole(args, "timeout_seconds", 300, 1, 1800);
        if ((sentence == null) == (config == null)) {
            throw new ToolFailure("give either 'sentence' or 'config', not both and not neither");
        }
        if (sentence != null) {
            Map<String, Object> plan = plan(sentence, name);
            if (!(Boolean) plan.get("applicable")) {
                throw new ToolFailure("cannot plan this: " + String.join("; ", (List<String>) plan.get("problems"))
                        + ". Rephrase the sentence, or call deployment_plan to see the whole plan.");
            }
            config = (String) plan.get("config");
            name = (String) plan.get("name");
        } else if (name == null) {
            throw new ToolFailure("'name' is required with 'config'");
        }
        HttpResponse<String> r = api.send("POST", "/api/v1/deployments", Map.of("name", name, "config", config));
        if (r.statusCode() == 409) {
            r = api.send("PUT", "/api/v1/deployments/" + Tools.segment(name), Map.of("config", config));
        }
        Tools.answer(r);
        String deployment = name;
        return ok(await(api, ex, req, deployment, timeout, d -> d.path("status").asText().equals("available")));
    }

    private McpSchema.CallToolResult scale(McpSyncServerExchange ex, McpSchema.CallToolRequest req, Map<String, Object> args,
                                          ControlClient api)
            throws Exception {
        String name = text(args, "name", true);
        int replicas = whole(args, "replicas", null, 0, 64);
        int timeout = whole(args, "timeout_seconds", 300, 1, 1800);
        get(api, name);
        Tools.answer(api.send("POST", "/api/v1/deployments/" + Tools.segment(name) + "/scale", Map.of("replicas", replicas)));
        return ok(await(api, ex, req, name, timeout, d -> d.path("ready_replicas").asInt() == replicas
                && d.path("replica_statuses").findValues("phase").stream().noneMatch(p -> p.asText().equals("draining")
                || p.asText().equals("starting") || p.asText().equals("warming"))));
    }

    private McpSchema.CallToolResult delete(McpSyncServerExchange ex, McpSchema.CallToolRequest req, Map<String, Object> args,
                                          ControlClient api)
            throws Exception {
        String name = text(args, "name", true);
        int timeout = whole(args, "timeout_seconds", 300, 1, 1800);
        get(api, name);
        Tools.answer(api.send("DELETE", "/api/v1/deployments/" + Tools.segment(name), null));
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        int step = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = api.send("GET", "/api/v1/deployments/" + Tools.segment(name), null);
            if (r.statusCode() == 404) {
                progress(ex, req, 1, 1, name + " is deleted");
                return ok(Map.of("done", true, "message", name + " is deleted: every replica drained and stopped"));
            }
            JsonNode d = ControlClient.answer(r);
            progress(ex, req, ++step, null, "draining " + d.path("replica_statuses").findValues("phase").stream()
                    .filter(p -> !p.asText().equals("stopped") && !p.asText().equals("failed")).count() + " replica(s)");
            Thread.sleep(250);
        }
        return ok(Map.of("done", false, "message", name + " is still deleting after " + timeout
                + " s; its replicas drain requests in flight first. Call deployment_describe to follow it."));
    }

    /** Polls the deployment with progress notifications until {@code done} or the timeout. */
    private static Map<String, Object> await(ControlClient api, McpSyncServerExchange ex, McpSchema.CallToolRequest req, String name, int timeout,
                                      java.util.function.Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + timeout * 1_000_000_000L;
        JsonNode d = get(api, name);
        while (true) {
            int want = Math.max(1, d.path("replicas").asInt());
            progress(ex, req, Math.min(want, d.path("ready_replicas").asInt()), want, d.path("ready_replicas").asInt()
                    + " of " + d.path("replicas").asInt() + " replica(s) ready (" + d.path("status").asText() + ")");
            if (done.test(d)) {
                return Map.of("deployment", d, "done", true, "message", name + " is " + d.path("status").asText() + " with "
                        + d.path("ready_replicas").asInt() + " replica(s) ready");
            }
            if (System.nanoTime() > deadline) {
                return Map.of("deployment", d, "done", false, "message", name + " is still " + d.path("status").asText()
                        + " after " + timeout + " s (" + d.path("ready_replicas").asInt() + " of " + d.path("replicas").asInt()
                        + " ready); call deployment_describe or deployment_events to see why");
            }
            Thread.sleep(250);
            d = get(api, name);
        }
    }

    private static void progress(McpSyncServerExchange ex, McpSchema.CallToolRequest req, double done, Integer total,
                                 String message) {
        Object token = req.progressToken();
        if (token != null) {
            ex.progressNotification(new McpSchema.ProgressNotification(token, done, total == null ? null : total.doubleValue(),
                    message));
        }
    }
}
