package dev.hearth.skills;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Skills published as archives only (the index's {@code type: archive}), served by a real HTTP server
 * on loopback: a good archive installs; a tampered one, one whose entries climb out of the folder,
 * and one holding a link are refused before anything is written, as are file-listing indexes that
 * climb or lie about a digest (a hostile skills server, in SECURITY.md's terms).
 */
class SkillArchivesTest {
    private static final String MD = "---\nname: demo\ndescription: Shows things. Use when asked to demo.\n---\n# Demo\n";
    private final Map<String, byte[]> served = new HashMap<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void ourOwnArchivesReadBackToTheSameSkill() throws Exception {
        for (Skill s : SkillSet.bundled().skills()) {
            assertEquals(s.digest(), SkillPackage.read(s.name(), SkillPackage.of(s)).digest(), s.name());
        }
        byte[] nested = tarGz(entry("demo/SKILL.md", '0', MD), entry("demo/references/a.md", '0', "a"));
        assertEquals(java.util.List.of("SKILL.md", "references/a.md"),
                SkillPackage.read("demo", nested).files().stream().map(SkillFile::path).toList(), "a top folder is stripped");
    }

    @Test
    void anArchiveOnlyIndexInstallsWithItsDigestChecked() throws Exception {
        URI base = serve("demo", tarGz(entry("SKILL.md", '0', MD), entry("scripts/run.sh", '0', "#!/bin/sh\n")), null);
        SkillSet set = SkillInstaller.fromServer(base);
        assertEquals("Shows things. Use when asked to demo.", set.get("demo").description());
        Path folder = Files.createTempDirectory("skills");
        SkillInstaller.install(set, folder, base.toString());
        assertEquals("#!/bin/sh\n", Files.readString(folder.resolve("demo/scripts/run.sh")));
    }

    @Test
    void tamperedClimbingAndLinkingArchivesAreRefused() throws Exception {
        byte[] good = tarGz(entry("SKILL.md", '0', MD));
        assertRefused(serve("demo", good, "sha256:" + "0".repeat(64)), "digest mismatch");
        assertRefused(serve("demo", tarGz(entry("SKILL.md", '0', MD), entry("../../.bashrc", '0', "evil")), null),
                "could leave the skill's folder");
        assertRefused(serve("demo", tarGz(entry("SKILL.md", '0', MD), entry("/etc/cron.d/x", '0', "evil")), null),
                "could leave the skill's folder");
        assertRefused(serve("demo", tarGz(entry("SKILL.md", '0', MD), entry("link", '2', "")), null), "not a regular file");
        assertRefused(serve("demo", "not gzip".getBytes(StandardCharsets.UTF_8), null), "not gzip");
    }

    /**
     * An index listing files (not archives) whose skill name or file path climbs, or whose file is not what
     * it says: refused while reading the server, so the installer never runs.
     */
    @Test
    void hostileFileIndexesAreRefusedBeforeAnythingIsWritten() throws Exception {
        byte[] md = MD.getBytes(StandardCharsets.UTF_8);
        String good = "{\"path\": \"SKILL.md\", \"digest\": \"" + Digests.sha256(md) + "\"}";
        served.put(WellKnownSkills.BASE + "demo/SKILL.md", md);
        assertRefused(serveIndex("../../demo", good), "not a valid skill name");
        assertRefused(serveIndex("demo", good + ", {\"path\": \"../../.bashrc\", \"digest\": \"" + Digests.sha256(md) + "\"}"),
                "could leave the skill's folder");
        assertRefused(serveIndex("demo", good.replace("SKILL.md\"", "/etc/profile\"")), "could leave the skill's folder");
        assertRefused(serveIndex("demo", good.replace(Digests.sha256(md), "sha256:" + "0".repeat(64))), "digest mismatch");
    }

    /** Serves an index with one files-listing entry; the files already in {@code served} stay. */
    private URI serveIndex(String name, String files) throws IOException {
        String index = "{\"skills\": [{\"name\": \"" + name + "\", \"description\": \"d\", \"files\": [" + files + "]}]}";
        return start(Map.of(WellKnownSkills.BASE + "index.json", index.getBytes(StandardCharsets.UTF_8)));
    }

    private void assertRefused(URI base, String why) {
        IOException e = assertThrows(IOException.class, () -> SkillInstaller.fromServer(base));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    /** Serves an index with one archive-only entry; {@code digest} overrides the archive's true digest. */
    private URI serve(String name, byte[] archive, String digest) throws IOException {
        stop();
        served.clear();
        String index = "{\"$schema\": \"https://schemas.agentskills.io/discovery/0.2.0/schema.json\", \"skills\": [{\"name\": \""
                + name + "\", \"type\": \"archive\", \"description\": \"d\", \"url\": \"" + name + ".tar.gz\", \"digest\": \""
                + (digest != null ? digest : Digests.sha256(archive)) + "\"}]}";
        served.put(WellKnownSkills.BASE + name + ".tar.gz", archive);
        return start(Map.of(WellKnownSkills.BASE + "index.json", index.getBytes(StandardCharsets.UTF_8)));
    }

    /** A real HTTP server on loopback answering {@code served} plus {@code more}, 404 otherwise. */
    private URI start(Map<String, byte[]> more) throws IOException {
        stop();
        served.putAll(more);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            byte[] body = served.get(x.getRequestURI().getPath());
            x.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                x.getResponseBody().write(body);
            }
            x.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private record Entry(String path, char type, byte[] body) {}

    private static Entry entry(String path, char type, String body) {
        return new Entry(path, type, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A tar.gz written by hand, so entries the packer would never make can be tested. */
    private static byte[] tarGz(Entry... entries) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] h = SkillPackage.header("x", e.body().length);
            java.util.Arrays.fill(h, 0, 100, (byte) 0);
            byte[] name = e.path().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, h, 0, name.length);
            h[156] = (byte) e.type();
            tar.writeBytes(h);
            tar.writeBytes(e.body());
            tar.writeBytes(new byte[(512 - e.body().length % 512) % 512]);
        }
        tar.writeBytes(new byte[1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        }
        return gz.toByteArray();
    }
}
