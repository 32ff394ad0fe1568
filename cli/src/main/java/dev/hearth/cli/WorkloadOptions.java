package dev.hearth.cli;

import dev.hearth.enginesim.workload.MooncakeTrace;
import dev.hearth.enginesim.workload.TraceWorkload;
import dev.hearth.enginesim.workload.Workload;
import dev.hearth.enginesim.workload.Workloads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What a benchmark replays: a recorded trace, or one of the seeded generators. */
final class WorkloadOptions {
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

    /** The workload asked for; {@code otherwise} ends the error when neither was given (what else the command takes). */
    Workload workload(String otherwise) throws IOException {
        if (trace != null && generated != null) {
            throw new IllegalArgumentException("give --trace or --workload, not both");
        }
        if (generated != null) {
            return Workloads.parse(generated);
        }
        if (trace == null) {
            throw new IllegalArgumentException("give --trace FILE (for example ../shared/traces/mooncake_conversation_trace.jsonl.gz)"
                    + otherwise);
        }
        if (!Files.isRegularFile(trace)) {
            throw new IllegalArgumentException("--trace " + trace + ": no such file");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("--limit must not be negative, was " + limit);
        }
        return new TraceWorkload(trace.getFileName().toString(), MooncakeTrace.read(trace, blockSize), limit);
    }
}
