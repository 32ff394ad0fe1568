package dev.hearth.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.skills.DiscoveryIndex;
import dev.hearth.skills.Skill;
import dev.hearth.skills.SkillFile;
import dev.hearth.skills.SkillSet;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SEP-2640, the skills extension ({@code io.modelcontextprotocol/skills}; modelcontextprotocol/ext-skills,
 * specification/stable/skills.mdx): Hearth's own skills as {@code skill://NAME/PATH} resources, and the
 * {@code skills/list} and {@code skills/get} methods. The Java SDK has no hook for new methods (java-sdk
 * issue 1140), so each transport answers them before the SDK sees them ({@link StdioSkills},
 * {@link HttpSkills}); the resources go through the SDK as usual. {@code skill://index.json}, the
 * discovery index of the extension's earlier draft (and of agents.md), is served as well.
 */
public final class SkillsExtension {
    public static final String NAME = "io.modelcontextprotocol/skills";
    /** How long a client may cache a listing: the skills change only with a new Hearth. */
    static final long TTL_MS = 300_000;

    private final SkillSet skills;

    public SkillsExtension(SkillSet skills) {
        this.skills = skills;
    }

    /** The capability entry: no directory reads. */
    static Map<String, Map<String, Object>> capability() {
        return Map.of(NAME, Map.of("directoryRead", false));
    }

    static String uri(Skill s, String path) {
        return "skill://" + s.name() + "/" + path;
    }

    /** Every file of every skill as a resource, and the index. */
    List<McpServerFeatures.SyncResourceSpecification> resources() {
        List<McpServerFeatures.SyncResourceSpecification> out = new ArrayList<>();
        for (Skill s : skills.skills()) {
            for (SkillFile f : s.files()) {
                String uri = uri(s, f.path());
                String mime = f.path().endsWith(".md") ? "text/markdown" : "text/plain";
                String text = new String(f.bytes(), StandardCharsets.UTF_8);
                out.add(new McpServerFeatures.SyncResourceSpecification(new McpSchema.Resource(uri, s.name() + "/" + f.path(),
                        null, f.path().equals("SKILL.md") ? s.description() : "Part of the " + s.name() + " skill", mime,
                        (long) f.bytes().length, null, null),
                        (exchange, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                                uri, mime, text)))));
            }
        }
        String index;
        try {
            index = Tools.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(DiscoveryIndex.of(skills));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        out.add(new McpServerFeatures.SyncResourceSpecification(new McpSchema.Resource("skill://index.json", "index.json",
                "Skills index", "The skills with their files and digests (Agent Skills Discovery v0.2.0 format)",
                "application/json", (long) index.length(), null, null),
                (exchange, request) -> new McpSchema.ReadResourceResult(List.of(new McpSchema.TextResourceContents(
                        "skill://index.json", "application/json", index)))));
        return out;
    }

    /** Whether a JSON-RPC request is this extension's to answer. */
    static boolean handles(JsonNode message) {
        String m = message.path("method").asText("");
        return message.has("id") && (m.equals("skills/list") || m.equals("skills/get"));
    }

    /** The JSON-RPC response to a {@code skills/*} request. */
    ObjectNode answer(JsonNode request) {
        ObjectNode out = Tools.JSON.createObjectNode().put("jsonrpc", "2.0");
        out.set("id", request.get("id"));
        String method = request.path("method").asText();
        JsonNode params = request.path("params");
        if (method.equals("skills/list")) {
            if (params.has("cursor") && !params.get("cursor").isNull()) {
                return error(out, -32602, "this server lists every skill on one page; it gave no cursor");
            }
            List<Object> entries = new ArrayList<>();
            skills.skills().forEach(s -> entries.add(entry(s)));
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("resultType", "complete");
            result.put("skills", entries);
            result.put("ttlMs", TTL_MS);
            result.put("cacheScope", "public");
            out.set("result", Tools.JSON.valueToTree(result));
            return out;
        }
        String uri = params.path("uri").asText("");
        Skill s = skills.skills().stream().filter(k -> uri(k, "SKILL.md").equals(uri)).findFirst().orElse(null);
        if (s == null) {
            return error(out, -32602, "No skill is served at " + (uri.isEmpty() ? "(no uri given)" : uri));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("resultType", "complete");
        result.put("skill", entry(s));
        result.put("ttlMs", TTL_MS);
        result.put("cacheScope", "public");
        out.set("result", Tools.JSON.valueToTree(result));
        return out;
    }

    private static Map<String, Object> entry(Skill s) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("uri", uri(s, "SKILL.md"));
        e.put("frontmatter", s.frontmatter()); // every key of SKILL.md's frontmatter, as SEP-2640 passes it on
        e.put("resources", s.files().stream().map(f -> Map.of("uri", uri(s, f.path()), "digest", f.digest(),
                "size", f.bytes().length)).toList());
        return e;
    }

    private static ObjectNode error(ObjectNode out, int code, String message) {
        out.putObject("error").put("code", code).put("message", message);
        return out;
    }
}
