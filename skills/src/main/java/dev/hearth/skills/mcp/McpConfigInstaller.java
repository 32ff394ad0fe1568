package dev.hearth.skills.mcp;

import dev.hearth.skills.mcp.McpInstallRecords.Installed;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds an MCP server entry to coding assistants' configuration files and takes it out again, touching
 * nothing else. What it writes is recorded ({@link McpInstallRecords}, {@code ~/.hearth/mcp-installs.json})
 * so that uninstall removes an entry only while it still holds exactly what Hearth wrote, and puts the
 * file back byte for byte; an entry Hearth did not write is never replaced without {@code force} and
 * never removed. Every file is planned before any is written: one refusal changes nothing.
 */
public final class McpConfigInstaller {

    public enum Action { ADDED, UPDATED, REPLACED, UNCHANGED, REMOVED, DELETED, ABSENT, KEPT }

    /** What happened to one file, and why when Hearth left an entry alone. */
    public record Outcome(String agent, Path file, String name, Action action, String why) {
        public boolean changed() {
            return action != Action.UNCHANGED && action != Action.KEPT;
        }

        public String describe() {
            return switch (action) {
                case ADDED -> "added " + name + " to " + file + " (" + agent + ")";
                case UPDATED -> "updated " + name + " in " + file + " (" + agent + ")";
                case REPLACED -> "replaced the " + name + " entry in " + file + " (" + agent
                        + "; hearth mcp uninstall puts the former one back)";
                case UNCHANGED -> name + " in " + file + " is already as requested (" + agent + ")";
                case REMOVED -> "removed " + name + " from " + file + " (" + agent + ")";
                case DELETED -> "removed " + name + " and deleted " + file + ", which Hearth had created (" + agent + ")";
                case ABSENT -> name + " was already gone from " + file + "; Hearth's record of it is dropped (" + agent + ")";
                case KEPT -> "kept " + name + " in " + file + " (" + agent + "): " + why;
            };
        }
    }

    /** One file's planned change: its new text, or null to delete it (and the folders Hearth created for it). */
    private record Plan(Outcome outcome, String text, List<Path> createdDirs) {}

    private final Path home;
    private final Path recordFile;

    public McpConfigInstaller(Path home) {
        this(home, home.resolve(".hearth").resolve("mcp-installs.json"));
    }

    public McpConfigInstaller(Path home, Path recordFile) {
        this.home = home;
        this.recordFile = recordFile;
    }

    /** The file {@code agent} reads: in {@code projectDir}, or the user's when it is null. */
    public Path file(McpAgent agent, Path projectDir) {
        return agent.file(projectDir, home).toAbsolutePath().normalize();
    }

    public Outcome install(McpAgent agent, Path projectDir, McpServerEntry entry, boolean force) throws IOException {
        return install(List.of(agent), projectDir, entry, force).get(0);
    }

    /** Adds {@code entry} for each agent; refuses (changing nothing) where an entry of that name is not Hearth's, unless {@code force}. */
    public List<Outcome> install(List<McpAgent> agents, Path projectDir, McpServerEntry entry, boolean force) throws IOException {
        McpInstallRecords records = McpInstallRecords.load(recordFile);
        List<Plan> plans = new ArrayList<>();
        for (McpAgent agent : agents) {
            plans.add(planInstall(records, agent, file(agent, projectDir), entry, force));
        }
        return apply(plans, records);
    }

    public Optional<Outcome> uninstall(McpAgent agent, Path projectDir, String name) throws IOException {
        return uninstall(List.of(agent), projectDir, name).stream().findFirst();
    }

    /** Takes out the entry named {@code name} where Hearth wrote it and it is unchanged; says why wherever it is left. */
    public List<Outcome> uninstall(List<McpAgent> agents, Path projectDir, String name) throws IOException {
        McpInstallRecords records = McpInstallRecords.load(recordFile);
        List<Plan> plans = new ArrayList<>();
        for (McpAgent agent : agents) {
            Plan p = planUninstall(records, agent, file(agent, projectDir), name);
            if (p != null) {
                plans.add(p);
            }
        }
        return apply(plans, records);
    }

    private Plan planInstall(McpInstallRecords records, McpAgent agent, Path file, McpServerEntry entry, boolean force)
            throws IOException {
        McpConfigFormat format = agent.format();
        String name = entry.name();
        boolean exists = Files.exists(file);
        String text = read(file);
        Installed rec = records.get(file, name);
        Optional<String> current = format.entry(text, file, name);
        if (current.isPresent()) {
            boolean ours = rec != null && format.same(current.get(), rec.written());
            if (ours && format.same(current.get(), format.render(entry))) {
                return new Plan(new Outcome(agent.name(), file, name, Action.UNCHANGED, null), text, List.of());
            }
            if (!ours && !force) {
                throw new McpConfigException(file, 0, "already has an MCP server named '" + name + "' that "
                        + (rec == null ? "Hearth did not write" : "was changed since Hearth wrote it")
                        + "; use --force to replace it (hearth mcp uninstall then puts it back) or --name to add another");
            }
            McpConfigFormat.Edit edit = format.put(text, file, entry);
            records.put(file, name, ours ? rec.written(edit.written())
                    : new Installed(agent.name(), edit.written(), false, List.of(), current.get(), null));
            return new Plan(new Outcome(agent.name(), file, name, ours ? Action.UPDATED : Action.REPLACED, null),
                    edit.text(), List.of());
        }
        List<Path> created = new ArrayList<>();
        for (Path dir = file.getParent(); !exists && dir != null && !Files.exists(dir); dir = dir.getParent()) {
            created.add(dir);
        }
        McpConfigFormat.Edit edit = format.put(text, file, entry);
        records.put(file, name, new Installed(agent.name(), edit.written(), !exists,
                created.stream().map(Path::toString).toList(), null, edit.undo()));
        return new Plan(new Outcome(agent.name(), file, name, Action.ADDED, null), edit.text(), created);
    }

    private Plan planUninstall(McpInstallRecords records, McpAgent agent, Path file, String name) throws IOException {
        McpConfigFormat format = agent.format();
        Installed rec = records.get(file, name);
        String text = read(file);
        Optional<String> current = Files.exists(file) ? format.entry(text, file, name) : Optional.empty();
        if (rec == null) {
            return current.isEmpty() ? null : new Plan(new Outcome(agent.name(), file, name, Action.KEPT,
                    "Hearth did not write it (no record of it in " + recordFile + ")"), text, List.of());
        }
        if (current.isEmpty()) {
            records.remove(file, name);
            return new Plan(new Outcome(agent.name(), file, name, Action.ABSENT, null), text, List.of());
        }
        if (!format.same(current.get(), rec.written())) {
            return new Plan(new Outcome(agent.name(), file, name, Action.KEPT,
                    "it was changed since Hearth wrote it; remove it by hand if it should go"), text, List.of());
        }
        String after = rec.replaced() != null ? format.restore(text, file, name, rec.replaced())
                : format.remove(text, file, name, rec.undo());
        records.remove(file, name);
        if (rec.createdFile() && after.isBlank()) {
            return new Plan(new Outcome(agent.name(), file, name, Action.DELETED, null), null,
                    rec.createdDirs().stream().map(Path::of).toList());
        }
        return new Plan(new Outcome(agent.name(), file, name, Action.REMOVED, null), after, List.of());
    }

    /**
     * Writes the planned texts in place (not by renaming a new file over the old one, which would
     * replace a symbolic link to a dotfiles repository and lose the file's permissions), then the record.
     */
    private List<Outcome> apply(List<Plan> plans, McpInstallRecords records) throws IOException {
        List<Outcome> out = new ArrayList<>();
        for (Plan p : plans) {
            Path file = p.outcome().file();
            if (p.text() == null) {
                Files.deleteIfExists(file);
                for (Path dir : p.createdDirs()) { // deepest first
                    try (var left = Files.list(dir)) {
                        if (left.findAny().isPresent()) {
                            break;
                        }
                    } catch (java.nio.file.NoSuchFileException gone) {
                        continue;
                    }
                    Files.delete(dir);
                }
            } else if (p.outcome().changed()) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, p.text(), StandardCharsets.UTF_8);
            }
            out.add(p.outcome());
        }
        records.save();
        return out;
    }

    private static String read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        if (!Files.isRegularFile(file)) {
            throw new McpConfigException(file, 0, "is not a regular file");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new McpConfigException(file, 0, "is not UTF-8 text; Hearth has not changed it");
        }
    }
}
