package dev.hearth.skills;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every bundled skill passes the specification's own reference validator, the npm package
 * {@code skills-ref} (agentskills/agentskills), run as a real process; and the validator does
 * refuse a broken skill, so a pass means something.
 */
class SpecificationValidatorTest {

    @Test
    void everyBundledSkillPassesTheReferenceValidator() throws Exception {
        Path root = Path.of("src/main/resources/dev/hearth/skills/bundled").toAbsolutePath();
        for (Skill s : SkillSet.bundled().skills()) {
            Result r = validate(root.resolve(s.name()));
            assertEquals(0, r.code(), s.name() + ": " + r.output());
            assertTrue(r.output().contains("Valid skill"), r.output());
        }
    }

    @Test
    void theValidatorRefusesASkillThatBreaksTheRules() throws Exception {
        Path dir = Files.createTempDirectory("bad-skill").resolve("Bad--Name");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("SKILL.md"), "---\nname: Bad--Name\ndescription: x\nversion: 2\n---\n# x\n");
        Result r = validate(dir);
        assertNotEquals(0, r.code(), r.output());
    }

    private record Result(int code, String output) {}

    private static Result validate(Path dir) throws Exception {
        Process p = new ProcessBuilder("npx", "-y", "skills-ref", "validate", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "skills-ref did not finish");
        return new Result(p.exitValue(), out.lines().filter(l -> !l.startsWith("npm warn")).reduce("", (a, b) -> a + b + "\n"));
    }
}
