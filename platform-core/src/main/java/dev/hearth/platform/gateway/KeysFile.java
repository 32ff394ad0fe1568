package dev.hearth.platform.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code --api-keys} file: one key per line, {@code KEY TENANT [admin] [share=GROUP]}, {@code #}
 * starting a comment. A key is written either as itself or as {@code sha256:HEX}, the SHA-256 of
 * its UTF-8 bytes in hex, so the file need not hold any key at all ({@code hearth keys add} writes
 * only that). Errors name the file and line, never a key.
 */
public final class KeysFile {
    /** How a digest is written in place of a key. */
    public static final String HASHED = "sha256:";
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    /** One line's key: its digest, its holder, whether the file held the digest only, and its line number. */
    public record Entry(String digest, KeyHolder holder, boolean hashed, int line) {}

    private KeysFile() {}

    public static List<Entry> read(Path file) throws IOException {
        return parse(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Every key of the file's lines; a one-line error for the first bad line (the same key twice is one). */
    public static List<Entry> parse(Path file, List<String> lines) {
        List<Entry> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            String where = file + " line " + (i + 1) + ": ";
            if (parts.length != 2) {
                throw new IllegalArgumentException(where + "expected 'KEY TENANT [admin] [share=GROUP]'");
            }
            boolean hashed = parts[0].startsWith(HASHED);
            String digest;
            if (hashed) {
                String hex = parts[0].substring(HASHED.length());
                if (!HEX.matcher(hex).matches()) {
                    throw new IllegalArgumentException(where + "a hashed key is 'sha256:' and 64 hex digits");
                }
                digest = hex.toLowerCase(java.util.Locale.ROOT);
            } else {
                digest = digest(parts[0]);
            }
            KeyHolder holder;
            try {
                holder = KeyHolder.parse(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage());
            }
            Integer before = seen.putIfAbsent(digest, i + 1);
            if (before != null) {
                throw new IllegalArgumentException(where + "the same key as line " + before);
            }
            out.add(new Entry(digest, holder, hashed, i + 1));
        }
        return out;
    }

    /** The line {@code hearth keys add} writes: the digest, never the key. */
    public static String line(String digest, KeyHolder holder) {
        return HASHED + digest + " " + holder.spec();
    }

    /** A new key: {@code sk-hearth-} and 256 random bits, base64url. */
    public static String newKey(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "sk-hearth-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the key's UTF-8 bytes, in lowercase hex: what is kept, compared and shared. */
    public static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
