package dev.hearth.skills;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Digests as Agent Skills Discovery v0.2.0 defines them (cloudflare/agent-skills-discovery-rfc): a
 * file's is {@code sha256:} plus the hex SHA-256 of its bytes; a skill's is the SHA-256 of its files
 * sorted by path, one line {@code path\0hex\n} each.
 */
public final class Digests {
    private Digests() {}

    public static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static String skill(List<SkillFile> files) {
        StringBuilder lines = new StringBuilder();
        files.stream().sorted(Comparator.comparing(SkillFile::path)).forEach(f ->
                lines.append(f.path()).append('\0').append(f.digest().substring("sha256:".length())).append('\n'));
        return sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
    }
}
