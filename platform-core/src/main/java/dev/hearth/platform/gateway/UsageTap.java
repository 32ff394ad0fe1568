package dev.hearth.platform.gateway;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the engine's usage from the tail of a relayed answer, so the gateway can compare the
 * prefix-cache hits it expected with those the engine reports, without parsing every chunk. The
 * usage object comes last: at the end of a JSON body, and in the final chunk of a stream sent with
 * stream_options.include_usage. vLLM omits prompt_tokens_details when nothing was cached
 * (entrypoints/openai/serving_chat.py: "if self.enable_prompt_tokens_details and
 * num_cached_tokens"), so a usage without it counts as 0 cached tokens.
 */
final class UsageTap {
    private static final int TAIL = 4_096;
    private static final Pattern PROMPT = Pattern.compile("\"prompt_tokens\"\\s*:\\s*(\\d+)");
    private static final Pattern CACHED = Pattern.compile("\"cached_tokens\"\\s*:\\s*(\\d+)");

    /** What the engine reported of a prompt. */
    record Usage(int promptTokens, int cachedTokens) {}

    private final byte[] ring = new byte[TAIL];
    private long written;

    void write(byte[] bytes, int offset, int length) {
        int skip = Math.max(0, length - TAIL); // only the last TAIL bytes can matter
        for (int i = offset + skip; i < offset + length; i++) {
            ring[(int) (written++ % TAIL)] = bytes[i];
        }
    }

    /** The usage in the tail, or null when the answer carried none (a stream without include_usage). */
    Usage usage() {
        String tail = tail();
        int at = tail.lastIndexOf("\"usage\"");
        if (at < 0) {
            return null;
        }
        String rest = tail.substring(at + "\"usage\"".length()).stripLeading();
        if (!rest.startsWith(":") || !rest.substring(1).stripLeading().startsWith("{")) {
            return null; // "usage": null, as in every chunk but the last
        }
        Matcher prompt = PROMPT.matcher(rest);
        if (!prompt.find()) {
            return null;
        }
        Matcher cached = CACHED.matcher(rest);
        try {
            return new Usage(Integer.parseInt(prompt.group(1)), cached.find() ? Integer.parseInt(cached.group(1)) : 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String tail() {
        int n = (int) Math.min(written, TAIL);
        byte[] out = new byte[n];
        long from = written - n;
        for (int i = 0; i < n; i++) {
            out[i] = ring[(int) ((from + i) % TAIL)];
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
