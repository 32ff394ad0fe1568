package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code hearth mcp install} and {@code uninstall} as a user runs them, in a real process with its own
 * home: every assistant's file in a project, some already holding other servers and comments, merged
 * into and then given back byte for byte; bad input ends in one line.
 */
class McpInstallProcessTest {
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build();
    /** The launcher script at the top of the repository, as it exports itself. */
    private static final Path LAUNCHER = Path.of("..", "hearth").toAbsolutePath().normalize();

    private static HearthProcess.Exit hearth(Path home, String... args) throws Exception {
        // Short-lived commands: the C1 compiler alone starts faster.
        return HearthProcess.run(List.of("-Duser.home=" + home, "-XX:TieredStopAtLevel=1"),
                Map.of("HEARTH_LAUNCHER", LAUNCHER.toString()), args);
    }

    @Test
    void installsForEveryAssistantBesideTheirServersAndUninstallsToTheSameBytes() throws Exception {
        assertTrue(Files.isRegularFile(LAUNCHER), LAUNCHER.toString());
        Path home = Files.createTempDirectory("mcp-home");
        Path project = Files.createTempDirectory("mcp-project");
        Map<String, String> before = new LinkedHashMap<>();
        before.put(".mcp.json", "{\n    \"mcpServers\": {\n        \"github\": {\"type\": \"http\", \"url\": \"https://api.githubcopilot.com/mcp/\"}\n    }\n}\n");
        before.put(".vscode/mcp.json", "{\n\t// shared with the team\n\t\"servers\": {\n\t\t\"memory\": {\"type\": \"stdio\", \"command\": \"npx\","
                + " \"args\": [\"-y\", \"@modelcontextprotocol/server-memory\"]},\n\t},\n\t\"inputs\": []\n}\n");
        before.put(".codex/config.toml", "model = \"o3\" # ours\n\n[mcp_servers.context7]\ncommand = \"npx\"\nargs = [\"-y\", \"@upstash/context7-mcp\"]\n");
        for (var e : before.entrySet()) {
            Files.createDirectories(project.resolve(e.getKey()).getParent());
            Files.writeString(project.resolve(e.getKey()), e.getValue());
        }

        HearthProcess.Exit install = hearth(home, "mcp", "install", "--project", project.toString(), "--url", "http://127.0.0.1:8080");
        assertEquals(0, install.code(), String.join("\n", install.stderr()));
        Map<String, String> files = Map.of("claude-code", ".mcp.json", "cursor", ".cursor/mcp.json", "copilot", ".vscode/mcp.json",
                "gemini", ".gemini/settings.json", "codex", ".codex/config.toml");
        assertEquals(5, install.stdout().size(), install.stdout().toString());
        files.forEach((agent, file) -> assertTrue(install.stdout().contains(
                "added hearth to " + project.resolve(file) + " (" + agent + ")"), install.stdout().toString()));

        List<String> args = List.of("mcp", "--url", "http://127.0.0.1:8080");
        for (String file : List.of(".mcp.json", ".cursor/mcp.json", ".vscode/mcp.json", ".gemini/settings.json")) {
            JsonNode doc = LENIENT.readTree(Files.readString(project.resolve(file)));
            JsonNode servers = doc.get(file.startsWith(".vscode") ? "servers" : "mcpServers");
            assertEquals(LAUNCHER.toString(), servers.get("hearth").get("command").asText(), file);
            assertEquals(args, Stream.of(LENIENT.treeToValue(servers.get("hearth").get("args"), String[].class)).toList(), file);
        }
        assertEquals("stdio", LENIENT.readTree(Files.readString(project.resolve(".mcp.json"))).at("/mcpServers/hearth/type").asText());
        assertTrue(LENIENT.readTree(Files.readString(project.resolve(".mcp.json"))).at("/mcpServers/github").isObject(), "others stay");
        assertTrue(LENIENT.readTree(Files.readString(project.resolve(".vscode/mcp.json"))).at("/servers/memory").isObject(), "others stay");
        String codex = Files.readString(project.resolve(".codex/config.toml"));
        assertEquals(before.get(".codex/config.toml") + "\n[mcp_servers.hearth]\ncommand = \"" + LAUNCHER
                + "\"\nargs = [\"mcp\", \"--url\", \"http://127.0.0.1:8080\"]\n", codex);

        Map<String, String> installed = new LinkedHashMap<>();
        for (String file : files.values()) {
            installed.put(file, Files.readString(project.resolve(file)));
        }
        HearthProcess.Exit again = hearth(home, "mcp", "install", "--project", project.toString(), "--url", "http://127.0.0.1:8080");
        assertEquals(0, again.code(), String.join("\n", again.stderr()));
        assertTrue(again.stdout().stream().allMatch(l -> l.contains("is already as requested")), again.stdout().toString());
        for (String file : files.values()) {
            assertEquals(installed.get(file), Files.readString(project.resolve(file)), "installing twice changes nothing: " + file);
        }

        HearthProcess.Exit uninstall = hearth(home, "mcp", "uninstall", "--project", project.toString());
        assertEquals(0, uninstall.code(), String.join("\n", uninstall.stderr()));
        assertEquals(5, uninstall.stdout().size(), uninstall.stdout().toString());
        for (var e : before.entrySet()) {
            assertEquals(e.getValue(), Files.readString(project.resolve(e.getKey())), "byte for byte: " + e.getKey());
        }
        for (String gone : List.of(".cursor", ".gemini")) {
            assertFalse(Files.exists(project.resolve(gone)), gone + " was Hearth's and is gone");
        }
        assertFalse(Files.exists(home.resolve(".hearth/mcp-installs.json")));
        CliProcessTest.assertOneLineError(hearth(home, "mcp", "uninstall", "--project", project.toString()), 1,
                "hearth mcp uninstall: no MCP server named 'hearth' here for any assistant; nothing to uninstall");
    }

    @Test
    void badInputEndsInOneLineAndChangesNothing() throws Exception {
        Path home = Files.createTempDirectory("mcp-home");
        Path project = Files.createTempDirectory("mcp-project");
        Path vscode = project.resolve(".vscode/mcp.json");
        Files.createDirectories(vscode.getParent());
        String broken = "{\n  \"servers\": {\n    \"memory\": {\"command\": \"npx\"}\n    \"other\": {}\n  }\n}\n";
        Files.writeString(vscode, broken);
        CliProcessTest.assertOneLineError(hearth(home, "mcp", "install", "--project", project.toString()), 1,
                "hearth mcp install: " + vscode + ": line 4: not valid JSON: expected ',' or '}' after the value of \"memory\"");
        assertEquals(broken, Files.readString(vscode));
        try (var all = Files.walk(project)) {
            assertEquals(3, all.count(), "no other assistant's file was written");
        }
        CliProcessTest.assertOneLineError(hearth(home, "mcp", "install", "--http", "http://127.0.0.1:8080", "--stdio"), 2,
                "hearth mcp install: Error: --http=URL, --stdio are mutually exclusive");
        CliProcessTest.assertOneLineError(hearth(home, "mcp", "install", "--agent", "emacs"), 1,
                "hearth mcp install: unknown agent 'emacs'; one of [claude-code, cursor, copilot, gemini, codex] or all");
    }
}
