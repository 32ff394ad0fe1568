package dev.hearth.platform.shared;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script that answers an integer, run by its SHA-1 ({@code EVALSHA}) so each call sends the
 * digest instead of the text; a Redis that does not know it yet (just started, or restarted empty)
 * is sent the text once ({@code EVAL}, which also caches it). The pattern of the Redis documentation's
 * "Scripting with Lua" (script cache). Null while Redis does not answer.
 */
final class RedisScript {
    private final String text;
    private final String sha;

    RedisScript(String text) {
        this.text = text;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Long run(RedisLink redis, String[] keys, byte[]... args) {
        return redis.call(c -> {
            try {
                return c.<Long>evalsha(sha, ScriptOutputType.INTEGER, keys, args);
            } catch (RedisNoScriptException unknown) {
                return c.<Long>eval(text, ScriptOutputType.INTEGER, keys, args);
            }
        }, null);
    }
}
