package dev.hearth.cli;

import dev.hearth.cli.bench.BenchProgress;
import dev.hearth.cli.bench.ProgressLine;
import dev.hearth.enginesim.bench.Contender;
import dev.hearth.enginesim.bench.GatewayComparison;
import dev.hearth.enginesim.bench.GatewayReport;
import dev.hearth.enginesim.bench.GatewaySetup;
import dev.hearth.enginesim.cluster.DecisionBus;
import dev.hearth.enginesim.workload.Workload;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hearth bench gateways}: how much reuse several gateways without KV events lose against one,
 * with and without sharing their decisions, in simulated time on the router's production classes.
 */
@Command(name = "gateways", mixinStandardHelpOptions = true,
        description = "Measure how far several gateways without KV events fall short of one in prefix-cache hits, "
                + "with and without sharing their routing decisions, in simulated time.",
        footer = {"", "Example: hearth bench gateways --trace ../shared/traces/mooncake_conversation_trace.jsonl.gz "
                + "--gateways 1,2,4 --out docs/bench/gateways"})
final class GatewayBenchCommand implements Callable<Integer> {
    @Mixin
    WorkloadOptions input;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--gateways", split = ",", defaultValue = "1,2,4", paramLabel = "N",
            description = "Gateway counts, comma-separated, each replayed learning from its own decisions, sharing them, "
                    + "and with KV events; one gateway with and without KV events is always replayed (default: ${DEFAULT-VALUE}).")
    List<Integer> gateways;

    @Option(names = "--share-batch-ms", defaultValue = "50", paramLabel = "MS",
            description = "How often a gateway publishes the decisions it learned, in ms; 0 publishes each at once "
                    + "(default: ${DEFAULT-VALUE}).")
    long batchMillis;

    @Option(names = "--share-delay-ms", defaultValue = "1", paramLabel = "MS",
            description = "How long a published batch takes to reach the other gateways, in ms (default: ${DEFAULT-VALUE}).")
    long deliveryMillis;

    @Option(names = "--policies", split = ",", defaultValue = "cost,hearth", paramLabel = "NAME",
            description = "Contenders, comma-separated: cost (no sessions) and hearth (sessions shared by every gateway), "
                    + "or baseline policy names (default: ${DEFAULT-VALUE}).")
    List<String> policies;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for random policies (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Replays run at once (default: the machine's cores).")
    Integer threads;

    @Mixin
    ReportFormat format;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write report.json, report.txt and SVG charts to DIR.")
    Path out;

    @Override
    public Integer call() throws IOException {
        boolean json = format.json();
        Workload workload = input.workload(" or --workload NAME");
        GatewayComparison.Settings settings = new GatewayComparison.Settings(cluster.shape(), seed,
                new DecisionBus.Settings(batchMillis, deliveryMillis), GatewaySetup.plan(gateways),
                threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        List<Contender> contenders = Contender.named(policies);
        GatewayReport report = new GatewayComparison(settings, new BenchProgress(System.err, ProgressLine.stderrIsTerminal(),
                "bench gateways")).run(workload, contenders);
        System.out.print(json ? report.json() + "\n" : report.table());
        if (out != null) {
            System.err.println("wrote " + report.write(out).size() + " files to " + out);
        }
        return 0;
    }
}
