package dev.hearth.skills;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * A skill's folder as a {@code .tar.gz} (POSIX ustar, as tar(5) describes it) with {@code SKILL.md}
 * at its root, the artifact an index entry of type {@code archive} points at. Byte for byte the same every time (fixed times, owners and modes,
 * files in the skill's order), so its digest is stable.
 */
public final class SkillPackage {
    private SkillPackage() {}

    public static byte[] of(Skill skill) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (SkillFile f : skill.files()) {
            byte[] body = f.bytes();
            tar.writeBytes(header(f.path(), body.length)); // SKILL.md at the archive's root, as installers expect
            tar.writeBytes(body);
            tar.writeBytes(new byte[(512 - body.length % 512) % 512]);
        }
        tar.writeBytes(new byte[1024]); // two empty blocks end the archive
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = gz.toByteArray();
        bytes[4] = bytes[5] = bytes[6] = bytes[7] = 0; // gzip's MTIME: none, for a stable digest
        return bytes;
    }

    private static byte[] header(String name, long size) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 100) {
            throw new IllegalArgumentException("path too long for a tar header: " + name);
        }
        byte[] h = new byte[512];
        System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
        octal(h, 100, 8, 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = '0'; // a regular file
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void octal(byte[] h, int at, int width, long value) {
        String s = String.format("%0" + (width - 1) + "o", value);
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, h, at, width - 1);
        h[at + width - 1] = 0;
    }
}
