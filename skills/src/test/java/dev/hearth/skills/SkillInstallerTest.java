package dev.hearth.skills;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Installing into assistants' folders: exact records, exact removal, links, and nothing outside the folder. */
class SkillInstallerTest {

    @Test
    void installRecordsExactlyWhatItWroteAndRemoveTouchesNothingElse() throws Exception {
        Path project = Files.createTempDirectory("project");
        Path folder = SkillInstaller.folder(SkillInstaller.agent("cursor"), project, Path.of("/nonexistent-home"));
        assertEquals(project.resolve(".cursor/skills"), folder);
        Files.createDirectories(folder.resolve("users-own"));
        Files.writeString(folder.resolve("users-own/SKILL.md"), "mine");
        var installed = SkillInstaller.install(SkillSet.bundled(), folder, "jar");
        assertEquals(SkillSet.bundled().skills().size(), installed.size());
        Skill mcp = SkillSet.bundled().get("hearth-mcp");
        for (SkillFile f : mcp.files()) {
            assertArrayEquals(f.bytes(), Files.readAllBytes(folder.resolve("hearth-mcp").resolve(f.path())));
        }
        assertEquals(mcp.digest(), SkillInstaller.installed(folder).get("hearth-mcp"));
        // A file the user added inside the skill's folder survives removal, with its folder.
        Files.writeString(folder.resolve("hearth-mcp/notes.md"), "my notes");
        assertEquals(List.of("hearth-mcp"), SkillInstaller.remove(folder, "hearth-mcp"));
        assertFalse(Files.exists(folder.resolve("hearth-mcp/SKILL.md")));
        assertFalse(Files.exists(folder.resolve("hearth-mcp/references")), "emptied folders go");
        assertEquals("my notes", Files.readString(folder.resolve("hearth-mcp/notes.md")));
        assertEquals("mine", Files.readString(folder.resolve("users-own/SKILL.md")));
        assertFalse(SkillInstaller.installed(folder).containsKey("hearth-mcp"));
        assertEquals(SkillSet.bundled().skills().size() - 1, SkillInstaller.installed(folder).size(), "the others stay");
        assertThrows(IllegalArgumentException.class, () -> SkillInstaller.remove(folder, "hearth-mcp"));
    }

    @Test
    void linkedInstallsPointAtOneCopyAndRemovingALinkKeepsIt() throws Exception {
        Path project = Files.createTempDirectory("project");
        Path shared = SkillInstaller.folder(SkillInstaller.agent("codex"), project, null);
        Path claude = SkillInstaller.folder(SkillInstaller.agent("claude-code"), project, null);
        SkillInstaller.install(SkillSet.bundled(), shared, "jar");
        SkillInstaller.install(SkillSet.bundled(), claude, "jar", shared);
        assertTrue(Files.isSymbolicLink(claude.resolve("hearth-mcp")));
        assertEquals(Files.readString(shared.resolve("hearth-mcp/SKILL.md")), Files.readString(claude.resolve("hearth-mcp/SKILL.md")));
        SkillInstaller.remove(claude, null);
        assertFalse(Files.exists(claude.resolve("hearth-mcp"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(shared.resolve("hearth-mcp/SKILL.md")), "the shared copy stays");
    }

    @Test
    void namesAndPathsThatWouldEscapeAreRefused() throws Exception {
        Path folder = Files.createTempDirectory("skills");
        assertThrows(IllegalArgumentException.class, () -> SkillInstaller.inside(folder, "../outside"));
        assertThrows(IllegalArgumentException.class, () -> SkillInstaller.inside(folder, "/etc/passwd"));
        // A tampered record cannot make remove delete outside the skill's folder.
        Files.writeString(folder.resolve(SkillInstaller.RECORD), "{\"x\":{\"digest\":\"d\",\"files\":[\"../../victim\"]}}",
                StandardCharsets.UTF_8);
        Path victim = folder.getParent().resolve("victim");
        Files.writeString(victim, "keep");
        assertThrows(IllegalArgumentException.class, () -> SkillInstaller.remove(folder, "x"));
        assertEquals("keep", Files.readString(victim));
        // A folder the user made with a skill's name is not overwritten.
        Path other = Files.createTempDirectory("skills");
        Files.createDirectories(other.resolve("hearth-mcp"));
        assertThrows(java.io.IOException.class, () -> SkillInstaller.install(SkillSet.bundled(), other, "jar"));
        assertThrows(IllegalArgumentException.class, () -> SkillInstaller.agent("emacs"));
    }

    @Test
    void eachAssistantGetsTheSkillsInItsOwnFolderInAProjectAndInTheHome() throws Exception {
        Map<String, List<String>> expected = Map.of( // project folder, user folder: the table in agents.md
                "claude-code", List.of(".claude/skills", ".claude/skills"),
                "cursor", List.of(".cursor/skills", ".cursor/skills"),
                "copilot", List.of(".github/skills", ".copilot/skills"),
                "gemini", List.of(".gemini/skills", ".gemini/skills"),
                "codex", List.of(".agents/skills", ".agents/skills"));
        assertEquals(expected.keySet(), new java.util.HashSet<>(SkillInstaller.AGENTS.stream().map(SkillInstaller.Agent::name).toList()));
        for (var e : expected.entrySet()) {
            Path project = Files.createTempDirectory("project");
            Path home = Files.createTempDirectory("home");
            SkillInstaller.Agent agent = SkillInstaller.agent(e.getKey());
            for (Path folder : List.of(SkillInstaller.folder(agent, project, home), SkillInstaller.folder(agent, null, home))) {
                SkillInstaller.install(SkillSet.bundled(), folder, "jar");
            }
            for (Skill s : SkillSet.bundled().skills()) {
                for (Path root : List.of(project.resolve(e.getValue().get(0)), home.resolve(e.getValue().get(1)))) {
                    for (SkillFile f : s.files()) {
                        assertArrayEquals(f.bytes(), Files.readAllBytes(root.resolve(s.name()).resolve(f.path())),
                                e.getKey() + ": " + root + "/" + s.name() + "/" + f.path());
                    }
                }
            }
            assertThrows(IllegalArgumentException.class, () -> SkillInstaller.agent("vim"));
        }
    }
}
