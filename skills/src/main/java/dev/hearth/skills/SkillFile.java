package dev.hearth.skills;

/** One file of a skill: its path inside the skill's folder ({@code /}-separated, relative) and its bytes. */
public record SkillFile(String path, byte[] bytes) {

    public SkillFile {
        if (!SkillPaths.safe(path)) {
            throw new IllegalArgumentException("skill file path '" + path + "' is not a plain relative path");
        }
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** {@code sha256:} and the hex SHA-256 of the raw bytes, as Agent Skills Discovery defines a file's digest. */
    public String digest() {
        return Digests.sha256(bytes);
    }
}
