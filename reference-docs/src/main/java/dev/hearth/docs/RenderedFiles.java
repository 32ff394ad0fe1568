package dev.hearth.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hearth.skills.Skill;
import dev.hearth.skills.SkillSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every committed file that is rendered from the code: the reference docs, the bundled skills and
 * their list, the AGENTS.md index of the skills, and the Claude Code plugin manifest that bundles
 * them. They are committed so they can be read on GitHub and bundled in the jar;
 * {@code RenderedFilesTest} fails when one differs from what the code renders now, and
 * {@code scripts/render} writes them again.
 */
public final class RenderedFiles {
    static final String BUNDLED = "skills/src/main/resources/dev/hearth/skills/bundled/";
    static final String TEMPLATES = "skills/src/main/templates/";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;

    public RenderedFiles(Path root) {
        this.root = root;
    }

    /** Path from the repository's root to the bytes it should hold. */
    public Map<String, byte[]> render() throws IOException {
        ProductFacts facts = ProductFacts.fromCode();
        Templates templates = new Templates(facts);
        Map<String, byte[]> out = new TreeMap<>();
        ReferenceDocs.render(templates).forEach((name, text) -> out.put("reference-docs/" + name, utf8(text)));

        Map<String, Map<String, byte[]>> skills = SkillTemplates.render(root.resolve(TEMPLATES), templates);
        StringBuilder list = new StringBuilder("# Hearth's own skills: SKILL/PATH per line (a jar cannot be listed like a folder).\n"
                + "# Rendered from skills/src/main/templates by scripts/render; do not edit.\n");
        skills.forEach((skill, files) -> files.forEach((path, bytes) -> {
            out.put(BUNDLED + skill + "/" + path, bytes);
            list.append(skill).append('/').append(path).append('\n');
        }));
        out.put(BUNDLED + "bundled.list", utf8(list.toString()));

        SkillSet set = SkillTemplates.asSkillSet(skills);
        List<Map<String, Object>> index = new ArrayList<>();
        for (Skill s : set.skills()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", s.name());
            e.put("description", s.description());
            e.put("path", BUNDLED + s.name() + "/SKILL.md");
            e.put("files", s.files().stream().skip(1).map(f -> BUNDLED + s.name() + "/" + f.path()).toList());
            index.add(e);
        }
        out.put("AGENTS.md", utf8(templates.render("templates/AGENTS.md.hbs",
                ProductFacts.text(RenderedFiles.class, "/templates/AGENTS.md.hbs"), Map.of("skills", index))));
        out.put(".claude-plugin/plugin.json", pluginManifest(set));
        return out;
    }

    /** The Claude Code plugin: every skill, and Hearth's MCP server started by the launcher in the plugin's root. */
    private static byte[] pluginManifest(SkillSet set) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "hearth");
        m.put("version", "0.1.0");
        m.put("description", "Serve LLMs on vLLM or SGLang replicas with Hearth: skills for deploying, calling, "
                + "scaling and observing models, and Hearth's MCP server.");
        m.put("author", Map.of("name", "Hearth"));
        m.put("license", "Apache-2.0");
        m.put("keywords", List.of("llm", "vllm", "sglang", "serving", "mcp"));
        m.put("skills", set.skills().stream().map(s -> "./" + BUNDLED + s.name()).toList());
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("command", "${CLAUDE_PLUGIN_ROOT}/hearth");
        server.put("args", List.of("mcp"));
        m.put("mcpServers", Map.of("hearth", server));
        return utf8(JSON.writeValueAsString(m) + "\n");
    }

    /** What differs between the tree and the render: one line per file; empty when current. */
    public List<String> differences() throws IOException {
        Map<String, byte[]> want = render();
        List<String> out = new ArrayList<>();
        want.forEach((path, bytes) -> {
            Path file = root.resolve(path);
            try {
                if (!Files.exists(file)) {
                    out.add(path + " is missing");
                } else if (!java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
                    out.add(path + " differs from what the code renders");
                }
            } catch (IOException e) {
                out.add(path + ": " + e.getMessage());
            }
        });
        for (String stale : stale(want)) {
            out.add(stale + " is not rendered from anything (a skill file without a template?)");
        }
        return out;
    }

    /** Writes every rendered file and deletes the bundled files no template makes any more. */
    public List<String> write() throws IOException {
        Map<String, byte[]> want = render();
        List<String> changed = new ArrayList<>();
        for (var e : want.entrySet()) {
            Path file = root.resolve(e.getKey());
            if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), e.getValue())) {
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue());
                changed.add("wrote " + e.getKey());
            }
        }
        for (String stale : stale(want)) {
            Files.delete(root.resolve(stale));
            changed.add("deleted " + stale);
        }
        return changed;
    }

    private List<String> stale(Map<String, byte[]> want) throws IOException {
        Path bundled = root.resolve(BUNDLED);
        if (!Files.isDirectory(bundled)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(bundled)) {
            return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !want.containsKey(p)).sorted().toList();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code RenderedFiles ROOT [--write]}: checks (exit 1 on a difference) or writes the rendered files. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        RenderedFiles files = new RenderedFiles(root);
        boolean write = List.of(args).contains("--write");
        List<String> lines = write ? files.write() : files.differences();
        lines.forEach(System.out::println);
        if (write) {
            System.out.println(lines.isEmpty() ? "every rendered file is current" : lines.size() + " file(s) rendered");
        } else if (!lines.isEmpty()) {
            System.out.println("run scripts/render to write them");
            System.exit(1);
        }
    }
}
