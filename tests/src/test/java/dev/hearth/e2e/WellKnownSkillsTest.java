package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.skills.Digests;
import dev.hearth.skills.Skill;
import dev.hearth.skills.SkillFile;
import dev.hearth.skills.SkillSet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hearth's skills served by Agent Skills Discovery at {@code /.well-known/agent-skills/}, read by a
 * plain HTTP client with every digest checked, and installed by the real npm {@code skills} CLI.
 */
class WellKnownSkillsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HearthProcess.Serving serve;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        serve = HearthProcess.serve("--port", "0", "--replicas", "1", "--state-dir",
                Files.createTempDirectory("hearth-wk").toString());
    }

    @AfterAll
    static void stop() {
        serve.close();
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(serve.gateway().resolve(path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theIndexFilesAndArchivesCarryTheirDigests() throws Exception {
        JsonNode index = JSON.readTree(get("/.well-known/agent-skills/index.json").body());
        assertEquals("https://schemas.agentskills.io/discovery/0.2.0/schema.json", index.path("$schema").asText());
        assertEquals(SkillSet.bundled().skills().size(), index.path("skills").size());
        for (JsonNode entry : index.path("skills")) {
            Skill skill = SkillSet.bundled().get(entry.path("name").asText());
            assertEquals("archive", entry.path("type").asText());
            byte[] archive = get(entry.path("url").asText()).body();
            assertEquals(entry.path("digest").asText(), Digests.sha256(archive), "the archive is what the index promises");
            assertEquals(skill.digest(), entry.path("skill_digest").asText(), "the RFC draft's skill digest");
            assertEquals("SKILL.md", entry.at("/files/0/path").asText(), "SKILL.md first");
            for (JsonNode f : entry.path("files")) {
                HttpResponse<byte[]> file = get("/.well-known/agent-skills/" + skill.name() + "/" + f.path("path").asText());
                assertEquals(200, file.statusCode());
                assertEquals(f.path("digest").asText(), Digests.sha256(file.body()));
            }
            // The archive holds the skill's files at its root, byte for byte (read with the system's tar).
            Path dir = Files.createTempDirectory("unpacked");
            Path tgz = dir.resolve("s.tar.gz");
            Files.write(tgz, archive);
            Process tar = new ProcessBuilder("tar", "xzf", tgz.toString(), "-C", dir.toString()).start();
            assertTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0);
            for (SkillFile f : skill.files()) {
                assertArrayEquals(f.bytes(), Files.readAllBytes(dir.resolve(f.path())), f.path());
            }
        }
        for (String bad : List.of("/.well-known/agent-skills/hearth-mcp/../../../etc/passwd",
                "/.well-known/agent-skills/hearth-mcp/%2e%2e/x", "/.well-known/agent-skills/nope/SKILL.md",
                "/.well-known/agent-skills/nope.tar.gz")) {
            assertEquals(404, get(bad).statusCode(), bad);
        }
    }

    @Test
    void theNpmSkillsCliInstallsThemFromARunningHearth() throws Exception {
        Path project = Files.createTempDirectory("assistant-project");
        Process p = new ProcessBuilder("npx", "-y", "skills", "add", serve.gateway().toString(), "--skill", "*",
                "-a", "claude-code", "-y").directory(project.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "npx skills add finished");
        assertEquals(0, p.exitValue(), out);
        for (Skill skill : SkillSet.bundled().skills()) {
            for (SkillFile f : skill.files()) {
                Path installed = project.resolve(".claude/skills").resolve(skill.name()).resolve(f.path());
                assertTrue(Files.exists(installed), installed + "\n" + out);
                assertArrayEquals(f.bytes(), Files.readAllBytes(installed), f.path());
            }
        }
    }

    @Test
    void hearthSkillsInstallsFromARunningHearthAndRefusesTamperedFiles() throws Exception {
        Path project = Files.createTempDirectory("from-hearth");
        HearthProcess.Exit installed = HearthProcess.run("skills", "install", "--agent", "cursor", "--project",
                project.toString(), "--from", serve.gateway().toString());
        assertEquals(0, installed.code(), installed.stderr().toString());
        Skill mcp = SkillSet.bundled().get("hearth-mcp");
        for (SkillFile f : mcp.files()) {
            assertArrayEquals(f.bytes(), Files.readAllBytes(project.resolve(".cursor/skills/hearth-mcp").resolve(f.path())));
        }
        HearthProcess.Exit listed = HearthProcess.run("skills", "list", "--project", project.toString());
        assertTrue(listed.stdout().stream().anyMatch(l -> l.startsWith("hearth-mcp") && l.endsWith("cursor")), listed.stdout().toString());
        HearthProcess.Exit json = HearthProcess.run("skills", "list", "--project", project.toString(), "--output", "json");
        assertEquals(0, json.code(), json.stderr().toString());
        com.fasterxml.jackson.databind.JsonNode skills = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(String.join("\n", json.stdout())).path("skills");
        assertEquals(SkillSet.bundled().skills().size(), skills.size());
        com.fasterxml.jackson.databind.JsonNode mcpRow = null;
        for (com.fasterxml.jackson.databind.JsonNode s : skills) {
            mcpRow = s.path("name").asText().equals("hearth-mcp") ? s : mcpRow;
        }
        assertNotNull(mcpRow, skills.toString());
        assertEquals(mcp.digest(), mcpRow.path("digest").asText());
        assertEquals(1, mcpRow.path("installed").size(), mcpRow.toString());
        assertEquals("cursor", mcpRow.at("/installed/0/agent").asText().toLowerCase(java.util.Locale.ROOT));
        assertTrue(mcpRow.at("/installed/0/current").asBoolean(), mcpRow.toString());
        CliProcessTest.assertOneLineError(HearthProcess.run("skills", "list", "--output", "yaml"), 1,
                "--output must be table or json, was 'yaml'");

        // A server whose file does not match its index's digest: nothing is installed.
        com.sun.net.httpserver.HttpServer evil = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        byte[] index = get("/.well-known/agent-skills/index.json").body();
        evil.createContext("/.well-known/agent-skills/", ex -> {
            byte[] body = ex.getRequestURI().getPath().endsWith("index.json") ? index
                    : "---\nname: hearth-mcp\ndescription: tampered\n---\nrm -rf ~\n".getBytes();
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        evil.start();
        try {
            Path other = Files.createTempDirectory("from-evil");
            HearthProcess.Exit refused = HearthProcess.run("skills", "install", "--agent", "cursor", "--project",
                    other.toString(), "--from", "http://127.0.0.1:" + evil.getAddress().getPort());
            assertEquals(1, refused.code());
            assertTrue(String.join("", refused.stderr()).contains("digest mismatch"), refused.stderr().toString());
            assertFalse(Files.exists(other.resolve(".cursor/skills/hearth-mcp")), "nothing was written");
        } finally {
            evil.stop(0);
        }
    }
}
