package dev.hearth.skills.mcp;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One member in, one member out: the rest of a JSON-with-comments text stays byte for byte. */
class JsoncEditorTest {
    private static final Path FILE = Path.of("/project/mcp.json");
    private static final List<String> SERVERS = List.of("servers");
    private static final JsonNode ENTRY = node("{\"type\": \"stdio\", \"command\": \"/opt/hearth\", \"args\": [\"mcp\"]}");

    private static JsonNode node(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Puts ENTRY as "hearth", checks the expected text, removes it and checks the original comes back. */
    private static void roundTrip(String before, String expected) throws Exception {
        JsoncEditor.Edit edit = JsoncEditor.put(before, FILE, SERVERS, "hearth", ENTRY);
        assertEquals(expected, edit.text());
        assertNotNull(JsoncTree.parse(edit.text(), FILE));
        assertEquals(before, JsoncEditor.remove(edit.text(), FILE, SERVERS, "hearth", edit.undo()));
    }

    @Test
    void appendsAfterTheLastMemberInTheFilesOwnIndentationAndKeepsCommentsAndTrailingCommas() throws Exception {
        String before = """
                {
                   // my servers
                   "servers": {
                      "github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"}, /* keep */
                   },
                   "inputs": [],
                }
                """;
        roundTrip(before, """
                {
                   // my servers
                   "servers": {
                      "github": {"type": "http", "url": "https://api.githubcopilot.com/mcp/"},
                      "hearth": {
                         "type": "stdio",
                         "command": "/opt/hearth",
                         "args": ["mcp"]
                      }, /* keep */
                   },
                   "inputs": [],
                }
                """);
    }

    @Test
    void tabsAndCrlfAreFollowed() throws Exception {
        String before = "{\r\n\t\"servers\": {\r\n\t\t\"a\": {\r\n\t\t\t\"command\": \"x\"\r\n\t\t}\r\n\t}\r\n}\r\n";
        roundTrip(before, "{\r\n\t\"servers\": {\r\n\t\t\"a\": {\r\n\t\t\t\"command\": \"x\"\r\n\t\t},\r\n\t\t\"hearth\": {\r\n"
                + "\t\t\t\"type\": \"stdio\",\r\n\t\t\t\"command\": \"/opt/hearth\",\r\n\t\t\t\"args\": [\"mcp\"]\r\n\t\t}\r\n\t}\r\n}\r\n");
    }

    @Test
    void aOneLineFileStaysOnOneLine() throws Exception {
        roundTrip("{\"servers\":{\"a\":{\"command\":\"x\"}}}",
                "{\"servers\":{\"a\":{\"command\":\"x\"}, \"hearth\": {\"type\": \"stdio\", \"command\": \"/opt/hearth\", \"args\": [\"mcp\"]}}}");
    }

    @Test
    void aMissingContainerIsCreatedAndGoesAgain() throws Exception {
        roundTrip("{\n    \"theme\": \"dark\" // mine\n}\n", """
                {
                    "theme": "dark",
                    "servers": {
                        "hearth": {
                            "type": "stdio",
                            "command": "/opt/hearth",
                            "args": ["mcp"]
                        }
                    } // mine
                }
                """);
    }

    @Test
    void anEmptyContainerGetsItsFormerInsideBack() throws Exception {
        roundTrip("{\n  \"servers\": { },\n  \"inputs\": []\n}", """
                {
                  "servers": {
                    "hearth": {
                      "type": "stdio",
                      "command": "/opt/hearth",
                      "args": ["mcp"]
                    }
                  },
                  "inputs": []
                }""");
        roundTrip("{}", "{\n  \"servers\": {\n    \"hearth\": {\n      \"type\": \"stdio\",\n      \"command\": \"/opt/hearth\",\n"
                + "      \"args\": [\"mcp\"]\n    }\n  }\n}");
    }

    @Test
    void anEmptyOrCommentOnlyTextGetsAnObjectAndComesBackExactly() throws Exception {
        String expected = "{\n  \"servers\": {\n    \"hearth\": {\n      \"type\": \"stdio\",\n      \"command\": \"/opt/hearth\",\n"
                + "      \"args\": [\"mcp\"]\n    }\n  }\n}\n";
        roundTrip("", expected);
        roundTrip("// nothing yet", "// nothing yet\n" + expected);
    }

    @Test
    void replacingKeepsThePlaceAndRemovingTheFirstMemberKeepsTheRest() throws Exception {
        String before = "{\n  \"servers\": {\n    \"hearth\": {\"command\": \"old\"}, // ours\n    \"b\": {}\n  }\n}\n";
        String replaced = JsoncEditor.put(before, FILE, SERVERS, "hearth", node("{\"command\": \"new\"}")).text();
        assertEquals(before.replace("{\"command\": \"old\"}", "{\n      \"command\": \"new\"\n    }"), replaced);
        assertEquals("{\n  \"servers\": {\n    // ours\n    \"b\": {}\n  }\n}\n",
                JsoncEditor.remove(replaced, FILE, SERVERS, "hearth", Map.of()));
        assertEquals(before, JsoncEditor.replaceValue(replaced, FILE, SERVERS, "hearth", "{\"command\": \"old\"}"));
    }

    @Test
    void commentsAroundARemovedMemberStayAndStillCommentOnlyWhatTheyDid() throws Exception {
        assertEquals("{\"servers\": {\"a\": 1 // about a\n}}",
                JsoncEditor.remove("{\"servers\": {\"a\": 1, // about a\n  \"hearth\": 2\n}}", FILE, SERVERS, "hearth", Map.of()));
        assertEquals("{\"servers\": {\"a\": 1 // about a\n  , \"b\": 3}}",
                JsoncEditor.remove("{\"servers\": {\"a\": 1, // about a\n  \"hearth\": 2, \"b\": 3}}", FILE, SERVERS, "hearth", Map.of()));
        assertEquals("{\"servers\": {/* first */ \"b\": 3}}",
                JsoncEditor.remove("{\"servers\": {\"hearth\": 2, /* first */ \"b\": 3}}", FILE, SERVERS, "hearth", Map.of()));
    }

    @Test
    void textThatIsNotJsonIsRefusedWithItsLine() {
        for (var broken : List.of(
                List.of("{\n  \"servers\": {\n    \"a\": 1\n    \"b\": 2\n  }\n}", "line 4"),
                List.of("{\n  \"servers\": {\n", "line 3"), // the end of the file
                List.of("{\n  servers: {}\n}", "line 2"),
                List.of("{\n  \"a\": 'x'\n}", "line 2"),
                List.of("{\n\n  \"a\": \"x\n\"}", "line 3"),
                List.of("{} {}", "line 1"),
                List.of("{\n /* open", "line 2"))) {
            McpConfigException e = assertThrows(McpConfigException.class,
                    () -> JsoncEditor.put(broken.get(0), FILE, SERVERS, "hearth", ENTRY), broken.get(0));
            assertTrue(e.getMessage().startsWith(FILE + ": " + broken.get(1) + ": not valid JSON"), e.getMessage());
        }
        McpConfigException notObject = assertThrows(McpConfigException.class,
                () -> JsoncEditor.put("{\n  \"servers\": []\n}", FILE, SERVERS, "hearth", ENTRY));
        assertTrue(notObject.getMessage().contains("line 2: \"servers\" is not an object"), notObject.getMessage());
        assertThrows(McpConfigException.class, () -> JsoncEditor.put("[1]", FILE, SERVERS, "hearth", ENTRY));
    }

    @Test
    void stringsWithBracesEscapesAndCommentMarkersAreNotMisread() throws Exception {
        String before = "{\"servers\": {\"a\": {\"command\": \"say \\\"}\\\" // not a comment /* nor this\"}}}";
        JsoncEditor.Edit edit = JsoncEditor.put(before, FILE, SERVERS, "hearth", node("{\"url\": \"http://x/mcp\"}"));
        assertEquals(before.substring(0, before.length() - 2) + ", \"hearth\": {\"url\": \"http://x/mcp\"}}}", edit.text());
        assertEquals(before, JsoncEditor.remove(edit.text(), FILE, SERVERS, "hearth", edit.undo()));
    }
}
