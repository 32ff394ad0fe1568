package dev.hearth.enginesim.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.enginesim.engine.FillerText;
import dev.hearth.enginesim.engine.Output;
import dev.hearth.enginesim.engine.Sampling;
import dev.hearth.router.tokens.ChatMessage;
import dev.hearth.router.tokens.SimTokenizer;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible routes both engines serve: /v1/chat/completions, /v1/completions,
 * /v1/models, /tokenize and /detokenize. Shapes follow vLLM's protocol.py and serving_chat.py /
 * serving_completion.py (vllm/entrypoints/openai/), and SGLang's
 * python/sglang/srt/entrypoints/openai/protocol.py where the two differ: SGLang puts
 * {@code reasoning_content} and {@code matched_stop} on choices, vLLM {@code reasoning} (and, as
 * vLLM did from late 2025 to early 2026, {@code reasoning_content} too) and {@code stop_reason}.
 * The simulator behaves as if started with --enable-prompt-tokens-details (vLLM) or
 * --enable-cache-report (SGLang): usage reports cached prompt tokens.
 */
final class OpenAiApi {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiApi.class);
    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ServedModel model;

    OpenAiApi(ServedModel model) {
        this.model = model;
    }

    static RequestFields body(Context ctx) {
        String type = ctx.contentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw ApiError.validation("Unsupported Media Type: Only 'application/json' is allowed");
        }
        try {
            return new RequestFields(JSON.readTree(ctx.bodyAsBytes()));
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "malformed JSON" : e.getMessage().lines().findFirst().orElse("");
            throw ApiError.validation("JSON decode error: " + msg);
        }
    }

    private void checkModel(RequestFields f) {
        String requested = f.string("model");
        if (model.flavor() == Flavor.VLLM && requested != null && !requested.isEmpty() && !requested.equals(model.name())) {
            throw ApiError.modelNotFound(requested);
        }
    }

    /** The request's sampling settings, validated as vLLM's SamplingParams / SGLang's protocol do. */
    private Sampling sampling(RequestFields f, Integer maxTokens) {
        if (maxTokens != null && maxTokens < 1) {
            throw model.flavor() == Flavor.VLLM
                    ? ApiError.badRequest("max_tokens must be at least 1, got " + maxTokens
                            + ". (parameter=max_tokens, value=" + maxTokens + ")", "max_tokens")
                    : ApiError.validation("max_tokens must be positive");
        }
        Double temperature = f.number("temperature");
        if (temperature != null && temperature < 0) {
            throw ApiError.badRequest("temperature must be non-negative, got " + temperature + ".", "temperature");
        }
        Integer n = f.integer("n");
        if (n != null && n != 1) {
            throw ApiError.badRequest("n must be 1: the Hearth engine simulator generates one choice per request, got "
                    + n + ".", "n");
        }
        Double topP = f.number("top_p");
        if (topP != null && (topP <= 0 || topP > 1)) {
            throw ApiError.badRequest("top_p must be in (0, 1], got " + topP + ".", "top_p");
        }
        return new Sampling(maxTokens, f.strings("stop"), temperature == null ? 1.0 : temperature,
                f.longValue("seed"), f.bool("ignore_eos", false));
    }

    /**
     * The prefix-cache namespace: vLLM's {@code cache_salt}; SGLang's {@code cache_salt} and
     * {@code extra_key} concatenated, as its {@code OpenAIServingBase._compute_extra_key}
     * (serving_base.py) does, so a client's {@code extra_key} cannot replace a salt a gateway set.
     */
    private String salt(RequestFields f) {
        String salt = f.string("cache_salt");
        String extra = model.flavor() == Flavor.SGLANG ? f.string("extra_key") : null;
        if (extra != null && !extra.isEmpty()) {
            salt = salt == null || salt.isEmpty() ? extra : salt + extra;
        }
        if (salt != null && salt.isEmpty()) {
            throw ApiError.badRequest("Parameter 'cache_salt' must be a non-empty string if provided.", "cache_salt");
        }
        return salt;
    }

    /** Whether to stream, and the stream options, rejecting options without a stream as vLLM does. */
    private record StreamSpec(boolean stream, boolean includeUsage, boolean continuousUsage) {}

    private static StreamSpec streamSpec(RequestFields f) {
        boolean stream = f.bool("stream", false);
        RequestFields options = f.object("stream_options");
        if (options != null && !stream) {
            throw ApiError.badRequest("Stream options can only be defined when `stream=True`.", "stream_options");
        }
        boolean include = options != null && options.bool("include_usage", false);
        boolean continuous = options != null && options.bool("continuous_usage_stats", false);
        return new StreamSpec(stream, include, include && continuous);
    }

    static List<ChatMessage> messages(RequestFields f) {
        JsonNode raw = f.raw("messages");
        if (raw == null) {
            throw ApiError.validation("messages: Field required");
        }
        if (!raw.isArray() || raw.isEmpty()) {
            throw RequestFields.wrongType("messages", "a non-empty list of messages", raw);
        }
        List<ChatMessage> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : raw) {
            String at = "messages." + i++;
            if (!m.isObject()) {
                throw RequestFields.wrongType(at, "a valid dictionary", m);
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual()) {
                throw ApiError.validation(at + ".role: Field required (a string such as \"user\")");
            }
            out.add(new ChatMessage(role.asText(), content(at, m.get("content"))));
        }
        return out;
    }

    private static String content(String at, JsonNode c) {
        if (c == null || c.isNull()) {
            return "";
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (!c.isArray()) {
            throw RequestFields.wrongType(at + ".content", "a string or a list of content parts", c);
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : c) {
            JsonNode type = part.get("type");
            if (type == null || !"text".equals(type.asText()) || !part.path("text").isTextual()) {
                throw ApiError.badRequest(at + ".content: only text parts ({\"type\": \"text\", \"text\": ...}) "
                        + "are supported by this model", "messages");
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }

    void chat(Context ctx) throws Exception {
        RequestFields f = body(ctx);
        checkModel(f);
        List<ChatMessage> messages = messages(f);
        Integer maxTokens = f.integer("max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = f.integer("max_tokens");
        }
        int[] prompt = model.tokenizer().encode(model.template().render(messages, f.bool("add_generation_prompt", true)));
        generate(ctx, f, prompt, maxTokens, true, toolToCall(f));
    }

    /**
     * The function the model will call, or null. With tools given, tool_choice "required" calls the
     * first tool and {"type": "function", "function": {"name": N}} calls N; "auto" and "none" answer
     * in text, as vLLM does without --enable-auto-tool-choice.
     */
    static String toolToCall(RequestFields f) {
        JsonNode tools = f.raw("tools");
        if (tools == null) {
            return null;
        }
        if (!tools.isArray() || tools.isEmpty()) {
            throw RequestFields.wrongType("tools", "a non-empty list of tools", tools);
        }
        for (JsonNode t : tools) {
            if (!t.path("function").path("name").isTextual()) {
                throw ApiError.validation("tools: each tool needs function.name");
            }
        }
        JsonNode choice = f.raw("tool_choice");
        if (choice == null || (choice.isTextual() && !choice.asText().equals("required"))) {
            return null;
        }
        if (choice.isTextual()) {
            return tools.get(0).path("function").path("name").asText();
        }
        String name = choice.path("function").path("name").asText(null);
        for (JsonNode t : tools) {
            if (t.path("function").path("name").asText().equals(name)) {
                return name;
            }
        }
        throw ApiError.badRequest("tool_choice names a function that is not among tools: " + name, "tool_choice");
    }

    void completion(Context ctx) throws Exception {
        RequestFields f = body(ctx);
        checkModel(f);
        int[] prompt = completionPrompt(f.raw("prompt"));
        Integer maxTokens = f.has("max_tokens") ? f.integer("max_tokens") : Integer.valueOf(16);
        generate(ctx, f, prompt, maxTokens, false, null);
    }

    /** What chat and text completions share once the prompt is tokens: validate, submit, answer. */
    private void generate(Context ctx, RequestFields f, int[] prompt, Integer maxTokens, boolean chat, String tool)
            throws Exception {
        Sampling sampling = sampling(f, maxTokens);
        String salt = salt(f);
        StreamSpec spec = streamSpec(f);
        model.checkLength(prompt.length, maxTokens);
        model.faults().beforeRequest();
        String id = (chat ? "chatcmpl-" : "cmpl-") + requestId(ctx);
        Generation gen = model.start(prompt, salt, sampling);
        LOG.debug("{} prompt={} max_tokens={} stream={}", id, prompt.length, maxTokens, spec.stream());
        if (spec.stream()) {
            stream(ctx, gen, id, chat, spec, tool);
        } else {
            complete(ctx, gen, id, chat, tool);
        }
    }

    /** The JSON arguments of a simulated tool call, whose single string field holds the generated text. */
    static String toolArgumentsOpen() {
        return "{\"input\": \"";
    }

    static String jsonEscape(String s) {
        String q = new com.fasterxml.jackson.databind.node.TextNode(s).toString();
        return q.substring(1, q.length() - 1);
    }

    private int[] completionPrompt(JsonNode p) {
        if (p == null) {
            throw ApiError.validation("prompt: Field required");
        }
        if (p.isTextual()) {
            return model.tokenizer().encode(p.asText());
        }
        if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            return model.tokenizer().encode(p.get(0).asText());
        }
        if (p.isArray() && !p.isEmpty() && p.get(0).isIntegralNumber()) {
            int[] ids = new int[p.size()];
            for (int i = 0; i < ids.length; i++) {
                JsonNode t = p.get(i);
                if (!t.isIntegralNumber() || !t.canConvertToInt() || t.asInt() < 0 || t.asInt() >= SimTokenizer.VOCAB_SIZE) {
                    throw ApiError.badRequest("Token id " + t + " is out of vocabulary (0.." + (SimTokenizer.VOCAB_SIZE - 1)
                            + ")", "prompt");
                }
                ids[i] = t.asInt();
            }
            return ids;
        }
        if (p.isArray() && p.size() > 1) {
            throw ApiError.badRequest("Batched prompts are not supported by the Hearth engine simulator: send one "
                    + "prompt per request", "prompt");
        }
        throw RequestFields.wrongType("prompt", "a string, a list with one string, or a list of token ids", p);
    }

    private static String requestId(Context ctx) {
        String given = ctx.header("X-Request-Id");
        return given != null && given.matches("[A-Za-z0-9._:-]{1,128}") ? given : ServedModel.randomId();
    }

    private void complete(Context ctx, Generation gen, String id, boolean chat, String tool) throws InterruptedException {
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        Output last = null;
        int count = 0;
        Output o;
        while ((o = gen.next()) != null) {
            count++;
            last = o;
            if (o.part() == FillerText.Part.REASONING) {
                reasoning.append(o.text());
            } else if (o.part() == FillerText.Part.CONTENT) {
                content.append(o.text());
            }
        }
        ObjectNode body = envelope(id, chat ? "chat.completion" : "text_completion");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        if (chat) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            if (tool != null) {
                message.putNull("content");
                ObjectNode call = message.putArray("tool_calls").addObject();
                call.put("id", "chatcmpl-tool-" + ServedModel.randomId());
                call.put("type", "function");
                call.putObject("function").put("name", tool)
                        .put("arguments", toolArgumentsOpen() + jsonEscape(content.toString()) + "\"}");
            } else {
                message.put("content", content.toString());
                if (model.flavor() == Flavor.VLLM) {
                    message.putArray("tool_calls");
                } else {
                    message.putNull("tool_calls");
                }
            }
            putReasoning(message, model.reasoning() ? reasoning.toString() : null);
        } else {
            choice.put("text", content.toString());
        }
        choice.putNull("logprobs");
        finish(choice, last);
        if (tool != null) {
            choice.put("finish_reason", "tool_calls");
        }
        body.set("usage", usage(last, count));
        // Not an engine header: the simulated time to first token, for tests and benchmarks.
        ctx.header("x-sim-ttft-seconds", String.format(java.util.Locale.ROOT, "%.6f", last.ttft()));
        ctx.status(200).contentType("application/json").result(body.toString());
    }

    private void stream(Context ctx, Generation gen, String id, boolean chat, StreamSpec spec, String tool) throws Exception {
        SseWriter sse = new SseWriter(ctx);
        String object = chat ? "chat.completion.chunk" : "text_completion";
        int count = 0;
        boolean toolStarted = false;
        try {
            if (chat) {
                ObjectNode first = envelope(id, object);
                ObjectNode choice = first.putArray("choices").addObject();
                choice.put("index", 0);
                ObjectNode delta = choice.putObject("delta");
                delta.put("role", "assistant");
                delta.put("content", "");
                choice.putNull("logprobs");
                choice.putNull("finish_reason");
                sse.data(first.toString());
            }
            Output o;
            Output last = null;
            while ((o = gen.next()) != null) {
                count++;
                last = o;
                if (o.part() == FillerText.Part.THINK_MARK && o.finish() == null) {
                    continue;
                }
                ObjectNode chunk = envelope(id, object);
                ObjectNode choice = chunk.putArray("choices").addObject();
                choice.put("index", 0);
                if (chat && tool != null && o.part() == FillerText.Part.CONTENT) {
                    // vLLM's streamed tool call: the first delta names it, later ones carry argument text.
                    ObjectNode call = choice.putObject("delta").putArray("tool_calls").addObject();
                    call.put("index", 0);
                    String fragment = jsonEscape(o.text()) + (o.finish() != null ? "\"}" : "");
                    if (!toolStarted) {
                        toolStarted = true;
                        call.put("id", "chatcmpl-tool-" + ServedModel.randomId());
                        call.put("type", "function");
                        call.putObject("function").put("name", tool).put("arguments", toolArgumentsOpen() + fragment);
                    } else {
                        call.putObject("function").put("arguments", fragment);
                    }
                } else if (chat) {
                    ObjectNode delta = choice.putObject("delta");
                    if (o.part() == FillerText.Part.REASONING) {
                        putReasoning(delta, o.text());
                    } else {
                        delta.put("content", o.part() == FillerText.Part.CONTENT ? o.text() : "");
                    }
                } else {
                    choice.put("text", o.text());
                }
                choice.putNull("logprobs");
                if (o.finish() != null) {
                    finish(choice, o);
                    if (tool != null) {
                        choice.put("finish_reason", "tool_calls");
                    }
                } else {
                    choice.putNull("finish_reason");
                }
                if (spec.continuousUsage()) {
                    chunk.set("usage", usage(o, count));
                }
                sse.data(chunk.toString());
                if (count == 1 && model.faults().stallMs() > 0) {
                    Thread.sleep(model.faults().stallMs());
                }
                int drop = model.faults().dropAfterChunks();
                if (drop >= 0 && sse.events() >= drop) {
                    gen.cancel();
                    sse.dropConnection();
                    return;
                }
            }
            if (spec.includeUsage()) {
                ObjectNode tail = envelope(id, object);
                tail.putArray("choices");
                tail.set("usage", usage(last, count));
                sse.data(tail.toString());
            }
            sse.done();
        } catch (IOException e) {
            LOG.debug("client left stream {}: {}", id, e.toString());
            gen.cancel();
        } finally {
            gen.cancel();
        }
    }

    private void putReasoning(ObjectNode node, String text) {
        if (model.flavor() == Flavor.VLLM) {
            node.put("reasoning", text);
        }
        node.put("reasoning_content", text);
    }

    private void finish(ObjectNode choice, Output last) {
        choice.put("finish_reason", last.finish().wire());
        String key = model.flavor() == Flavor.VLLM ? "stop_reason" : "matched_stop";
        if (last.stopReason() != null) {
            choice.put(key, last.stopReason());
        } else if (last.finish() == dev.hearth.enginesim.engine.FinishReason.STOP) {
            choice.put(key, last.tokenId()); // stopped on the EOS token: engines name its id
        } else {
            choice.putNull(key);
        }
    }

    private ObjectNode envelope(String id, String object) {
        ObjectNode n = NODES.objectNode();
        n.put("id", id);
        n.put("object", object);
        n.put("created", System.currentTimeMillis() / 1000);
        n.put("model", model.name());
        return n;
    }

    static ObjectNode usage(Output o, int completionTokens) {
        ObjectNode u = NODES.objectNode();
        u.put("prompt_tokens", o.promptTokens());
        u.put("total_tokens", o.promptTokens() + completionTokens);
        u.put("completion_tokens", completionTokens);
        if (o.cachedTokens() > 0) {
            u.putObject("prompt_tokens_details").put("cached_tokens", o.cachedTokens());
        } else {
            u.putNull("prompt_tokens_details");
        }
        return u;
    }

    void models(Context ctx) {
        ObjectNode list = NODES.objectNode();
        list.put("object", "list");
        ArrayNode data = list.putArray("data");
        ObjectNode card = data.addObject();
        card.put("id", model.name());
        card.put("object", "model");
        card.put("created", System.currentTimeMillis() / 1000);
        card.put("owned_by", model.flavor().wireName());
        card.put("root", model.name());
        card.putNull("parent");
        card.put("max_model_len", model.maxModelLen());
        if (model.flavor() == Flavor.VLLM) {
            ObjectNode perm = card.putArray("permission").addObject();
            perm.put("id", "modelperm-" + ServedModel.randomId());
            perm.put("object", "model_permission");
            perm.put("created", System.currentTimeMillis() / 1000);
            perm.put("allow_create_engine", false);
            perm.put("allow_sampling", true);
            perm.put("allow_logprobs", true);
            perm.put("allow_search_indices", false);
            perm.put("allow_view", true);
            perm.put("allow_fine_tuning", false);
            perm.put("organization", "*");
            perm.putNull("group");
            perm.put("is_blocking", false);
        }
        ctx.json(list);
    }

    /** vLLM's /tokenize (vllm/entrypoints/serve/tokenize): a prompt, or messages with the chat template. */
    void tokenize(Context ctx) {
        RequestFields f = body(ctx);
        checkModel(f);
        int[] ids;
        if (f.has("messages")) {
            ids = model.tokenizer().encode(model.template().render(messages(f), f.bool("add_generation_prompt", true)));
        } else {
            String prompt = f.string("prompt");
            if (prompt == null) {
                throw ApiError.validation("prompt: Field required (or give messages)");
            }
            ids = model.tokenizer().encode(prompt);
        }
        ObjectNode out = NODES.objectNode();
        out.put("count", ids.length);
        out.put("max_model_len", model.maxModelLen());
        ArrayNode tokens = out.putArray("tokens");
        for (int id : ids) {
            tokens.add(id);
        }
        if (f.bool("return_token_strs", false)) {
            ArrayNode strs = out.putArray("token_strs");
            for (int id : ids) {
                String t = model.tokenizer().tokenText(id);
                strs.add(t == null ? "\uFFFD" : t);
            }
        } else {
            out.putNull("token_strs");
        }
        ctx.json(out);
    }

    void detokenize(Context ctx) {
        RequestFields f = body(ctx);
        checkModel(f);
        JsonNode tokens = f.raw("tokens");
        if (tokens == null || !tokens.isArray()) {
            throw ApiError.validation("tokens: Input should be a valid list of integers");
        }
        int[] ids = new int[tokens.size()];
        for (int i = 0; i < ids.length; i++) {
            if (!tokens.get(i).canConvertToInt()) {
                throw RequestFields.wrongType("tokens." + i, "a valid integer", tokens.get(i));
            }
            ids[i] = tokens.get(i).asInt();
        }
        ObjectNode out = NODES.objectNode();
        out.put("prompt", model.tokenizer().decode(ids));
        ctx.json(out);
    }
}
