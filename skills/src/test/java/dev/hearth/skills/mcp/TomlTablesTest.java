package dev.hearth.skills.mcp;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Codex's config.toml: whole tables appended and removed, everything else byte for byte. */
class TomlTablesTest {
    private static final Path FILE = Path.of("/home/u/.codex/config.toml");
    private static final TomlMcpConfig CODEX = new TomlMcpConfig();
    private static final McpServerEntry STDIO = McpServerEntry.stdio("hearth", List.of("/opt/hearth", "mcp"),
            Map.of("HEARTH_URL", "http://127.0.0.1:8080"));

    /** Values whose brackets, quotes and '#' must not be taken for headers or comments. */
    private static final String TRICKY = """
            model = "gpt-5.1" # a comment
            notify = ["python3", "/x/[mcp_servers.hearth]/notify.py"]
            instructions = \"\"\"
            [mcp_servers.hearth]
            not a header: inside a multi-line string
            \"\"\"
            literal = '''
            [also.not.a.header]'''
            when = 1979-05-27 07:32:00Z

            [mcp_servers.context7]
            command = "npx"
            args = [
              "-y",   # comment inside an array
              "@upstash/context7-mcp",
              [ "nested" ],
            ]
            env = { "A" = "b", C = "[d]" }

            [profiles.fast]
            model = "o4-mini"
            """;

    @Test
    void appendsAfterABlankLineAndRemovesExactly() throws Exception {
        McpConfigFormat.Edit edit = CODEX.put(TRICKY, FILE, STDIO);
        String block = """
                [mcp_servers.hearth]
                command = "/opt/hearth"
                args = ["mcp"]

                [mcp_servers.hearth.env]
                HEARTH_URL = "http://127.0.0.1:8080"
                """;
        assertEquals(TRICKY + "\n" + block, edit.text());
        assertEquals(block, CODEX.entry(edit.text(), FILE, "hearth").orElseThrow());
        assertTrue(CODEX.same(CODEX.entry(edit.text(), FILE, "hearth").orElseThrow(), edit.written()));
        assertTrue(CODEX.entry(TRICKY, FILE, "hearth").isEmpty(), "nothing inside strings or arrays counts");
        assertEquals(TRICKY, CODEX.remove(edit.text(), FILE, "hearth", edit.undo()));
    }

    @Test
    void aFileWithoutAFinalNewlineOrEmptyComesBackAsItWas() throws Exception {
        for (String before : List.of("model = \"o3\"", "", "# only a comment\n", "a = 1\r\nb = 2\r\n")) {
            McpConfigFormat.Edit edit = CODEX.put(before, FILE, McpServerEntry.http("hearth", java.net.URI.create("http://h:8080/mcp"), "KEY"));
            String nl = before.contains("\r\n") ? "\r\n" : "\n";
            assertTrue(edit.text().endsWith("[mcp_servers.hearth]" + nl + "url = \"http://h:8080/mcp\"" + nl
                    + "bearer_token_env_var = \"KEY\"" + nl), edit.text());
            TomlTables.scan(edit.text(), FILE); // still TOML as far as the scanner reads it
            assertEquals(before, CODEX.remove(edit.text(), FILE, "hearth", edit.undo()), before);
        }
    }

    @Test
    void aTableInTheMiddleIsRemovedWithItsBlankLinesOnlyAndReplacedInPlace() throws Exception {
        String text = "a = 1\n\n[mcp_servers.hearth]\ncommand = \"old\"\nargs = []\n\n# about the next one\n[other]\nx = 2\n";
        assertEquals("[mcp_servers.hearth]\ncommand = \"old\"\nargs = []\n", CODEX.entry(text, FILE, "hearth").orElseThrow());
        assertEquals("a = 1\n\n# about the next one\n[other]\nx = 2\n", CODEX.remove(text, FILE, "hearth", Map.of()));
        String replaced = CODEX.put(text, FILE, STDIO).text();
        assertTrue(replaced.startsWith("a = 1\n\n[mcp_servers.hearth]\ncommand = \"/opt/hearth\""), replaced);
        assertTrue(replaced.endsWith("HEARTH_URL = \"http://127.0.0.1:8080\"\n\n# about the next one\n[other]\nx = 2\n"), replaced);
        assertEquals(text, CODEX.restore(replaced, FILE, "hearth", "[mcp_servers.hearth]\ncommand = \"old\"\nargs = []\n"));
    }

    @Test
    void aServerWrittenAnotherWayIsRefusedWithItsLine() {
        for (var other : List.of(
                List.of("[mcp_servers]\nhearth = { command = \"x\" }\n", "line 2"),
                List.of("mcp_servers.hearth.command = \"x\"\n", "line 1"),
                List.of("[mcp_servers.hearth]\ncommand = \"x\"\n[b]\n[mcp_servers.hearth.env]\nA = \"b\"\n", "line 4"))) {
            McpConfigException e = assertThrows(McpConfigException.class, () -> CODEX.put(other.get(0), FILE, STDIO), other.get(0));
            assertTrue(e.getMessage().contains(other.get(1) + ": an MCP server named 'hearth' is written in a form Hearth does not edit"),
                    e.getMessage());
        }
        String quoted = "[mcp_servers.\"hearth\"]\ncommand = \"x\"\n[mcp_servers.'hearth'.env]\n";
        assertEquals(quoted, assertDoesNotThrow(() -> CODEX.entry(quoted, FILE, "hearth").orElseThrow()), "quoted keys are the same key");
    }

    @Test
    void textThatIsNotTomlIsRefusedWithItsLine() {
        for (var broken : List.of(
                List.of("a = 1\n[mcp_servers.x\ncommand = \"y\"\n", "line 2"),
                List.of("a = \"open\nb = 2\n", "line 1"),
                List.of("a = [1, 2\n\n", "line 3"),
                List.of("a = \"\"\"never closed\n", "line 1"),
                List.of("just words\n", "line 1"))) {
            McpConfigException e = assertThrows(McpConfigException.class, () -> CODEX.put(broken.get(0), FILE, STDIO), broken.get(0));
            assertTrue(e.getMessage().contains(broken.get(1) + ": not valid TOML"), e.getMessage());
        }
    }
}
