package dev.hearth.skills.mcp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.hearth.skills.mcp.McpConfigInstaller.Action;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every assistant, project and user scope: Hearth's entry goes into a file that already holds other
 * servers, comments and its own indentation as one insertion, the result still parses, installing
 * twice changes nothing, and uninstalling gives back the very bytes there were.
 */
class McpConfigInstallerTest {
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA).build();
    private static final List<McpAgent> AGENTS = McpAgent.all("Linux");
    private static final URI HEARTH = URI.create("http://127.0.0.1:8080");
    private static final McpServerEntry STDIO = McpServerEntry.hearthStdio("hearth", List.of("/opt/hearth/hearth"), HEARTH);
    private static final McpServerEntry HTTP = McpServerEntry.hearthHttp("hearth", HEARTH, "HEARTH_API_KEY");

    private static McpAgent agent(String name) {
        return AGENTS.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    /** What each assistant's file holds before Hearth comes: other servers, comments where allowed, odd indentation. */
    static Stream<Arguments> existingFiles() {
        return Stream.of(
                Arguments.of("claude-code", false, """
                        {
                            "mcpServers": {
                                "github": {
                                    "type": "http",
                                    "url": "https://api.githubcopilot.com/mcp/",
                                    "headers": {"Authorization": "Bearer ${GITHUB_TOKEN}"}
                                },
                                "files": {"type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-filesystem", "."], "env": {}}
                            }
                        }
                        """),
                // ~/.claude.json: Claude Code's own file; a project's mcpServers deeper down is not ours to touch.
                Arguments.of("claude-code", true, """
                        {
                          "numStartups": 42,
                          "projects": {
                            "/home/u/work": {
                              "mcpServers": {
                                "local-db": {"type": "stdio", "command": "db-mcp", "args": []}
                              },
                              "allowedTools": []
                            }
                          },
                          "userID": "abc"
                        }"""),
                Arguments.of("cursor", false,
                        "{\r\n\t\"mcpServers\": {\r\n\t\t\"linear\": {\r\n\t\t\t\"url\": \"https://mcp.linear.app/mcp\"\r\n\t\t}\r\n\t}\r\n}\r\n"),
                Arguments.of("cursor", true, "{\"mcpServers\":{\"browser\":{\"command\":\"npx\",\"args\":[\"@browsermcp/mcp@latest\"]}}}"),
                Arguments.of("copilot", false, """
                        {
                           // Servers for this repository
                           "inputs": [
                              {"type": "promptString", "id": "token", "description": "API token", "password": true},
                           ],
                           "servers": {
                              "memory": {
                                 "type": "stdio",
                                 "command": "npx",
                                 "args": ["-y", "@modelcontextprotocol/server-memory"], // local
                              },
                           },
                        }
                        """),
                Arguments.of("copilot", true, "{\n\t\"servers\": {},\n\t\"inputs\": []\n}\n"),
                Arguments.of("gemini", false, """
                        {
                          "theme": "GitHub",
                          /* project servers */
                          "mcpServers": {
                            "pythonTools": {
                              "command": "python",
                              "args": ["-m", "my_mcp_server"],
                              "env": {"API_KEY": "$MY_API_TOKEN"},
                              "timeout": 15000
                            }
                          },
                          "excludeTools": ["run_shell_command"]
                        }
                        """),
                Arguments.of("gemini", true, "{\n  \"selectedAuthType\": \"gemini-api-key\",\n  \"ui\": {\"theme\": \"Dracula\"} // dark\n}\n"),
                Arguments.of("codex", false, "model = \"o3\"\napproval_policy = \"on-request\""),
                Arguments.of("codex", true, """
                        model = "gpt-5.1" # default
                        notify = ["python3", "/x/[mcp_servers.hearth]/notify.py"]

                        [mcp_servers.context7]
                        command = "npx"
                        args = [
                          "-y",   # comment inside an array
                          "@upstash/context7-mcp",
                        ]

                        [mcp_servers.context7.env]
                        MY_ENV_VAR = "MY_ENV_VALUE"

                        [profiles.fast]
                        model = "o4-mini"
                        """));
    }

    /** The entry each assistant should read, as JSON (Codex: its TOML tables). */
    private static String expected(String agent, McpServerEntry e) {
        boolean http = e.isHttp();
        return switch (agent) {
            case "claude-code" -> http
                    ? "{\"type\": \"http\", \"url\": \"http://127.0.0.1:8080/mcp\", \"headers\": {\"Authorization\": \"Bearer ${HEARTH_API_KEY}\"}}"
                    : "{\"type\": \"stdio\", \"command\": \"/opt/hearth/hearth\", \"args\": [\"mcp\", \"--url\", \"http://127.0.0.1:8080\"]}";
            case "cursor" -> http
                    ? "{\"url\": \"http://127.0.0.1:8080/mcp\", \"headers\": {\"Authorization\": \"Bearer ${env:HEARTH_API_KEY}\"}}"
                    : "{\"command\": \"/opt/hearth/hearth\", \"args\": [\"mcp\", \"--url\", \"http://127.0.0.1:8080\"]}";
            case "copilot" -> http
                    ? "{\"type\": \"http\", \"url\": \"http://127.0.0.1:8080/mcp\", \"headers\": {\"Authorization\": \"Bearer ${env:HEARTH_API_KEY}\"}}"
                    : "{\"type\": \"stdio\", \"command\": \"/opt/hearth/hearth\", \"args\": [\"mcp\", \"--url\", \"http://127.0.0.1:8080\"]}";
            case "gemini" -> http
                    ? "{\"httpUrl\": \"http://127.0.0.1:8080/mcp\", \"headers\": {\"Authorization\": \"Bearer ${HEARTH_API_KEY}\"}}"
                    : "{\"command\": \"/opt/hearth/hearth\", \"args\": [\"mcp\", \"--url\", \"http://127.0.0.1:8080\"]}";
            case "codex" -> http
                    ? "[mcp_servers.hearth]\nurl = \"http://127.0.0.1:8080/mcp\"\nbearer_token_env_var = \"HEARTH_API_KEY\"\n"
                    : "[mcp_servers.hearth]\ncommand = \"/opt/hearth/hearth\"\nargs = [\"mcp\", \"--url\", \"http://127.0.0.1:8080\"]\n";
            default -> throw new IllegalArgumentException(agent);
        };
    }

    /** The text {@code after} adds to {@code before}, failing unless that is the only difference. */
    static String inserted(String before, String after) {
        int p = 0;
        while (p < before.length() && p < after.length() && before.charAt(p) == after.charAt(p)) {
            p++;
        }
        int s = 0;
        while (s < before.length() - p && s < after.length() - p
                && before.charAt(before.length() - 1 - s) == after.charAt(after.length() - 1 - s)) {
            s++;
        }
        assertEquals(before.length(), p + s, "one insertion and nothing else changed:\n" + after);
        return after.substring(p, after.length() - s);
    }

    /** Checks the file parses and holds {@code e} as the assistant's shape, and the other servers as they were. */
    private static void assertHolds(McpAgent agent, String before, String after, McpServerEntry e) throws Exception {
        if (agent.name().equals("codex")) {
            var tables = TomlTables.scan(after, Path.of("config.toml"));
            assertEquals(expected("codex", e).replace("\n", after.contains("\r\n") ? "\r\n" : "\n"),
                    after.substring(tables.server("hearth").orElseThrow().start(), tables.server("hearth").orElseThrow().end()));
            if (before.contains("context7")) {
                assertTrue(tables.server("context7").isPresent());
            }
            return;
        }
        String container = agent.name().equals("copilot") ? "servers" : "mcpServers";
        JsonNode doc = LENIENT.readTree(after);
        assertEquals(LENIENT.readTree(expected(agent.name(), e)), doc.get(container).get("hearth"), after);
        JsonNode old = LENIENT.readTree(before);
        var withoutOurs = ((com.fasterxml.jackson.databind.node.ObjectNode) doc.deepCopy());
        ((com.fasterxml.jackson.databind.node.ObjectNode) withoutOurs.get(container)).remove("hearth");
        if (!old.has(container)) {
            withoutOurs.remove(container);
        }
        assertEquals(old, withoutOurs, "every other member and server as it was");
    }

    @ParameterizedTest(name = "{0}, user scope {1}")
    @MethodSource("existingFiles")
    void mergesIntoAnExistingFileAndUninstallsToTheSameBytes(String agentName, boolean userScope, String before) throws Exception {
        Path home = Files.createTempDirectory("home");
        Path project = userScope ? null : Files.createTempDirectory("project");
        McpAgent agent = agent(agentName);
        McpConfigInstaller installer = new McpConfigInstaller(home);
        Path file = installer.file(agent, project);
        assertTrue(file.startsWith(userScope ? home : project), file.toString());
        Files.createDirectories(file.getParent());
        Files.writeString(file, before);

        assertEquals(Action.ADDED, installer.install(agent, project, STDIO, false).action());
        String after = Files.readString(file);
        assertTrue(inserted(before, after).contains("hearth"));
        assertHolds(agent, before, after, STDIO);

        assertEquals(Action.UNCHANGED, installer.install(agent, project, STDIO, false).action(), "installing twice changes nothing");
        assertEquals(after, Files.readString(file));

        assertEquals(Action.UPDATED, installer.install(agent, project, HTTP, false).action(), "its own entry is Hearth's to change");
        assertHolds(agent, before, Files.readString(file), HTTP);

        var out = installer.uninstall(agent, project, "hearth").orElseThrow();
        assertEquals(Action.REMOVED, out.action(), out.describe());
        assertEquals(before, Files.readString(file), "byte for byte as before");
        assertFalse(Files.exists(home.resolve(".hearth/mcp-installs.json")), "nothing left in the record");
        assertTrue(installer.uninstall(agent, project, "hearth").isEmpty(), "nothing more to do");
    }

    @Test
    void aFileHearthCreatedIsDeletedWithItsFoldersWhenNothingElseIsInIt() throws Exception {
        for (McpAgent agent : AGENTS) {
            for (boolean userScope : List.of(false, true)) {
                Path home = Files.createTempDirectory("home");
                Path project = userScope ? null : Files.createTempDirectory("project");
                McpConfigInstaller installer = new McpConfigInstaller(home);
                Path file = installer.file(agent, project);
                assertEquals(Action.ADDED, installer.install(agent, project, HTTP, false).action());
                assertHolds(agent, agent.name().equals("codex") ? "" : "{}", Files.readString(file), HTTP);
                if (!agent.name().equals("codex")) {
                    assertTrue(Files.readString(file).startsWith("{\n  \"" + (agent.name().equals("copilot") ? "servers" : "mcpServers")),
                            "a new file in two-space JSON: " + Files.readString(file));
                }
                assertEquals(Action.DELETED, installer.uninstall(agent, project, "hearth").orElseThrow().action());
                assertFalse(Files.exists(file));
                Path base = userScope ? home : project;
                try (var left = Files.walk(base)) {
                    assertEquals(List.of(base), left.filter(p -> !p.startsWith(home.resolve(".hearth"))).toList(),
                            agent.name() + ": the folders Hearth made are gone too");
                }
            }
        }
    }

    @Test
    void anEntryHearthDidNotWriteIsReplacedOnlyWithForceAndComesBackOnUninstall() throws Exception {
        Path home = Files.createTempDirectory("home");
        Path project = Files.createTempDirectory("project");
        McpConfigInstaller installer = new McpConfigInstaller(home);
        Path file = installer.file(agent("claude-code"), project);
        String mine = "{\n  \"mcpServers\": {\n    \"hearth\": {\"command\": \"my-own-hearth\"} // mine\n  }\n}\n";
        Files.writeString(file, mine);
        McpConfigException refused = assertThrows(McpConfigException.class,
                () -> installer.install(agent("claude-code"), project, STDIO, false));
        assertEquals(file + ": already has an MCP server named 'hearth' that Hearth did not write; use --force to replace it"
                + " (hearth mcp uninstall then puts it back) or --name to add another", refused.getMessage());
        assertEquals(mine, Files.readString(file));

        var kept = installer.uninstall(agent("claude-code"), project, "hearth").orElseThrow();
        assertEquals(Action.KEPT, kept.action());
        assertTrue(kept.describe().contains("Hearth did not write it"), kept.describe());
        assertEquals(mine, Files.readString(file));

        assertEquals(Action.REPLACED, installer.install(agent("claude-code"), project, STDIO, true).action());
        assertHolds(agent("claude-code"), "{\"mcpServers\": {}}", Files.readString(file), STDIO);
        assertTrue(Files.readString(file).contains("} // mine"), "only the value was replaced");
        assertEquals(Action.REMOVED, installer.uninstall(agent("claude-code"), project, "hearth").orElseThrow().action());
        assertEquals(mine, Files.readString(file), "the user's own entry is back as it was");
    }

    @Test
    void anEntryChangedSinceHearthWroteItIsLeftAndSaidSo() throws Exception {
        Path home = Files.createTempDirectory("home");
        McpConfigInstaller installer = new McpConfigInstaller(home);
        for (McpAgent agent : List.of(agent("gemini"), agent("codex"))) {
            Path file = installer.file(agent, null);
            installer.install(agent, null, STDIO, false);
            String edited = Files.readString(file).replace("\"mcp\"", "\"mcp\", \"--read-only\"");
            Files.writeString(file, edited);
            var kept = installer.uninstall(agent, null, "hearth").orElseThrow();
            assertEquals(Action.KEPT, kept.action());
            assertEquals("kept hearth in " + file + " (" + agent.name()
                    + "): it was changed since Hearth wrote it; remove it by hand if it should go", kept.describe());
            assertEquals(edited, Files.readString(file));
            McpConfigException refused = assertThrows(McpConfigException.class, () -> installer.install(agent, null, STDIO, false));
            assertTrue(refused.getMessage().contains("that was changed since Hearth wrote it; use --force"), refused.getMessage());
        }
    }

    @Test
    void aBrokenFileIsNamedWithItsLineAndNothingIsWrittenAnywhere() throws Exception {
        Path home = Files.createTempDirectory("home");
        Path project = Files.createTempDirectory("project");
        McpConfigInstaller installer = new McpConfigInstaller(home);
        Path vscode = installer.file(agent("copilot"), project);
        Files.createDirectories(vscode.getParent());
        String broken = "{\n  \"servers\": {\n    \"a\": {\"command\": \"x\"}\n    \"b\": {}\n  }\n}\n";
        Files.writeString(vscode, broken);
        McpConfigException e = assertThrows(McpConfigException.class, () -> installer.install(AGENTS, project, STDIO, false));
        assertTrue(e.getMessage().startsWith(vscode + ": line 4: not valid JSON: expected ',' or '}'"), e.getMessage());
        assertEquals(broken, Files.readString(vscode));
        try (var files = Files.walk(project)) {
            assertEquals(List.of(project, vscode.getParent(), vscode), files.sorted().toList(), "no other assistant's file was written");
        }
        assertFalse(Files.exists(home.resolve(".hearth/mcp-installs.json")));
    }

    @Test
    void anEntryRemovedByHandOnlyDropsTheRecord() throws Exception {
        Path home = Files.createTempDirectory("home");
        McpConfigInstaller installer = new McpConfigInstaller(home);
        Path file = installer.file(agent("cursor"), null);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"mcpServers\": {}}");
        installer.install(agent("cursor"), null, STDIO, false);
        Files.writeString(file, "{\"mcpServers\": {}}");
        assertEquals(Action.ABSENT, installer.uninstall(agent("cursor"), null, "hearth").orElseThrow().action());
        assertEquals("{\"mcpServers\": {}}", Files.readString(file));
        assertFalse(Files.exists(home.resolve(".hearth/mcp-installs.json")));
    }

    @Test
    void entriesAreCheckedAndPointWhereHearthServes() {
        assertEquals(URI.create("http://h:9/mcp"), McpServerEntry.hearthHttp("hearth", URI.create("http://h:9/"), null).url());
        assertEquals(URI.create("https://h/x/mcp"), McpServerEntry.hearthHttp("hearth", URI.create("https://h/x/mcp"), null).url());
        assertEquals(List.of("-jar", "/x/hearth.jar", "mcp"),
                McpServerEntry.hearthStdio("hearth", List.of("/usr/bin/java", "-jar", "/x/hearth.jar"), null).args());
        assertThrows(IllegalArgumentException.class, () -> McpServerEntry.hearthHttp("hearth", URI.create("ftp://h"), null));
        assertThrows(IllegalArgumentException.class, () -> McpServerEntry.hearthStdio("my server", List.of("hearth"), null));
        assertThrows(IllegalArgumentException.class, () -> McpServerEntry.hearthHttp("hearth", HEARTH, "not-a-variable"));
        assertThrows(IllegalArgumentException.class, () -> McpAgent.named("emacs"));
        List<String> files = new ArrayList<>();
        for (String os : List.of("Linux", "Mac OS X", "Windows 11")) {
            files.add(McpAgent.all(os).get(2).file(null, Path.of("/h")).toString().replace('\\', '/'));
        }
        assertEquals(List.of("/h/.config/Code/User/mcp.json", "/h/Library/Application Support/Code/User/mcp.json",
                "/h/AppData/Roaming/Code/User/mcp.json"), files);
        assertEquals(Map.of(), STDIO.env());
    }
}
