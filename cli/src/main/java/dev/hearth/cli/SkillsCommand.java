package dev.hearth.cli;

import dev.hearth.skills.Skill;
import dev.hearth.skills.SkillInstaller;
import dev.hearth.skills.SkillSet;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hearth skills}: Hearth's Agent Skills for coding assistants, listed, installed into each
 * assistant's folder (from this jar, or from a running Hearth with every digest checked), removed
 * and updated exactly, by what the installer recorded.
 */
@Command(name = "skills", mixinStandardHelpOptions = true,
        description = "Install Hearth's Agent Skills into coding assistants' skill folders, list, remove or update them.",
        subcommands = {SkillsCommand.ListSkills.class, SkillsCommand.Install.class, SkillsCommand.Remove.class,
            SkillsCommand.Update.class})
public final class SkillsCommand implements Runnable {

    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    /** Which assistants and where: a project (default: this directory) or the user's home. */
    static final class Where {
        @Option(names = "--agent", defaultValue = "all",
                description = "claude-code, cursor, copilot, gemini, codex or all (default: ${DEFAULT-VALUE}).")
        String agent;

        @ArgGroup(exclusive = true)
        Scope scope = new Scope();

        static final class Scope {
            @Option(names = "--global", description = "Into the user's folders (~/.claude/skills, ...).")
            boolean global;

            @Option(names = "--project", paramLabel = "DIR", description = "Into DIR's folders (default: this directory).")
            Path project;
        }

        List<SkillInstaller.Agent> agents() {
            return agent.equals("all") ? SkillInstaller.AGENTS : List.of(SkillInstaller.agent(agent));
        }

        Path folder(SkillInstaller.Agent a) {
            Path home = Path.of(System.getProperty("user.home"));
            return SkillInstaller.folder(a, scope.global ? null : scope.project != null ? scope.project : Path.of("."), home);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Hearth's skills, and where they are installed.")
    static final class ListSkills implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Mixin
        ListingOutput output = new ListingOutput();

        @Override
        public Integer call() throws Exception {
            boolean json = output.json();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Skill s : SkillSet.bundled().skills()) {
                List<Map<String, Object>> at = new ArrayList<>();
                for (SkillInstaller.Agent a : where.agents()) {
                    String digest = SkillInstaller.installed(where.folder(a)).get(s.name());
                    if (digest != null) {
                        at.add(Map.of("agent", a.name(), "folder", where.folder(a).toString(), "digest", digest,
                                "current", digest.equals(s.digest())));
                    }
                }
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                row.put("name", s.name());
                row.put("description", s.description());
                row.put("digest", s.digest());
                row.put("installed", at);
                rows.add(row);
            }
            if (json) {
                ListingOutput.printJson(Map.of("skills", rows));
                return 0;
            }
            System.out.printf("%-28s %-14s %s%n", "SKILL", "DIGEST", "INSTALLED FOR");
            for (Map<String, Object> row : rows) {
                List<String> at = new ArrayList<>();
                for (Object i : (List<?>) row.get("installed")) {
                    Map<?, ?> m = (Map<?, ?>) i;
                    at.add(m.get("agent") + (Boolean.TRUE.equals(m.get("current")) ? "" : " (older)"));
                }
                System.out.printf("%-28s %-14s %s%n", row.get("name"), ((String) row.get("digest")).substring(7, 19),
                        at.isEmpty() ? "-" : String.join(", ", at));
            }
            return 0;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true, description = "Install the skills for one or every assistant.")
    static final class Install implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Option(names = "--from", paramLabel = "URL", description = "A running Hearth to take them from (default: this jar).")
        URI from;

        @ArgGroup(exclusive = true)
        Mode mode = new Mode();

        static final class Mode {
            @Option(names = "--link", description = "One copy in the .agents/skills folder; the others link to it.")
            boolean link;

            @Option(names = "--copy", description = "A copy in every folder (the default).")
            boolean copy;
        }

        @Override
        public Integer call() throws Exception {
            SkillSet set = from == null ? SkillSet.bundled() : SkillInstaller.fromServer(from);
            String source = from == null ? "jar" : from.toString();
            Path shared = null;
            if (mode.link) {
                shared = where.folder(SkillInstaller.agent("codex")); // .agents/skills: the cross-assistant folder
                SkillInstaller.install(set, shared, source);
            }
            for (SkillInstaller.Agent a : where.agents()) {
                for (SkillInstaller.Installed i : SkillInstaller.install(set, where.folder(a), source, shared)) {
                    System.out.printf("%-12s %-24s %s%n", a.name(), i.skill(), i.folder().toAbsolutePath().normalize());
                }
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove what Hearth installed (one skill, or all).")
    static final class Remove implements Callable<Integer> {
        @Parameters(paramLabel = "SKILL", arity = "0..1", description = "The skill (default: every skill Hearth installed).")
        String skill;

        @Mixin
        Where where = new Where();

        @Override
        public Integer call() throws Exception {
            int removed = 0;
            for (SkillInstaller.Agent a : where.agents()) {
                Path folder = where.folder(a);
                if (skill != null && !SkillInstaller.installed(folder).containsKey(skill)) {
                    continue;
                }
                for (String name : SkillInstaller.remove(folder, skill)) {
                    System.out.printf("removed %s for %s%n", name, a.name());
                    removed++;
                }
            }
            if (removed == 0) {
                throw new IllegalArgumentException(skill == null ? "nothing installed by Hearth here"
                        : "no skill named " + skill + " was installed by Hearth here");
            }
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Bring installed skills up to date from where they came from.")
    static final class Update implements Callable<Integer> {
        @Mixin
        Where where = new Where();

        @Override
        public Integer call() throws Exception {
            SkillSet jar = SkillSet.bundled();
            int updated = 0;
            for (SkillInstaller.Agent a : where.agents()) {
                Path folder = where.folder(a);
                Map<String, String> installed = SkillInstaller.installed(folder);
                List<Skill> stale = jar.skills().stream().filter(s -> installed.containsKey(s.name())
                        && !installed.get(s.name()).equals(s.digest())).toList();
                if (!stale.isEmpty()) {
                    SkillInstaller.install(new SkillSet(stale), folder, "jar");
                    stale.forEach(s -> System.out.printf("updated %s for %s%n", s.name(), a.name()));
                    updated += stale.size();
                }
            }
            System.out.println(updated == 0 ? "every installed skill is up to date" : updated + " skill(s) updated");
            return 0;
        }
    }
}
