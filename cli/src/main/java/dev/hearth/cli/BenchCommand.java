package dev.hearth.cli;

import dev.hearth.cli.bench.BenchProgress;
import dev.hearth.cli.bench.ProgressLine;
import dev.hearth.enginesim.bench.BenchReport;
import dev.hearth.enginesim.bench.Comparison;
import dev.hearth.enginesim.bench.Contender;
import dev.hearth.enginesim.bench.ReportFiles;
import dev.hearth.enginesim.bench.ReportJson;
import dev.hearth.enginesim.bench.ReportTable;
import dev.hearth.enginesim.bench.Sweep;
import dev.hearth.enginesim.bench.SweepReport;
import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.workload.RateControl;
import dev.hearth.enginesim.workload.Workload;
import dev.hearth.warmpools.sim.BurstScenario;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hearth bench}: Hearth's router against every baseline policy over a trace, replayed in
 * virtual time on simulated engines (the router's production classes, unchanged); and, as
 * subcommands, benchmarks of warm pools (simulated time) and of the gateway's overhead (live, on loopback).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compare Hearth's router with every baseline policy over a trace or a generated workload, in simulated time.",
        footer = {"", "Example: hearth bench --trace ../shared/traces/mooncake_conversation_trace.jsonl.gz --replicas 4 --out bench/"},
        subcommands = {BenchCommand.Scaling.class, GatewayBenchCommand.class, ProxyBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    WorkloadOptions input;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--policies", split = ",", paramLabel = "NAME",
            description = "Contenders, comma-separated: hearth and baseline policy names (default: all).")
    List<String> policies;

    @ArgGroup(exclusive = true)
    Rate rate;

    static final class Rate {
        @Option(names = "--rate-scale", paramLabel = "X", description = "Replay the trace's own timing X times faster (default: 1).")
        Double scale;

        @Option(names = "--rate", paramLabel = "RPS", description = "Replay at a fixed mean rate, Poisson arrivals.")
        Double fixed;
    }

    @Option(names = "--slo-ttft-p99", defaultValue = "15", paramLabel = "SECONDS",
            description = "The SLO that defines throughput at saturation: p99 time to first token (default: ${DEFAULT-VALUE}).")
    double slo;

    @Option(names = "--saturation-requests", defaultValue = "2000", paramLabel = "N",
            description = "Leading requests each saturation probe replays; 0 skips the search (default: ${DEFAULT-VALUE}).")
    int saturationRequests;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for random policies and Poisson arrivals (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Contenders replayed at once (default: the machine's cores).")
    Integer threads;

    @Mixin
    ReportFormat format;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write report.json, report.txt and SVG charts to DIR.")
    Path out;

    @Option(names = "--sweep", paramLabel = "PARAM=V1,V2,...",
            description = "Repeat the comparison over kv=BLOCKS,..., replicas=N,... or rate=FACTOR,... (no saturation search).")
    String sweep;

    @Override
    public Integer call() throws IOException {
        boolean json = format.json();
        Workload workload = input.workload(", --workload NAME, or a subcommand: scaling, gateways, proxy");
        ClusterShape shape = cluster.shape();
        RateControl control = rate == null ? RateControl.asRecorded()
                : rate.fixed != null ? RateControl.fixed(rate.fixed, seed) : RateControl.scaled(rate.scale);
        List<Contender> contenders = policies == null ? Contender.all() : Contender.named(policies);
        Comparison.Settings settings = new Comparison.Settings(shape, control, slo, saturationRequests, seed,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        if (sweep != null) {
            Sweep plan = Sweep.parse(sweep);
            List<Sweep.Point> points = plan.run(workload, contenders, settings,
                    new BenchProgress(System.err, ProgressLine.stderrIsTerminal(), "sweep " + plan.parameter()));
            System.out.print(json ? SweepReport.json(plan, points) + "\n" : SweepReport.table(plan, points));
            if (out != null) {
                System.err.println("wrote " + SweepReport.write(plan, points, out).size() + " files to " + out);
            }
            return 0;
        }
        BenchReport report = new Comparison(settings, new BenchProgress(System.err, ProgressLine.stderrIsTerminal(), "bench"))
                .run(workload, contenders);
        System.out.print(json ? ReportJson.of(report) + "\n" : ReportTable.of(report));
        if (out != null) {
            List<Path> files = ReportFiles.write(report, out);
            System.err.println("wrote " + files.size() + " files to " + out);
        }
        return 0;
    }

    /** A traffic burst with and without warm nodes: time to capacity, requests queued and rejected, cost. */
    @Command(name = "scaling", mixinStandardHelpOptions = true,
            description = "Replay a 5x traffic burst in simulated time, with and without warm nodes.")
    static final class Scaling implements Callable<Integer> {
        @Option(names = "--warm-nodes", defaultValue = "5", description = "Warm nodes in the pool (default: ${DEFAULT-VALUE}).")
        int warmNodes;

        @Override
        public Integer call() {
            if (warmNodes < 1 || warmNodes > 64) {
                throw new IllegalArgumentException("--warm-nodes must be between 1 and 64, was " + warmNodes);
            }
            System.out.print(BurstScenario.report(warmNodes));
            return 0;
        }
    }
}
