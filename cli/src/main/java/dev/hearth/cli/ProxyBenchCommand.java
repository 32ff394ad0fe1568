package dev.hearth.cli;

import dev.hearth.cli.bench.ChildProcesses;
import dev.hearth.cli.bench.ProgressLine;
import dev.hearth.cli.bench.ProxyBench;
import dev.hearth.cli.bench.ProxyReport;
import dev.hearth.router.policy.Policies;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hearth bench proxy}: what the gateway adds to a request, measured live against the engines
 * called directly and against nginx and HAProxy in front of the same engines. Every process it
 * starts is stopped when it ends, fails or is interrupted.
 */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = "Measure the gateway's overhead on loopback: the same load sent to simulated engines directly, "
                + "through Hearth, and through nginx and HAProxy where installed.")
final class ProxyBenchCommand implements Callable<Integer> {

    @Option(names = "--replicas", defaultValue = "2", description = "Engine simulators to start (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--concurrency", defaultValue = "32", description = "Requests in flight per target (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--requests", defaultValue = "5000", description = "Measured requests per target (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warmup", defaultValue = "1000",
            description = "Unmeasured requests per target before any is measured (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--stream", description = "Ask for streamed (SSE) answers.")
    boolean stream;

    @Option(names = "--policy", defaultValue = "cost", description = "Hearth's routing policy (default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--redis", paramLabel = "URL",
            description = "Also measure a gateway sharing its state through this Redis (redis://HOST:PORT), as "
                    + "hearth+redis.")
    String redis;

    @Mixin
    ReportFormat format;

    @Override
    public Integer call() throws Exception {
        boolean json = format.json();
        ProxyBench.Settings settings = new ProxyBench.Settings(replicas, concurrency, requests, warmup, stream, policy,
                redis);
        if (redis != null && !redis.matches("rediss?://([^@/]*@)?[^/:@]+(:\\d+)?(/\\d*)?")) {
            throw new IllegalArgumentException("--redis must look like redis://HOST:PORT, was " + redis);
        }
        Policies.named(policy, 0, System::currentTimeMillis); // refuses an unknown policy before anything starts
        ChildProcesses children = new ChildProcesses(Files.createTempDirectory("hearth-bench-proxy-"));
        // Ctrl-C: stop what was started. The finally below stops them when the run ends; closing twice does nothing.
        Thread stop = new Thread(children::close, "hearth bench proxy: stop processes");
        Runtime.getRuntime().addShutdownHook(stop);
        ProxyReport report;
        try {
            report = new ProxyBench(settings, SelfCommand.current("sim"), SelfCommand.asLaunched("serve"),
                    System.getenv("PATH"), children, new ProgressLine(System.err, ProgressLine.stderrIsTerminal())).run();
        } finally {
            children.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
        System.out.print(json ? report.json() + System.lineSeparator() : report.table());
        System.out.flush();
        if (report.errors() > 0) {
            System.err.println("hearth bench proxy: " + report.errors() + " request(s) failed; see errors in the report");
            return 1;
        }
        return 0;
    }
}
