package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.skills.Digests;
import dev.hearth.skills.Skill;
import dev.hearth.skills.SkillFile;
import dev.hearth.skills.SkillSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SEP-2640 (skills over MCP) with a raw JSON-RPC client, since the Java SDK has no client for it:
 * over stdio to {@code hearth mcp} started as an assistant starts it, and over {@code /mcp}.
 */
class McpSkillsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INIT = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
            + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}";
    private static HearthProcess.Serving serve;

    @BeforeAll
    static void start() throws Exception {
        serve = HearthProcess.serve("--port", "0", "--replicas", "1", "--state-dir",
                Files.createTempDirectory("hearth-skills").toString());
    }

    @AfterAll
    static void stop() {
        serve.close();
    }

    /** Checks a skills/list or skills/get entry against the skill as bundled: every file, its digest and size. */
    private static void sameAsBundled(JsonNode entry) {
        Skill skill = SkillSet.bundled().get(entry.at("/frontmatter/name").asText());
        assertNotNull(skill, entry.toString());
        assertEquals("skill://" + skill.name() + "/SKILL.md", entry.path("uri").asText());
        assertEquals(skill.description(), entry.at("/frontmatter/description").asText());
        assertEquals(skill.frontmatter().get("license"), entry.at("/frontmatter/license").asText(), "every key passes on");
        assertEquals(((Map<?, ?>) skill.frontmatter().get("metadata")).get("product"), entry.at("/frontmatter/metadata/product").asText());
        Map<String, JsonNode> resources = new HashMap<>();
        entry.path("resources").forEach(r -> resources.put(r.path("uri").asText(), r));
        assertEquals(skill.files().size(), resources.size(), "every file, SKILL.md included");
        for (SkillFile f : skill.files()) {
            JsonNode r = resources.get("skill://" + skill.name() + "/" + f.path());
            assertNotNull(r, f.path());
            assertEquals(f.digest(), r.path("digest").asText());
            assertEquals(f.bytes().length, r.path("size").asInt());
        }
    }

    @Test
    void overStdio() throws Exception {
        Process p = new ProcessBuilder(HearthProcess.command("mcp", "--url", serve.gateway().toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = p.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            java.util.function.Consumer<String> send = line -> {
                try {
                    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    in.flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            };
            send.accept("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"skills/list\"}");
            assertEquals(-32600, JSON.readTree(out.readLine()).at("/error/code").asInt(), "not before initialize");
            send.accept(INIT);
            JsonNode init = JSON.readTree(out.readLine());
            assertEquals(false, init.at("/result/capabilities/extensions/io.modelcontextprotocol~1skills/directoryRead")
                    .asBoolean(true));
            assertTrue(init.at("/result/capabilities").has("resources"), "the extension needs the resources capability");
            send.accept("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

            send.accept("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"skills/list\",\"params\":{}}");
            JsonNode list = JSON.readTree(out.readLine());
            assertEquals("complete", list.at("/result/resultType").asText());
            assertTrue(list.at("/result/ttlMs").asLong() > 0);
            assertEquals("public", list.at("/result/cacheScope").asText());
            assertEquals(SkillSet.bundled().skills().size(), list.at("/result/skills").size());
            list.at("/result/skills").forEach(McpSkillsTest::sameAsBundled);

            send.accept("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"skills/get\",\"params\":{\"uri\":\"skill://hearth-mcp/SKILL.md\"}}");
            sameAsBundled(JSON.readTree(out.readLine()).at("/result/skill"));
            send.accept("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"skills/get\",\"params\":{\"uri\":\"skill://acme/SKILL.md\"}}");
            JsonNode unknown = JSON.readTree(out.readLine());
            assertEquals(-32602, unknown.at("/error/code").asInt());
            assertTrue(unknown.at("/error/message").asText().contains("skill://acme/SKILL.md"));

            // A skill file read as a resource has exactly the bytes its digest promises.
            send.accept("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/read\",\"params\":{\"uri\":"
                    + "\"skill://hearth-mcp/references/clients.md\"}}");
            String text = JSON.readTree(out.readLine()).at("/result/contents/0/text").asText();
            assertEquals(SkillSet.bundled().get("hearth-mcp").file("references/clients.md").digest(),
                    Digests.sha256(text.getBytes(StandardCharsets.UTF_8)));
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void overStreamableHttp() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest.Builder base = HttpRequest.newBuilder(serve.gateway().resolve("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
        HttpResponse<String> init = http.send(base.copy().POST(HttpRequest.BodyPublishers.ofString(INIT)).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
        String list = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"skills/list\"}";
        HttpResponse<String> r = http.send(base.copy().header("Mcp-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString(list)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JSON.readTree(r.body()).at("/result/skills").forEach(McpSkillsTest::sameAsBundled);
        assertEquals(400, http.send(base.copy().POST(HttpRequest.BodyPublishers.ofString(list)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "no session, no skills");
        assertEquals(403, http.send(base.copy().header("Mcp-Session-Id", session).header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(list)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        // Everything else still reaches the SDK, body intact.
        HttpResponse<String> tools = http.send(base.copy().header("Mcp-Session-Id", session).POST(HttpRequest.BodyPublishers
                .ofString("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(tools.statusCode() == 202 || tools.statusCode() == 200, tools.statusCode() + " " + tools.body());
    }
}
