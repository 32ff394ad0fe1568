package dev.hearth.skills;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A set of skills, by name: Hearth's own, bundled in the jar under {@code dev/hearth/skills/bundled/}
 * and listed in {@code bundled.list} there (a jar cannot be listed like a folder), or any folder of
 * skill folders.
 */
public record SkillSet(List<Skill> skills) {

    public SkillSet {
        skills = List.copyOf(skills);
    }

    public Skill get(String name) {
        return skills.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** Hearth's own skills, from the class path. */
    public static SkillSet bundled() {
        String base = "/dev/hearth/skills/bundled/";
        List<String> paths;
        try (InputStream in = SkillSet.class.getResourceAsStream(base + "bundled.list")) {
            if (in == null) {
                return new SkillSet(List.of());
            }
            paths = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, List<SkillFile>> bySkill = new LinkedHashMap<>();
        for (String p : paths) {
            int slash = p.indexOf('/');
            if (slash < 0) {
                throw new IllegalStateException("bundled.list: '" + p + "' is not SKILL/PATH");
            }
            try (InputStream in = SkillSet.class.getResourceAsStream(base + p)) {
                if (in == null) {
                    throw new IllegalStateException("bundled.list names " + p + ", which the jar lacks");
                }
                bySkill.computeIfAbsent(p.substring(0, slash), k -> new ArrayList<>())
                        .add(new SkillFile(p.substring(slash + 1), in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<Skill> skills = new ArrayList<>();
        bySkill.forEach((name, files) -> skills.add(Skill.of(name, files)));
        return new SkillSet(skills);
    }

    /** Every skill folder directly under {@code root}. */
    public static SkillSet fromDirectory(Path root) throws IOException {
        List<Skill> skills = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                List<SkillFile> files = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(folder)) {
                    for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                        files.add(new SkillFile(folder.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f)));
                    }
                }
                skills.add(Skill.of(folder.getFileName().toString(), files));
            }
        }
        return new SkillSet(skills);
    }
}
