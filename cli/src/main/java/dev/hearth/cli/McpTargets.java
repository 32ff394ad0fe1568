package dev.hearth.cli;

import dev.hearth.skills.mcp.McpAgent;
import dev.hearth.skills.mcp.McpConfigInstaller;
import dev.hearth.skills.mcp.McpServerEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** Which assistants' MCP files, where (a project, by default this directory, or the user's), and the entry's name. */
final class McpTargets {
    @Option(names = "--agent", defaultValue = "all",
            description = "claude-code, cursor, copilot, gemini, codex or all (default: ${DEFAULT-VALUE}).")
    String agent;

    @ArgGroup(exclusive = true)
    Scope scope = new Scope();

    static final class Scope {
        @Option(names = "--global", description = "The user's files (~/.claude.json, ~/.cursor/mcp.json, VS Code's user mcp.json, "
                + "~/.gemini/settings.json, ~/.codex/config.toml).")
        boolean global;

        @Option(names = "--project", paramLabel = "DIR", description = "DIR's files (.mcp.json, .cursor/mcp.json, .vscode/mcp.json, "
                + ".gemini/settings.json, .codex/config.toml; default: this directory).")
        Path project;
    }

    @Option(names = "--name", defaultValue = McpServerEntry.DEFAULT_NAME,
            description = "The server's name in the files (default: ${DEFAULT-VALUE}).")
    String name;

    List<McpAgent> agents() {
        return agent.equals("all") ? McpAgent.ALL : List.of(McpAgent.named(agent));
    }

    /** The project folder, or null for the user's files. */
    Path projectDir() {
        if (scope.global) {
            return null;
        }
        Path dir = (scope.project != null ? scope.project : Path.of("")).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--project " + dir + " is not a folder");
        }
        return dir;
    }

    McpConfigInstaller installer() {
        return new McpConfigInstaller(Path.of(System.getProperty("user.home")));
    }
}
