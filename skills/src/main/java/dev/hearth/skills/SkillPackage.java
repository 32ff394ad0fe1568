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
    /** The most an archive may unpack to: skills are text, and a bomb must not fill the disk or heap. */
    static final long MAX_UNPACKED = 16L << 20;

    private SkillPackage() {}

    /**
     * Reads a skill from a {@code .tar.gz} another server published: only regular files and folders,
     * every path checked by {@link SkillPaths#safe} (no {@code ..}, no absolute path, no links), at
     * most {@value #MAX_UNPACKED} bytes in all. A single top folder named for the skill is stripped,
     * since some publishers pack the folder rather than its contents.
     */
    public static Skill read(String name, byte[] archive) throws IOException {
        byte[] tar;
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(archive))) {
            tar = in.readNBytes((int) MAX_UNPACKED + 1);
        } catch (java.util.zip.ZipException e) {
            throw new IOException("the archive of " + name + " is not gzip: " + e.getMessage());
        }
        if (tar.length > MAX_UNPACKED) {
            throw new IOException("the archive of " + name + " unpacks to more than " + MAX_UNPACKED + " bytes");
        }
        java.util.List<SkillFile> files = new java.util.ArrayList<>();
        int at = 0;
        while (at + 512 <= tar.length && !allZero(tar, at, 512)) {
            String path = field(tar, at, 100);
            String prefix = field(tar, at + 345, 155);
            if (!prefix.isEmpty() && field(tar, at + 257, 5).equals("ustar")) {
                path = prefix + "/" + path;
            }
            long size = Long.parseLong(field(tar, at + 124, 12).trim().isEmpty() ? "0" : field(tar, at + 124, 12).trim(), 8);
            char type = (char) tar[at + 156];
            at += 512;
            if (size < 0 || at + size > tar.length) {
                throw new IOException("the archive of " + name + " is truncated at " + path);
            }
            if (type == '5') {
                // folders are implied by the files' paths
            } else if (type == '0' || type == 0) {
                String clean = path.startsWith("./") ? path.substring(2) : path;
                if (!SkillPaths.safe(clean)) {
                    throw new IOException("refusing the archive of " + name + ": entry '" + path + "' could leave the skill's folder");
                }
                files.add(new SkillFile(clean, java.util.Arrays.copyOfRange(tar, at, at + (int) size)));
            } else {
                throw new IOException("refusing the archive of " + name + ": entry '" + path + "' is not a regular file"
                        + " (type " + type + "); links and devices are not allowed");
            }
            at += (int) ((size + 511) / 512 * 512);
        }
        boolean nested = !files.isEmpty() && files.stream().noneMatch(f -> f.path().equals("SKILL.md"))
                && files.stream().allMatch(f -> f.path().startsWith(name + "/"));
        if (nested) {
            files = files.stream().map(f -> new SkillFile(f.path().substring(name.length() + 1), f.bytes())).toList();
        }
        return Skill.of(name, files);
    }

    private static String field(byte[] h, int at, int width) {
        int end = at;
        while (end < at + width && h[end] != 0) {
            end++;
        }
        return new String(h, at, end - at, StandardCharsets.UTF_8);
    }

    private static boolean allZero(byte[] b, int at, int len) {
        for (int i = at; i < at + len; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

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

    static byte[] header(String name, long size) {
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
