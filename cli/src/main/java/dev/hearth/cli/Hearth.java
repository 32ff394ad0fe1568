package dev.hearth.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hearth} executable: one subcommand per job. */
@Command(name = "hearth", mixinStandardHelpOptions = true, version = "hearth 0.1.0",
        description = "Hearth: cache-aware routing and warm capacity for vLLM and SGLang replicas.",
        subcommands = {ServeCommand.class, StatusCommand.class, TopCommand.class, DeployCommand.class, NodePoolsCommand.class, McpCommand.class, SkillsCommand.class, KeysCommand.class,
            BenchCommand.class, SimCommand.class, ModelCommand.class, GpusCommand.class,
            CommandLine.HelpCommand.class})
public final class Hearth implements Runnable {

    public static void main(String[] args) {
        // Library start-up chatter stays out of the console; our own lines keep their level.
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin.Javalin", "off"); // we report start failures in one line
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        // java.util.logging (the OpenTelemetry SDK's, say "Failed to export spans" while a collector is down):
        // one line per record, without the stack trace.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s %3$s - %5$s%n");
        }
        int code = commandLine().execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * The configured command line: usage errors are one line and exit 2; failures while running are
     * one line and exit 1, never a stack trace (set HEARTH_DEBUG=1 to see one).
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Hearth());
        cmd.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter err = c.getErr();
            err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
            err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + message(ex));
            if (System.getenv("HEARTH_DEBUG") != null) {
                ex.printStackTrace(c.getErr());
            }
            return 1;
        });
        return cmd;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
