package dev.hearth.cli;

import dev.hearth.skills.mcp.McpConfigInstaller;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hearth mcp uninstall}: takes out only what {@code hearth mcp install} added, and only while it
 * is as Hearth wrote it; an entry the user made or changed stays, and the reason is printed.
 */
@Command(name = "uninstall", mixinStandardHelpOptions = true,
        description = "Take Hearth's entry out of coding assistants' MCP configuration, leaving the files as they were before.")
final class McpUninstallCommand implements Callable<Integer> {
    @Mixin
    McpTargets targets = new McpTargets();

    @Override
    public Integer call() throws Exception {
        List<McpConfigInstaller.Outcome> done = targets.installer().uninstall(targets.agents(), targets.projectDir(), targets.name);
        if (done.isEmpty()) {
            throw new IllegalArgumentException("no MCP server named '" + targets.name + "' here for "
                    + (targets.agent.equals("all") ? "any assistant" : targets.agent) + "; nothing to uninstall");
        }
        done.forEach(o -> System.out.println(o.describe()));
        return 0;
    }
}
