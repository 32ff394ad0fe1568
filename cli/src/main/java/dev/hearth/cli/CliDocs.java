package dev.hearth.cli;

import dev.hearth.mcp.HearthMcp;
import picocli.CommandLine;

/** The CLI reference, from picocli's own model of every command: what assistants read over MCP. */
final class CliDocs {
    private CliDocs() {}

    static HearthMcp.Doc reference() {
        StringBuilder out = new StringBuilder("# hearth command line\n\nEvery command and option, as `--help` prints them.\n");
        append(Hearth.commandLine(), out);
        return new HearthMcp.Doc("hearth://docs/cli", "cli", "Hearth CLI reference",
                "Every hearth command and option, with defaults.", "text/markdown", out.toString());
    }

    private static void append(CommandLine cmd, StringBuilder out) {
        out.append("\n## ").append(cmd.getCommandSpec().qualifiedName()).append("\n\n```\n")
                .append(cmd.getUsageMessage(CommandLine.Help.Ansi.OFF)).append("```\n");
        cmd.getSubcommands().values().stream().distinct().filter(c -> !c.getCommandName().equals("help"))
                .forEach(c -> append(c, out));
    }
}
