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
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Inference through the gateway, as an application would call it, with where and how it was served. */
final class InferenceTools {

    List<ToolDef> all() {
        return List.of(tool("chat_completion", "Chat completion",
                "Sends a chat completion to a deployment through Hearth's gateway and returns the answer's text, token "
                        + "usage, prompt tokens served from the replica's prefix cache, the replica that served it and why "
                        + "it was chosen. Give session_id to keep a conversation on one replica.",
                object(Map.of("deployment", prop("string", "A deployment's name, or the model id it serves"),
                        "messages", Map.of("type", "array", "minItems", 1, "description", "OpenAI chat messages",
                                "items", Map.of("type", "object", "required", List.of("role", "content"),
                                        "properties", Map.of("role", prop("string", "system, user or assistant"),
                                                "content", prop("string", "The message text")))),
                        "max_tokens", Map.of("type", "integer", "minimum", 1, "maximum", 32768),
                        "temperature", Map.of("type", "number", "minimum", 0, "maximum", 2),
                        "session_id", prop("string", "Keeps a conversation on one replica")),
                        "deployment", "messages"),
                open(Map.of("text", prop("string", "The answer"), "replica", prop("string", "Who served it"),
                        "route", prop("string", "Why that replica"), "usage", Map.of("type", "object"),
                        "cached_tokens", prop("integer", "Prompt tokens from the prefix cache"),
                        "prediction_cache", prop("string", "hit, miss or bypass"))),
                new Tools.Hints(true, false, false, false), (ex, req, args, api) -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("model", text(args, "deployment", true));
                    Object messages = args.get("messages");
                    if (!(messages instanceof List<?> list) || list.isEmpty()) {
                        throw new ToolFailure("'messages' must be a non-empty list of {role, content}");
                    }
                    body.put("messages", new ArrayList<>(list));
                    body.put("max_tokens", whole(args, "max_tokens", 256, 1, 32_768));
                    if (args.get("temperature") instanceof Number t) {
                        body.put("temperature", t);
                    }
                    body.put("stream", false);
                    String session = text(args, "session_id", false);
                    if (session != null) {
                        body.put("user", session);
                    }
                    HttpResponse<String> r = api.send("POST", "/v1/chat/completions", body);
                    JsonNode answer = Tools.answer(r);
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("text", answer.at("/choices/0/message/content").asText(""));
                    out.put("finish_reason", answer.at("/choices/0/finish_reason").asText(""));
                    out.put("usage", answer.path("usage"));
                    out.put("cached_tokens", answer.at("/usage/prompt_tokens_details/cached_tokens").asInt(0));
                    out.put("replica", r.headers().firstValue("x-hearth-replica").orElse(""));
                    out.put("route", r.headers().firstValue("x-hearth-route").orElse(""));
                    out.put("prediction_cache", r.headers().firstValue("x-hearth-cache").orElse(""));
                    return ok(out);
                }));
    }
}
