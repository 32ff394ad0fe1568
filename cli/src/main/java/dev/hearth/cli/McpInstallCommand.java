package dev.hearth.cli;

import dev.hearth.skills.mcp.McpConfigInstaller;
import dev.hearth.skills.mcp.McpServerEntry;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hearth mcp install}: Hearth's MCP server added to each assistant's MCP configuration, in its
 * own format, beside the servers already there; by default over stdio ({@code hearth mcp}), with
 * {@code --http} the Streamable HTTP endpoint of a running Hearth.
 */
@Command(name = "install", mixinStandardHelpOptions = true,
        description = "Add Hearth to coding assistants' MCP configuration, keeping every other server and the files' formatting.")
final class McpInstallCommand implements Callable<Integer> {
    @Mixin
    McpTargets targets = new McpTargets();

    @ArgGroup(exclusive = true)
    Transport transport = new Transport();

    static final class Transport {
        @Option(names = "--http", paramLabel = "URL",
                description = "A running Hearth, reached over Streamable HTTP at URL/mcp (e.g. http://127.0.0.1:8080).")
        URI http;

        @Option(names = "--stdio", description = "The assistant starts `hearth mcp` itself (the default).")
        boolean stdio;
    }

    @Option(names = "--url", paramLabel = "HEARTH_URL",
            description = "For stdio: the Hearth that `hearth mcp` talks to (default: it finds or starts one).")
    URI url;

    @Option(names = "--api-key-env", paramLabel = "VAR",
            description = "For --http: the environment variable holding the bearer key, referred to in each assistant's own syntax.")
    String apiKeyEnv;

    @Option(names = "--force", description = "Replace an entry of that name that Hearth did not write (uninstall puts it back).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (transport.http != null && url != null) {
            throw new IllegalArgumentException("--url is for stdio entries; with --http the URL names the Hearth itself");
        }
        if (transport.http == null && apiKeyEnv != null) {
            throw new IllegalArgumentException("--api-key-env applies to --http entries; `hearth mcp` over stdio reads $HEARTH_API_KEY");
        }
        McpServerEntry entry = transport.http != null
                ? McpServerEntry.hearthHttp(targets.name, transport.http, apiKeyEnv)
                : McpServerEntry.hearthStdio(targets.name, HearthLauncher.command(), url);
        List<McpConfigInstaller.Outcome> done = targets.installer().install(targets.agents(), targets.projectDir(), entry, force);
        done.forEach(o -> System.out.println(o.describe()));
        return 0;
    }
}
