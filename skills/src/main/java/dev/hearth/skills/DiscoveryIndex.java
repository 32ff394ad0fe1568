package dev.hearth.skills;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Skills discovery indexes. Two shapes are in use and Hearth serves both:
 * <ul>
 * <li>{@link #of(SkillSet)}: the RFC draft's (cloudflare/agent-skills-discovery-rfc, as agents.md
 *     gives it): {@code version} 0.2.0, each skill's {@code digest} computed from its files, and
 *     {@code files} with theirs. Served as {@code skill://index.json} over MCP.</li>
 * <li>{@link #wellKnown(SkillSet, String)}: the published schema
 *     ({@value #SCHEMA}) that the npm {@code skills} CLI reads: each skill an {@code archive}
 *     with its {@code url} and the archive's {@code digest}. The draft's fields ride along
 *     ({@code files}, and its skill digest as {@code skill_digest}), so either reader finds its own.</li>
 * </ul>
 */
public final class DiscoveryIndex {
    public static final String VERSION = "0.2.0";
    public static final String SCHEMA = "https://schemas.agentskills.io/discovery/0.2.0/schema.json";

    private DiscoveryIndex() {}

    public static Map<String, Object> of(SkillSet set) {
        List<Map<String, Object>> skills = new ArrayList<>();
        for (Skill s : set.skills()) {
            Map<String, Object> entry = named(s);
            entry.put("digest", s.digest());
            entry.put("files", files(s));
            skills.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", VERSION);
        out.put("skills", skills);
        return out;
    }

    /** The index at {@code /.well-known/agent-skills/index.json}; archives at {@code base + NAME.tar.gz}. */
    public static Map<String, Object> wellKnown(SkillSet set, String base) {
        List<Map<String, Object>> skills = new ArrayList<>();
        for (Skill s : set.skills()) {
            Map<String, Object> entry = named(s);
            entry.put("type", "archive");
            entry.put("url", base + s.name() + ".tar.gz");
            entry.put("digest", Digests.sha256(SkillPackage.of(s)));
            entry.put("skill_digest", s.digest());
            entry.put("files", files(s));
            skills.add(entry);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("$schema", SCHEMA);
        out.put("version", VERSION);
        out.put("skills", skills);
        return out;
    }

    private static Map<String, Object> named(Skill s) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", s.name());
        entry.put("description", s.description());
        return entry;
    }

    private static List<Map<String, Object>> files(Skill s) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SkillFile f : s.files()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", f.path());
            m.put("digest", f.digest());
            out.add(m);
        }
        return out;
    }
}
