package dev.hearth.docs;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.skills.Skill;
import dev.hearth.skills.SkillSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Claude Code plugin marketplace at the repository's root is accepted by Claude Code's own
 * validator and read by the npm {@code skills} CLI, both run as real processes; its MCP entry starts
 * the launcher that is really there.
 */
class PluginManifestTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String CLAUDE = "@anthropic-ai/claude-code@2.1.197";

    @Test
    void claudeCodeValidatesTheMarketplaceAndThePluginAndRefusesABrokenOne() throws Exception {
        Result marketplace = npx(CLAUDE, "plugin", "validate", ROOT.toString());
        assertEquals(0, marketplace.code(), marketplace.output());
        assertTrue(marketplace.output().contains("Validation passed"), marketplace.output());
        Result plugin = npx(CLAUDE, "plugin", "validate", ROOT.resolve(".claude-plugin/plugin.json").toString());
        assertEquals(0, plugin.code(), plugin.output());

        Path broken = Files.createTempDirectory("marketplace").resolve(".claude-plugin");
        Files.createDirectories(broken);
        Files.writeString(broken.resolve("marketplace.json"), "{\"name\": \"x\", \"plugins\": [{\"source\": \"./\"}]}");
        Result refused = npx(CLAUDE, "plugin", "validate", broken.getParent().toString());
        assertNotEquals(0, refused.code(), refused.output());
        assertTrue(refused.output().contains("Validation failed"), refused.output());
    }

    @Test
    void theSkillsCliFindsEverySkillThroughThePluginManifest() throws Exception {
        Result listed = npx("skills", "add", ROOT.toString(), "--list");
        assertEquals(0, listed.code(), listed.output());
        for (Skill s : SkillSet.bundled().skills()) {
            assertTrue(listed.output().contains(s.name()), s.name() + " in " + listed.output());
        }
        assertTrue(listed.output().contains("Found " + SkillSet.bundled().skills().size() + " skills"), listed.output());
    }

    @Test
    void thePluginsSkillsAndMcpServerPointAtRealFiles() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode market = json.readTree(ROOT.resolve(".claude-plugin/marketplace.json").toFile());
        JsonNode plugin = json.readTree(ROOT.resolve(".claude-plugin/plugin.json").toFile());
        assertEquals(plugin.path("name").asText(), market.at("/plugins/0/name").asText());
        assertEquals("./", market.at("/plugins/0/source").asText(), "the plugin is the repository itself");
        List<String> names = new ArrayList<>();
        plugin.path("skills").forEach(p -> {
            Path dir = ROOT.resolve(p.asText()).normalize();
            assertTrue(Files.isRegularFile(dir.resolve("SKILL.md")), p.asText());
            names.add(dir.getFileName().toString());
        });
        assertEquals(SkillSet.bundled().skills().stream().map(Skill::name).toList(), names);
        JsonNode server = plugin.at("/mcpServers/hearth");
        Path command = Path.of(server.path("command").asText().replace("${CLAUDE_PLUGIN_ROOT}", ROOT.toString()));
        assertTrue(Files.isExecutable(command), command.toString());
        assertEquals("mcp", server.at("/args/0").asText());
    }

    private record Result(int code, String output) {}

    private static Result npx(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("npx", "-y"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).directory(Files.createTempDirectory("npx").toFile()).start();
        p.getOutputStream().close();
        // Without colours: the CLIs colour their output when CI is set, splitting the words asserted on.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                .replaceAll("\u001B\\[[;?0-9]*[A-Za-z]", "");
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "npx " + String.join(" ", args) + " did not finish");
        return new Result(p.exitValue(), out);
    }
}
