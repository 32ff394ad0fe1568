package dev.hearth.skills;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Digests and the index as Agent Skills Discovery v0.2.0 defines them, checked against its worked example. */
class DigestsTest {
    private static SkillFile file(String path, String text) {
        return new SkillFile(path, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theRfcsWorkedExample() {
        // SKILL.md = "# Hello\n", scripts/run.sh = "#!/bin/sh\n": the RFC's skill digest.
        assertEquals("sha256:34f7a8c484e9991f3e71a309f31332d6335efc01f544105c4185a7c4ab12eb1e",
                Digests.skill(List.of(file("scripts/run.sh", "#!/bin/sh\n"), file("SKILL.md", "# Hello\n"))));
        assertEquals(Digests.sha256("# Hello\n".getBytes(StandardCharsets.UTF_8)), file("SKILL.md", "# Hello\n").digest());
        assertTrue(file("SKILL.md", "x").digest().matches("sha256:[0-9a-f]{64}"));
    }

    @Test
    void skillsAreCheckedAsTheSpecificationSays() {
        String md = "---\nname: demo\ndescription: Shows things. Use when asked to demo.\nmetadata:\n  owner: hearth\n---\n# Demo\n";
        Skill s = Skill.of("demo", List.of(file("references/more.md", "more"), file("SKILL.md", md)));
        assertEquals("SKILL.md", s.files().get(0).path(), "SKILL.md first");
        assertEquals("Shows things. Use when asked to demo.", s.description());
        Map<String, Object> index = DiscoveryIndex.of(new SkillSet(List.of(s)));
        assertEquals("0.2.0", index.get("version"));
        assertEquals(s.digest(), ((Map<?, ?>) ((List<?>) index.get("skills")).get(0)).get("digest"));

        assertTrue(assertThrows(IllegalArgumentException.class, () -> Skill.of("demo", List.of(file("SKILL.md",
                md.replace("name: demo", "name: other"))))).getMessage().contains("must equal the folder name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Skill.of("demo", List.of(file("SKILL.md",
                md.replace("metadata:", "version: 2\nmetadata:"))))).getMessage().contains("'version' is not allowed"));
        assertThrows(IllegalArgumentException.class, () -> Skill.of("Demo", List.of(file("SKILL.md", md))));
        assertEquals(Map.of("owner", "hearth"), s.frontmatter().get("metadata"), "the whole frontmatter is kept");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Skill.of("demo", List.of(file("SKILL.md",
                md.replace("  owner: hearth", "  owner: [a, b]"))))).getMessage().contains("metadata must map strings to strings"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Skill.of("demo", List.of(file("SKILL.md",
                md.replace("metadata:", "compatibility: " + "x".repeat(501) + "\nmetadata:"))))).getMessage()
                .contains("compatibility must be 1-500 characters"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Skill.of("demo", List.of(file("SKILL.md",
                md.replace("name: demo", "name: [demo"))))).getMessage().contains("not valid YAML"));
        assertThrows(IllegalArgumentException.class, () -> Skill.of("demo", List.of(file("SKILL.md",
                md.replace("Shows things.", "Shows <b>things</b>.")))));
    }

    @Test
    void pathsThatCouldEscapeAFolderAreRefused() {
        for (String bad : new String[] {"../x", "/etc/passwd", "a/../../b", "a\\b", "a//b", "./a", "", "a/"}) {
            assertFalse(SkillPaths.safe(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> file(bad, "x"), bad);
        }
        assertTrue(SkillPaths.safe("references/config.md"));
        assertFalse(SkillPaths.validName("a--b"));
        assertFalse(SkillPaths.validName("-a"));
        assertTrue(SkillPaths.validName("hearth-mcp"));
    }
}
