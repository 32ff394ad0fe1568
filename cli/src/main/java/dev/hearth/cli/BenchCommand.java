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
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profile;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.workload.MooncakeTrace;
import dev.hearth.enginesim.workload.RateControl;
import dev.hearth.enginesim.workload.TraceWorkload;
import dev.hearth.enginesim.workload.Workload;
import dev.hearth.enginesim.workload.Workloads;
import dev.hearth.warmpools.sim.BurstScenario;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hearth bench}: Hearth's router against every baseline policy over a trace, replayed in
 * virtual time on simulated engines (the router's production classes, unchanged); and, as
 * subcommands, benchmarks of warm pools (simulated time) and of the gateway's overhead (live, on loopback).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Compare Hearth's router with every baseline policy over a trace or a generated workload, in simulated time.",
        footer = {"", "Example: hearth bench --trace ../shared/traces/mooncake_conversation_trace.jsonl.gz --replicas 4 --out bench/"},
        subcommands = {BenchCommand.Scaling.class, ProxyBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--trace", paramLabel = "FILE", description = "A request trace in the Mooncake format (JSON lines, gzip or plain).")
    Path trace;

    @Option(names = "--workload", paramLabel = "NAME[:KEY=VALUE,...]",
            description = "A generated workload instead of a trace: system-prompt, rag, multi-turn, generated-shared-prefix "
                    + "or multi-round-qa, with parameters such as rag:documents=2000,zipf=1.1,seed=7.")
    String generated;

    @Option(names = "--block-size", defaultValue = "512", paramLabel = "TOKENS",
            description = "Tokens per hash id in the trace (default: ${DEFAULT-VALUE}, Mooncake's).")
    int blockSize;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N",
            description = "Replay only the trace's first N requests; 0 for all (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--replicas", defaultValue = "4", description = "Simulated replicas (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--profile", defaultValue = "h100-llama3-8b",
            description = "Engine cost model: h100-llama3-8b or h100-qwen3-0.6b (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--kv-blocks", paramLabel = "N",
            description = "KV cache blocks of 16 tokens per replica (default: the profile's, 27,000 for Llama-3-8B on an H100).")
    Integer kvBlocks;

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

    @Option(names = "--format", defaultValue = "table", description = "table or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write report.json, report.txt and SVG charts to DIR.")
    Path out;

    @Option(names = "--sweep", paramLabel = "PARAM=V1,V2,...",
            description = "Repeat the comparison over kv=BLOCKS,..., replicas=N,... or rate=FACTOR,... (no saturation search).")
    String sweep;

    @Override
    public Integer call() throws IOException {
        if (!format.equals("table") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be table or json, was '" + format + "'");
        }
        Workload workload = workload();
        Profile engine = Profiles.named(profile).orElseThrow(() -> new IllegalArgumentException(
                "--profile must be one of " + Profiles.ALL.stream().map(Profile::name).toList() + ", was '" + profile + "'"));
        int blocks = kvBlocks == null ? engine.kvBlocks() : kvBlocks;
        if (blocks < 8_192) {
            throw new IllegalArgumentException("--kv-blocks must be at least 8192 (one 128k-token prompt), was " + blocks);
        }
        ClusterShape shape = new ClusterShape(replicas, engine, new EngineLimits(16, blocks, 131_072, engine.maxNumSeqs(),
                engine.maxNumBatchedTokens()));
        RateControl control = rate == null ? RateControl.asRecorded()
                : rate.fixed != null ? RateControl.fixed(rate.fixed, seed) : RateControl.scaled(rate.scale);
        List<Contender> contenders = policies == null ? Contender.all() : Contender.named(policies);
        Comparison.Settings settings = new Comparison.Settings(shape, control, slo, saturationRequests, seed,
                threads == null ? Runtime.getRuntime().availableProcessors() : threads);
        if (sweep != null) {
            Sweep plan = Sweep.parse(sweep);
            List<Sweep.Point> points = plan.run(workload, contenders, settings,
                    new BenchProgress(System.err, ProgressLine.stderrIsTerminal(), "sweep " + plan.parameter()));
            System.out.print(format.equals("json") ? SweepReport.json(plan, points) + "\n" : SweepReport.table(plan, points));
            if (out != null) {
                System.err.println("wrote " + SweepReport.write(plan, points, out).size() + " files to " + out);
            }
            return 0;
        }
        BenchReport report = new Comparison(settings, new BenchProgress(System.err, ProgressLine.stderrIsTerminal(), "bench"))
                .run(workload, contenders);
        System.out.print(format.equals("json") ? ReportJson.of(report) + "\n" : ReportTable.of(report));
        if (out != null) {
            List<Path> files = ReportFiles.write(report, out);
            System.err.println("wrote " + files.size() + " files to " + out);
        }
        return 0;
    }

    private Workload workload() throws IOException {
        if (trace != null && generated != null) {
            throw new IllegalArgumentException("give --trace or --workload, not both");
        }
        if (generated != null) {
            return Workloads.parse(generated);
        }
        if (trace == null) {
            throw new IllegalArgumentException("give --trace FILE (for example ../shared/traces/mooncake_conversation_trace.jsonl.gz), "
                    + "--workload NAME, or a subcommand: scaling");
        }
        if (!Files.isRegularFile(trace)) {
            throw new IllegalArgumentException("--trace " + trace + ": no such file");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must not be negative, was " + limit);
        }
        return new TraceWorkload(trace.getFileName().toString(), MooncakeTrace.read(trace, blockSize), limit);
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
