package dev.hearth.skills;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Agent Skill: its folder's name, the description from its {@code SKILL.md} frontmatter, and its
 * files with {@code SKILL.md} first. The frontmatter is checked as the Agent Skills specification
 * says (agentskills.io): only its known keys, a name equal to the folder's, a description of 1 to
 * 1024 characters without angle brackets.
 */
public record Skill(String name, String description, List<SkillFile> files) {
    static final List<String> KEYS = List.of("name", "description", "license", "compatibility", "metadata",
            "allowed-tools");

    public Skill {
        files = List.copyOf(files);
        if (files.isEmpty() || !files.get(0).path().equals("SKILL.md")) {
            throw new IllegalArgumentException("skill " + name + ": SKILL.md must be its first file");
        }
    }

    /** Reads the skill from its files (any order); checks the name and frontmatter. */
    public static Skill of(String folder, List<SkillFile> files) {
        if (!SkillPaths.validName(folder)) {
            throw new IllegalArgumentException("skill folder '" + folder + "' is not a valid skill name");
        }
        SkillFile md = files.stream().filter(f -> f.path().equals("SKILL.md")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("skill " + folder + " has no SKILL.md"));
        Map<String, String> front = frontmatter(folder, new String(md.bytes(), StandardCharsets.UTF_8));
        if (!folder.equals(front.get("name"))) {
            throw new IllegalArgumentException("skill " + folder + ": frontmatter name '" + front.get("name")
                    + "' must equal the folder name");
        }
        String description = front.getOrDefault("description", "");
        if (description.isEmpty() || description.length() > 1024 || description.contains("<") || description.contains(">")) {
            throw new IllegalArgumentException("skill " + folder + ": description must be 1-1024 characters without < or >");
        }
        List<SkillFile> ordered = new ArrayList<>();
        ordered.add(md);
        files.stream().filter(f -> !f.path().equals("SKILL.md"))
                .sorted(java.util.Comparator.comparing(SkillFile::path)).forEach(ordered::add);
        return new Skill(folder, description, ordered);
    }

    public String digest() {
        return Digests.skill(files);
    }

    public SkillFile file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
    }

    /** The top-level keys of the YAML frontmatter and their scalar values (maps, like metadata, are kept as ""). */
    static Map<String, String> frontmatter(String skill, String md) {
        if (!md.startsWith("---\n")) {
            throw new IllegalArgumentException("skill " + skill + ": SKILL.md must start with YAML frontmatter (---)");
        }
        int end = md.indexOf("\n---", 4);
        if (end < 0) {
            throw new IllegalArgumentException("skill " + skill + ": SKILL.md frontmatter is not closed with ---");
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : md.substring(4, end).split("\n")) {
            if (line.isBlank() || line.startsWith(" ") || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("skill " + skill + ": frontmatter line '" + line + "' is not 'key: value'");
            }
            String key = line.substring(0, colon).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("skill " + skill + ": frontmatter key '" + key + "' is not allowed; "
                        + "allowed: " + KEYS);
            }
            String value = line.substring(colon + 1).trim();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            out.put(key, value);
        }
        return out;
    }
}
