package dev.hearth.enginesim.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.enginesim.engine.FinishReason;
import dev.hearth.enginesim.engine.Output;
import dev.hearth.enginesim.engine.Sampling;
import dev.hearth.router.tokens.SimTokenizer;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * SGLang's native routes (python/sglang/srt/entrypoints/http_server.py): /generate with
 * GenerateReqInput and SamplingParams (python/sglang/srt/managers/io_struct.py,
 * srt/sampling/sampling_params.py), /get_server_info, /get_model_info and /flush_cache.
 * /generate streams cumulative text, SGLang's default (incremental_streaming_output off), and
 * answers errors as {"error": {"message": ...}}, not in the OpenAI shape.
 */
final class SglangApi {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final String FLUSHED = "Cache flushed.\nPlease check backend logs for more details. (When there are running "
            + "or waiting requests, the operation will not be performed.)\n";

    private final ServedModel model;
    private final SimSettings settings;

    SglangApi(ServedModel model, SimSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    void generate(Context ctx) throws Exception {
        try {
            generateOrThrow(ctx);
        } catch (ApiError e) {
            ObjectNode body = NODES.objectNode();
            body.putObject("error").put("message", e.getMessage());
            ctx.status(e.status()).contentType("application/json").result(body.toString());
        }
    }

    private void generateOrThrow(Context ctx) throws Exception {
        RequestFields f = OpenAiApi.body(ctx);
        int[] prompt;
        if (f.has("input_ids")) {
            JsonNode ids = f.raw("input_ids");
            if (!ids.isArray() || ids.isEmpty()) {
                throw ApiError.badRequest("input_ids must be a non-empty list of token ids", "input_ids");
            }
            prompt = new int[ids.size()];
            for (int i = 0; i < prompt.length; i++) {
                JsonNode t = ids.get(i);
                if (!t.isIntegralNumber() || !t.canConvertToInt() || t.asInt() < 0 || t.asInt() >= SimTokenizer.VOCAB_SIZE) {
                    throw ApiError.badRequest("input_ids[" + i + "] is not a token id of this model: " + t, "input_ids");
                }
                prompt[i] = t.asInt();
            }
        } else {
            JsonNode text = f.raw("text");
            if (text == null) {
                throw ApiError.badRequest("Either text or input_ids should be provided.", null);
            }
            if (!text.isTextual()) {
                throw ApiError.badRequest("text must be a string: batched /generate requests are not supported by the "
                        + "Hearth engine simulator", "text");
            }
            prompt = model.tokenizer().encode(text.asText());
        }
        RequestFields sp = f.object("sampling_params");
        Integer maxNew = sp == null || !sp.has("max_new_tokens") ? Integer.valueOf(128) : sp.integer("max_new_tokens");
        if (maxNew != null && maxNew < 0) {
            throw ApiError.badRequest("max_new_tokens must be at least 0, got " + maxNew + ".", "max_new_tokens");
        }
        Double temperature = sp == null ? null : sp.number("temperature");
        if (temperature != null && temperature < 0) {
            throw ApiError.badRequest("temperature must be a non-negative finite number, got " + temperature + ".",
                    "temperature");
        }
        Integer n = sp == null ? null : sp.integer("n");
        if (n != null && n != 1) {
            throw ApiError.badRequest("n must be 1 in the Hearth engine simulator, got " + n + ".", "n");
        }
        Sampling sampling = new Sampling(maxNew == null || maxNew == 0 ? Integer.valueOf(1) : maxNew,
                sp == null ? java.util.List.of() : sp.strings("stop"), temperature == null ? 1.0 : temperature,
                sp == null ? null : sp.longValue("sampling_seed"), sp != null && sp.bool("ignore_eos", false));
        model.checkLength(prompt.length, sampling.maxTokens());
        String salt = f.string("extra_key");
        boolean stream = f.bool("stream", false);
        model.faults().beforeRequest();
        String rid = f.string("rid");
        String id = rid != null ? rid : ServedModel.randomId() + ServedModel.randomId();
        Generation gen = model.start(prompt, salt, sampling);
        StringBuilder text = new StringBuilder();
        ArrayNode outputIds = NODES.arrayNode();
        if (!stream) {
            Output o;
            Output last = null;
            while ((o = gen.next()) != null) {
                last = o;
                text.append(o.text());
                outputIds.add(o.tokenId());
            }
            ctx.status(200).contentType("application/json").result(result(id, text, outputIds, last, true).toString());
            return;
        }
        SseWriter sse = new SseWriter(ctx);
        try {
            Output o;
            while ((o = gen.next()) != null) {
                text.append(o.text());
                outputIds.add(o.tokenId());
                sse.data(result(id, text, outputIds, o, o.finish() != null).toString());
            }
            sse.done();
        } catch (IOException e) {
            gen.cancel();
        } finally {
            gen.cancel();
        }
    }

    private ObjectNode result(String id, StringBuilder text, ArrayNode outputIds, Output o, boolean finished) {
        ObjectNode out = NODES.objectNode();
        out.put("text", text.toString());
        out.set("output_ids", outputIds.deepCopy());
        ObjectNode meta = out.putObject("meta_info");
        meta.put("id", id);
        if (finished && o.finish() != null) {
            ObjectNode reason = meta.putObject("finish_reason");
            reason.put("type", o.finish().wire());
            if (o.finish() == FinishReason.LENGTH) {
                reason.put("length", o.index() + 1);
            } else if (o.stopReason() != null) {
                reason.put("matched", o.stopReason());
            } else {
                reason.put("matched", o.tokenId());
            }
        } else {
            meta.putNull("finish_reason");
        }
        meta.put("prompt_tokens", o.promptTokens());
        meta.put("weight_version", "default");
        meta.put("completion_tokens", o.index() + 1);
        meta.put("cached_tokens", o.cachedTokens());
        if (finished) {
            meta.put("e2e_latency", o.time() - o.arrival());
        }
        return out;
    }

    void flushCache(Context ctx) throws Exception {
        boolean ok = model.loop().resetPrefixCache().get(5, TimeUnit.SECONDS);
        ctx.status(ok ? 200 : 400).result(FLUSHED);
    }

    void serverInfo(Context ctx) {
        ObjectNode info = NODES.objectNode();
        info.put("model_path", model.name());
        info.put("tokenizer_path", model.name());
        info.put("served_model_name", model.name());
        info.put("host", settings.host());
        info.put("port", settings.port());
        info.put("context_length", model.maxModelLen());
        info.put("page_size", settings.limits().blockSize());
        info.put("max_running_requests", settings.limits().maxNumSeqs());
        info.put("chunked_prefill_size", settings.limits().maxNumBatchedTokens());
        info.put("max_total_tokens", (long) settings.limits().kvBlocks() * settings.limits().blockSize());
        info.put("schedule_policy", "fcfs");
        info.put("disable_radix_cache", false);
        info.put("radix_eviction_policy", "lru");
        info.put("enable_metrics", true);
        info.put("enable_cache_report", true);
        info.put("tp_size", 1);
        info.put("dp_size", 1);
        if (settings.reasoningParser() != null) {
            info.put("reasoning_parser", settings.reasoningParser());
        } else {
            info.putNull("reasoning_parser");
        }
        if (settings.kvEvents() != null) {
            info.put("kv_events_config", "{\"publisher\": \"zmq\", \"endpoint\": \"" + settings.kvEvents().endpoint()
                    + "\", \"topic\": \"" + settings.kvEvents().topic() + "\"}");
        } else {
            info.putNull("kv_events_config");
        }
        info.put("status", "ready");
        info.put("max_total_num_tokens", (long) settings.limits().kvBlocks() * settings.limits().blockSize());
        info.put("max_req_input_len", model.maxModelLen() - 1);
        ObjectNode state = info.putArray("internal_states").addObject();
        state.put("last_gen_throughput", 0.0);
        ObjectNode memory = state.putObject("memory_usage");
        memory.put("kvcache", model.loop().kvUsage());
        memory.put("token_capacity", (long) settings.limits().kvBlocks() * settings.limits().blockSize());
        state.put("effective_max_running_requests_per_dp", settings.limits().maxNumSeqs());
        info.put("version", "hearth-sim");
        ctx.json(info);
    }

    void modelInfo(Context ctx) {
        ObjectNode info = NODES.objectNode();
        info.put("model_path", model.name());
        info.put("tokenizer_path", model.name());
        info.put("is_generation", true);
        info.putNull("preferred_sampling_params");
        info.put("weight_version", "default");
        info.put("has_image_understanding", false);
        info.put("has_audio_understanding", false);
        ctx.json(info);
    }
}
