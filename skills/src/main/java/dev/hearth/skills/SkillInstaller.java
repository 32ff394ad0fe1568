package dev.hearth.skills;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Installs skills into coding assistants' skill folders (the table in agents.md), and records
 * what it wrote in {@code .hearth-skills.json} beside them, so that remove and update touch exactly
 * those files and nothing of the user's. Every path is checked to stay inside the target folder.
 * Skills come from the jar or from a Hearth's well-known index, where every file's digest is checked
 * before anything is written.
 */
public final class SkillInstaller {
    /** Where each assistant looks for skills: in a project, and for the user. */
    public record Agent(String name, String project, String user) {}

    public static final List<Agent> AGENTS = List.of(
            new Agent("claude-code", ".claude/skills", ".claude/skills"),
            new Agent("cursor", ".cursor/skills", ".cursor/skills"),
            new Agent("copilot", ".github/skills", ".copilot/skills"),
            new Agent("gemini", ".gemini/skills", ".gemini/skills"),
            new Agent("codex", ".agents/skills", ".agents/skills"));
    static final String RECORD = ".hearth-skills.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SkillInstaller() {}

    public static Agent agent(String name) {
        return AGENTS.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown agent '" + name + "'; one of "
                        + AGENTS.stream().map(Agent::name).toList() + " or all"));
    }

    /** The folder an agent reads skills from: under {@code projectDir}, or under the home directory when null. */
    public static Path folder(Agent agent, Path projectDir, Path home) {
        return projectDir != null ? projectDir.resolve(agent.project()) : home.resolve(agent.user());
    }

    /** What one install wrote. */
    public record Installed(String skill, Path folder, String digest, int files) {}

    /** Writes every skill of {@code set} into {@code folder}, replacing an earlier install of the same skill. */
    public static List<Installed> install(SkillSet set, Path folder, String source) throws IOException {
        return install(set, folder, source, null);
    }

    /**
     * Like {@link #install(SkillSet, Path, String)}, but with {@code linkTo} (a folder the skills are
     * installed in already) each skill becomes a symbolic link to its copy there, so one update
     * serves every assistant.
     */
    public static List<Installed> install(SkillSet set, Path folder, String source, Path linkTo) throws IOException {
        Files.createDirectories(folder);
        ObjectNode record = read(folder);
        List<Installed> out = new ArrayList<>();
        for (Skill s : set.skills()) {
            removeOne(folder, record, s.name());
            Path root = inside(folder, s.name());
            if (Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(root + " exists and was not installed by Hearth; move it away first");
            }
            if (linkTo != null && !linkTo.normalize().equals(folder.normalize())) {
                Path target = inside(linkTo, s.name());
                if (!Files.isDirectory(target)) {
                    throw new IOException("cannot link " + root + ": " + target + " is not installed");
                }
                Files.createSymbolicLink(root, target.toAbsolutePath());
                ObjectNode entry = record.putObject(s.name());
                entry.put("digest", s.digest());
                entry.put("source", source);
                entry.put("link", target.toAbsolutePath().toString());
                out.add(new Installed(s.name(), root, s.digest(), 0));
                continue;
            }
            List<String> written = new ArrayList<>();
            for (SkillFile f : s.files()) {
                Path target = inside(root, f.path());
                Files.createDirectories(target.getParent());
                Files.write(target, f.bytes());
                written.add(f.path());
            }
            ObjectNode entry = record.putObject(s.name());
            entry.put("digest", s.digest());
            entry.put("source", source);
            entry.putPOJO("files", written);
            out.add(new Installed(s.name(), root, s.digest(), written.size()));
        }
        write(folder, record);
        return out;
    }

    /** Removes what Hearth installed of {@code skill} (null: every skill it installed); returns the names removed. */
    public static List<String> remove(Path folder, String skill) throws IOException {
        ObjectNode record = read(folder);
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        if (skill != null) {
            if (!names.contains(skill)) {
                throw new IllegalArgumentException("no skill named " + skill + " was installed by Hearth in " + folder);
            }
            names = List.of(skill);
        }
        for (String name : names) {
            removeOne(folder, record, name);
        }
        write(folder, record);
        return names;
    }

    /** The skills Hearth installed in {@code folder}: name to digest. */
    public static Map<String, String> installed(Path folder) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        read(folder).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().path("digest").asText()));
        return out;
    }

    /** Deletes the files the record lists for {@code name} and the folders they leave empty; the user's own stay. */
    private static void removeOne(Path folder, ObjectNode record, String name) throws IOException {
        JsonNode entry = record.remove(name);
        if (entry == null) {
            return;
        }
        Path root = inside(folder, name);
        if (entry.has("link")) {
            if (Files.isSymbolicLink(root)) {
                Files.delete(root); // the link only, never what it points at
            }
            return;
        }
        for (JsonNode f : entry.path("files")) {
            Path p = inside(root, f.asText());
            Files.deleteIfExists(p);
            for (Path dir = p.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
                try (var left = Files.list(dir)) {
                    if (left.findAny().isPresent()) {
                        break;
                    }
                }
                Files.delete(dir);
            }
        }
    }

    /** {@code base/relative}, refused unless it stays inside {@code base}. */
    static Path inside(Path base, String relative) {
        if (!SkillPaths.safe(relative)) {
            throw new IllegalArgumentException("refusing '" + relative + "': it could leave " + base);
        }
        Path p = base.resolve(relative).normalize();
        if (!p.startsWith(base.normalize())) {
            throw new IllegalArgumentException("refusing '" + relative + "': it leaves " + base);
        }
        return p;
    }

    private static ObjectNode read(Path folder) throws IOException {
        Path file = folder.resolve(RECORD);
        if (!Files.isRegularFile(file)) {
            return JSON.createObjectNode();
        }
        JsonNode n = JSON.readTree(file.toFile());
        return n instanceof ObjectNode o ? o : JSON.createObjectNode();
    }

    private static void write(Path folder, ObjectNode record) throws IOException {
        if (record.isEmpty()) {
            Files.deleteIfExists(folder.resolve(RECORD));
        } else {
            JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(RECORD).toFile(), record);
        }
    }

    /**
     * The skills a Hearth serves at {@code base}{@value WellKnownSkills#BASE}: each file downloaded and
     * checked against the index's digest, and each skill against its digest, before any is used.
     */
    public static SkillSet fromServer(URI base) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI indexUrl = base.resolve(WellKnownSkills.BASE + "index.json");
        JsonNode index = JSON.readTree(get(http, indexUrl, Duration.ofSeconds(30)));
        List<Skill> skills = new ArrayList<>();
        for (JsonNode entry : index.path("skills")) {
            String name = entry.path("name").asText();
            if (!SkillPaths.validName(name)) {
                throw new IOException("the index names a skill '" + name + "' that is not a valid skill name");
            }
            if (!entry.path("files").isArray() || entry.path("files").isEmpty()) {
                skills.add(fromArchive(http, base, name, entry));
                continue;
            }
            List<SkillFile> files = new ArrayList<>();
            for (JsonNode f : entry.path("files")) {
                String path = f.path("path").asText();
                if (!SkillPaths.safe(path)) {
                    throw new IOException("refusing " + name + "/" + path + ": it could leave the skill's folder");
                }
                URI url = base.resolve(WellKnownSkills.BASE + name + "/" + path);
                SkillFile sf = new SkillFile(path, get(http, url, Duration.ofSeconds(30)));
                if (!sf.digest().equals(f.path("digest").asText())) {
                    throw new IOException("digest mismatch for " + url + ": the index says " + f.path("digest").asText()
                            + ", the file is " + sf.digest() + "; nothing was installed");
                }
                files.add(sf);
            }
            Skill skill = Skill.of(name, files);
            String expected = entry.path("skill_digest").asText(entry.path("digest").asText());
            if (entry.has("skill_digest") && !skill.digest().equals(expected)) {
                throw new IOException("skill digest mismatch for " + name + "; nothing was installed");
            }
            skills.add(skill);
        }
        return new SkillSet(skills);
    }

    /** An index entry of type archive: the package downloaded, its digest checked, then unpacked safely. */
    private static Skill fromArchive(HttpClient http, URI base, String name, JsonNode entry)
            throws IOException, InterruptedException {
        if (!entry.path("type").asText().equals("archive") || !entry.hasNonNull("url") || !entry.hasNonNull("digest")) {
            throw new IOException("the index lists neither files nor an archive for " + name);
        }
        URI url = base.resolve(WellKnownSkills.BASE).resolve(entry.path("url").asText());
        byte[] archive = get(http, url, Duration.ofSeconds(60));
        String digest = Digests.sha256(archive);
        if (!digest.equals(entry.path("digest").asText())) {
            throw new IOException("digest mismatch for " + url + ": the index says " + entry.path("digest").asText()
                    + ", the archive is " + digest + "; nothing was installed");
        }
        return SkillPackage.read(name, archive);
    }

    /** The body of a GET that must answer 200. */
    private static byte[] get(HttpClient http, URI url, Duration timeout) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(url).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return r.body();
    }
}
