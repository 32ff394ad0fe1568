package dev.hearth.skills;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The index of Agent Skills Discovery v0.2.0 ({@code /.well-known/agent-skills/index.json};
 * cloudflare/agent-skills-discovery-rfc): each skill's name, description, digest and files with
 * theirs, {@code SKILL.md} first. Also what SEP-2640 serves as {@code skill://index.json}.
 */
public final class DiscoveryIndex {
    public static final String VERSION = "0.2.0";

    private DiscoveryIndex() {}

    public static Map<String, Object> of(SkillSet set) {
        List<Map<String, Object>> skills = new ArrayList<>();
        for (Skill s : set.skills()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", s.name());
            entry.put("description", s.description());
            entry.put("digest", s.digest());
            entry.put("files", s.files().stream().map(f -> Map.of("path", f.path(), "digest", f.digest())).toList());
            skills.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", VERSION);
        out.put("skills", skills);
        return out;
    }
}
