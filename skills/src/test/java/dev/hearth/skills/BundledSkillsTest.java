package dev.hearth.skills;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Hearth's own skills load and are valid, and bundled.list names exactly the files in the source tree. */
class BundledSkillsTest {

    @Test
    void everyBundledSkillLoadsAndTheListIsComplete() throws Exception {
        SkillSet bundled = SkillSet.bundled();
        assertFalse(bundled.skills().isEmpty());
        Path root = Path.of("src/main/resources/dev/hearth/skills/bundled");
        SkillSet onDisk = SkillSet.fromDirectory(root);
        assertEquals(onDisk.skills().stream().map(Skill::name).toList(), bundled.skills().stream().map(Skill::name).toList());
        for (Skill s : onDisk.skills()) {
            assertEquals(s.digest(), bundled.get(s.name()).digest(), s.name() + ": the jar holds what the tree holds");
            String md = new String(s.files().get(0).bytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(md.lines().count() < 500, s.name() + ": SKILL.md under 500 lines");
            // Relative links point at files the skill has.
            java.util.regex.Matcher link = java.util.regex.Pattern.compile("\\]\\(([^)#:]+)\\)").matcher(md);
            while (link.find()) {
                assertNotNull(s.file(link.group(1)), s.name() + " links to " + link.group(1));
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            List<String> listed = Files.readAllLines(root.resolve("bundled.list")).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).sorted().toList();
            List<String> present = files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.equals("bundled.list")).sorted().toList();
            assertEquals(present, listed, "bundled.list lists every file of every bundled skill");
        }
    }
}
