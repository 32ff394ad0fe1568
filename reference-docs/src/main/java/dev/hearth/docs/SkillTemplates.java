package dev.hearth.docs;

import dev.hearth.skills.Skill;
import dev.hearth.skills.SkillFile;
import dev.hearth.skills.SkillSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Hearth's skills as written: one folder per skill under {@code skills/src/main/templates/}, where a
 * file ending in {@code .hbs} is a Handlebars template rendered with the {@link ProductFacts} (and
 * loses the suffix) and any other file is taken as it is. The result is what the jar bundles.
 */
final class SkillTemplates {
    private SkillTemplates() {}

    /** Skill name to its rendered files (path in the skill to bytes), in name order. */
    static Map<String, Map<String, byte[]>> render(Path templatesDir, Templates templates) throws IOException {
        Map<String, Map<String, byte[]>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(templatesDir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            Path rel = templatesDir.relativize(file);
            if (rel.getNameCount() < 2) {
                throw new IllegalStateException(file + ": files belong in a skill's folder");
            }
            String skill = rel.getName(0).toString();
            String path = rel.subpath(1, rel.getNameCount()).toString().replace('\\', '/');
            byte[] bytes = Files.readAllBytes(file);
            if (path.endsWith(".hbs")) {
                path = path.substring(0, path.length() - 4);
                bytes = templates.render(skill + "/" + path + ".hbs", new String(bytes, StandardCharsets.UTF_8))
                        .getBytes(StandardCharsets.UTF_8);
            }
            out.computeIfAbsent(skill, k -> new TreeMap<>()).put(path, bytes);
        }
        return out;
    }

    /** The rendered skills, checked as the specification says (frontmatter, names, paths). */
    static SkillSet asSkillSet(Map<String, Map<String, byte[]>> rendered) {
        List<Skill> skills = new ArrayList<>();
        rendered.forEach((name, files) -> skills.add(Skill.of(name,
                files.entrySet().stream().map(e -> new SkillFile(e.getKey(), e.getValue())).toList())));
        return new SkillSet(skills);
    }
}
