package dev.hearth.skills;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * One Agent Skill: its folder's name, its {@code SKILL.md} frontmatter, and its files with
 * {@code SKILL.md} first. The frontmatter is checked as the Agent Skills specification says
 * (agentskills.io/specification): only its known keys, a name equal to the folder's, a description of
 * 1 to 1024 characters without angle brackets, a compatibility of at most 500 characters, metadata
 * mapping strings to strings. It is kept whole, so SEP-2640's {@code skills/list} can pass every key on.
 */
public record Skill(String name, Map<String, Object> frontmatter, List<SkillFile> files) {
    static final List<String> KEYS = List.of("name", "description", "license", "compatibility", "metadata",
            "allowed-tools");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public Skill {
        frontmatter = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(frontmatter));
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
        Map<String, Object> front = frontmatter(folder, new String(md.bytes(), StandardCharsets.UTF_8));
        if (!folder.equals(front.get("name"))) {
            throw new IllegalArgumentException("skill " + folder + ": frontmatter name '" + front.get("name")
                    + "' must equal the folder name");
        }
        List<SkillFile> ordered = new ArrayList<>();
        ordered.add(md);
        files.stream().filter(f -> !f.path().equals("SKILL.md"))
                .sorted(java.util.Comparator.comparing(SkillFile::path)).forEach(ordered::add);
        return new Skill(folder, front, ordered);
    }

    public String description() {
        return (String) frontmatter.get("description");
    }

    public String digest() {
        return Digests.skill(files);
    }

    public SkillFile file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst().orElse(null);
    }

    /** The YAML frontmatter, checked key by key against the specification. */
    static Map<String, Object> frontmatter(String skill, String md) {
        if (!md.startsWith("---\n")) {
            throw new IllegalArgumentException("skill " + skill + ": SKILL.md must start with YAML frontmatter (---)");
        }
        int end = md.indexOf("\n---\n", 3);
        if (end < 0) {
            throw new IllegalArgumentException("skill " + skill + ": SKILL.md frontmatter is not closed with ---");
        }
        Map<String, Object> front;
        try {
            JsonNode node = YAML.readTree(md.substring(4, end + 1));
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("skill " + skill + ": the frontmatter must be a YAML mapping");
            }
            front = YAML.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("skill " + skill + ": the frontmatter is not valid YAML: "
                    + e.getOriginalMessage());
        }
        for (String key : front.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("skill " + skill + ": frontmatter key '" + key + "' is not allowed; "
                        + "allowed: " + KEYS);
            }
        }
        if (!(front.get("name") instanceof String)) {
            throw new IllegalArgumentException("skill " + skill + ": frontmatter 'name' must be a string");
        }
        if (!(front.get("description") instanceof String d) || d.isEmpty() || d.length() > 1024
                || d.contains("<") || d.contains(">")) {
            throw new IllegalArgumentException("skill " + skill + ": description must be 1-1024 characters without < or >");
        }
        if (front.containsKey("compatibility") && !(front.get("compatibility") instanceof String c && !c.isEmpty()
                && c.length() <= 500)) {
            throw new IllegalArgumentException("skill " + skill + ": compatibility must be 1-500 characters");
        }
        if (front.containsKey("metadata") && !(front.get("metadata") instanceof Map<?, ?> m
                && m.values().stream().allMatch(v -> v instanceof String))) {
            throw new IllegalArgumentException("skill " + skill + ": metadata must map strings to strings");
        }
        return front;
    }
}
