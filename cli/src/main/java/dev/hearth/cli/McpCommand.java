package dev.hearth.cli;

import dev.hearth.mcp.HearthMcp;
import dev.hearth.platform.api.ControlClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hearth mcp}: the MCP server over stdio, as coding assistants start it. It talks to the
 * Hearth at {@code --url} or {@code $HEARTH_URL}, else one answering on 127.0.0.1:8080, else it
 * starts one ({@code hearth serve} as a child process) and stops it on exit. Standard output carries
 * only the protocol; every log line goes to standard error. {@code install} and {@code uninstall}
 * put this server into assistants' MCP configuration and take it out again.
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "Run the MCP server on stdio for coding assistants (Claude Code, Cursor, Copilot, Gemini CLI, Codex).",
        subcommands = {McpInstallCommand.class, McpUninstallCommand.class})
public final class McpCommand implements Callable<Integer> {

    @Option(names = "--url", description = "The running Hearth (default: $HEARTH_URL, else 127.0.0.1:8080, else one is started).")
    URI url;

    @Option(names = "--api-key", description = "Bearer key when Hearth requires one (default: $HEARTH_API_KEY).")
    String apiKey;

    @Option(names = "--read-only", description = "Offer only tools that change nothing.")
    boolean readOnly;

    @Option(names = "--state-dir", defaultValue = "${sys:user.home}/.hearth",
            description = "State of the Hearth started when none runs (default: ~/.hearth).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        PrintStream protocol = System.out;
        System.setOut(System.err); // nothing but JSON-RPC may reach standard output
        Process embedded = null;
        URI base = url != null ? url : System.getenv("HEARTH_URL") != null ? URI.create(System.getenv("HEARTH_URL")) : null;
        if (base == null) {
            URI local = URI.create("http://127.0.0.1:8080");
            if (answers(local)) {
                base = local;
            } else {
                embedded = startHearth();
                base = gateway(embedded);
            }
        }
        System.err.println("hearth mcp: talking to Hearth at " + base + (readOnly ? " (read-only)" : ""));
        // skills/* (SEP-2640) are answered before the SDK reads a line; both write whole lines to one stream.
        var lines = HearthMcp.stdioLines(protocol);
        var skills = new dev.hearth.mcp.SkillsExtension(dev.hearth.skills.SkillSet.bundled());
        StdioServerTransportProvider transport = new StdioServerTransportProvider(McpJsonDefaults.getMapper(),
                HearthMcp.stdioInput(System.in, lines, skills), lines);
        McpSyncServer server = HearthMcp.start(transport, new ControlClient(base, apiKey), readOnly, "0.1.0",
                java.util.List.of(CliDocs.reference()), skills);
        CountDownLatch done = new CountDownLatch(1);
        Process child = embedded;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.closeGracefully();
            if (child != null) {
                child.destroy();
            }
            done.countDown();
        }));
        done.await();
        return 0;
    }

    private static boolean answers(URI base) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private Process startHearth() throws Exception {
        List<String> argv = new ArrayList<>(SelfCommand.current("serve"));
        argv.addAll(List.of("--port", "0", "--state-dir", stateDir.toString()));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return p;
    }

    /** Reads the started Hearth's gateway address from its output, then passes the rest on to standard error. */
    private static URI gateway(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Pattern g = Pattern.compile("^Gateway\\s+(http://\\S+)\\s.*");
        String line;
        while ((line = out.readLine()) != null) {
            System.err.println(line);
            Matcher m = g.matcher(line);
            if (m.matches()) {
                URI base = URI.create(m.group(1));
                Thread.ofVirtual().start(() -> out.lines().forEach(System.err::println));
                return base;
            }
        }
        throw new IllegalStateException("the Hearth started for MCP exited (code " + p.waitFor() + "); see the lines above");
    }
}
