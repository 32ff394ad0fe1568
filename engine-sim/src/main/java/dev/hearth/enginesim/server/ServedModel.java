package dev.hearth.enginesim.server;

import dev.hearth.enginesim.engine.EngineLoop;
import dev.hearth.enginesim.engine.Sampling;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.SimTokenizer;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every route shares: the served model's name and limits, its tokenizer and chat template,
 * the engine loop, the flavor's conventions and the injected faults.
 */
record ServedModel(String name, Flavor flavor, int maxModelLen, boolean reasoning, SimTokenizer tokenizer,
                   ChatTemplate template, EngineLoop loop, Faults faults, AtomicLong requestCounter) {

    /** Engine-side request ids are unique even when clients reuse X-Request-Id. */
    String nextEngineId() {
        return "req-" + requestCounter.incrementAndGet();
    }

    /** 16 random hex digits, as vLLM's random_uuid() gives since late 2025. */
    static String randomId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    Generation start(int[] prompt, String salt, Sampling sampling) {
        return new Generation(nextEngineId(), loop, prompt, salt, sampling);
    }

    /** Rejects a prompt that with its output budget overflows the context, in the engine's own words. */
    void checkLength(int promptTokens, Integer maxTokens) {
        int requested = maxTokens == null ? 0 : maxTokens;
        if (promptTokens + requested <= maxModelLen && promptTokens < maxModelLen) {
            return;
        }
        if (flavor == Flavor.SGLANG) {
            if (promptTokens >= maxModelLen) {
                throw ApiError.badRequest("The input (" + promptTokens + " tokens) is longer than the model's context "
                        + "length (" + maxModelLen + " tokens).", null);
            }
            throw ApiError.badRequest("Requested token count exceeds the model's maximum context length of "
                    + maxModelLen + " tokens. You requested a total of " + (promptTokens + requested) + " tokens: "
                    + promptTokens + " tokens from the input messages and " + requested + " tokens for the "
                    + "completion. Please reduce the number of tokens in the input messages or the completion to "
                    + "fit within the limit.", null);
        }
        throw ApiError.badRequest("This model's maximum context length is " + maxModelLen + " tokens. However, you "
                + "requested " + requested + " output tokens and your prompt contains " + promptTokens + " input "
                + "tokens, for a total of " + (promptTokens + requested) + " tokens. Please reduce the length of the "
                + "input prompt or the number of requested output tokens. (parameter=input_tokens, value="
                + promptTokens + ")", "input_tokens");
    }
}
