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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a deployment's traffic came to, and how the router placed it: metrics, decisions, explanations. */
final class ObservabilityTools {

    List<ToolDef> all() {
        return List.of(
                tool("deployment_metrics", "Deployment metrics",
                        "A deployment's traffic: requests and requests/s over the last minute, time to first byte and "
                                + "end-to-end p50/p90/p99 (ms), prefix-cache hit ratio (router's estimate), prediction-cache "
                                + "hit ratio, and each replica's in-flight, queue and KV usage. Use it to diagnose slowness.",
                        object(Map.of("name", prop("string", "The deployment's name")), "name"),
                        open(Map.of("requests", prop("integer", "Since Hearth started"),
                                "requests_per_second", prop("number", "Over the last minute"),
                                "time_to_first_byte_ms", Map.of("type", "object"), "end_to_end_ms", Map.of("type", "object"),
                                "prefix_cache_hit_ratio_estimated", prop("number", "0..1"),
                                "prediction_cache", Map.of("type", "object"), "replicas", Map.of("type", "array"))),
                        Tools.Hints.READ, (ex, req, args, api) -> ok(get(api, "/api/v1/deployments/"
                                + Tools.segment(text(args, "name", true)) + "/metrics"))),
                tool("routing_decisions", "Recent routing decisions",
                        "The last routing decisions of a deployment, oldest first: the replica chosen, why (prefix-hit, "
                                + "session, least-load, fallback), prompt and cached blocks, and every candidate's cached "
                                + "blocks, load and score under the policy (scoring says which way scores point). Use it to see "
                                + "whether prompts reuse replicas' caches.",
                        object(Map.of("name", prop("string", "The deployment's name"),
                                "limit", Map.of("type", "integer", "minimum", 1, "maximum", 256)), "name"),
                        open(Map.of("decisions", Map.of("type", "array"))), Tools.Hints.READ, (ex, req, args, api) -> ok(
                                get(api, "/api/v1/deployments/" + Tools.segment(text(args, "name", true)) + "/decisions?limit="
                                        + whole(args, "limit", 20, 1, 256)))),
                tool("route_explain", "Explain a route",
                        "Which replica a prompt would go to now and why, with each candidate's cached blocks and load, "
                                + "without running it. Use it to check that a shared system prompt or a session keeps "
                                + "requests on the replica that caches them.",
                        object(Map.of("name", prop("string", "The deployment's name"),
                                "messages", Map.of("type", "array", "minItems", 1, "items", Map.of("type", "object",
                                        "required", List.of("role", "content"), "properties", Map.of(
                                                "role", prop("string", "system, user or assistant"),
                                                "content", prop("string", "The message text")))),
                                "session_id", prop("string", "The session the request would carry")),
                                "name", "messages"),
                        open(Map.of("replica", prop("string", "Where it would go"), "reason", prop("string", "Why"),
                                "cached_blocks", prop("integer", "Prompt blocks that replica holds"),
                                "candidates", Map.of("type", "array"))),
                        Tools.Hints.READ, (ex, req, args, api) -> {
                            String name = text(args, "name", true);
                            Map<String, Object> body = new LinkedHashMap<>();
                            body.put("messages", args.get("messages"));
                            String session = text(args, "session_id", false);
                            if (session != null) {
                                body.put("session_id", session);
                            }
                            return ok(Tools.answer(api.send("POST", "/api/v1/deployments/" + Tools.segment(name) + "/explain", body)));
                        }));
    }

    private static JsonNode get(ControlClient api, String path) throws Exception {
        return Tools.answer(api.send("GET", path, null));
    }
}
