package dev.hearth.bench;

import dev.hearth.enginesim.engine.EngineCore;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.router.prefix.BlockHasher;
import dev.hearth.router.tokens.SimTokenizer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast one simulated engine replays a workload in virtual time: {@code requests} requests of
 * {@code promptTokens} tokens through the real scheduler, prefix cache and cost model. The
 * baseline, measured in the same run, only makes the same prompts and hashes their blocks: the
 * least work any prefix-cache simulator must do, so the ratio is the scheduler's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class EngineReplayBenchmark {
    @Param("50000")
    public int requests;

    @Param("8000")
    public int promptTokens;

    /** Replays the workload; returns the simulated seconds it took. */
    @Benchmark
    public double replay() {
        return replay(requests, promptTokens);
    }

    /** The baseline: the same prompts made and block-hashed, nothing scheduled. */
    @Benchmark
    public long hashOnly() {
        SharedPrefixWorkload w = workload(requests, promptTokens, r -> { });
        BlockHasher hasher = new BlockHasher(16);
        long sum = 0;
        while (w.hasNext()) {
            long[] h = hasher.hashes(w.next().prompt(), null);
            sum += h[h.length - 1];
        }
        return sum;
    }

    static SharedPrefixWorkload workload(int requests, int promptTokens, dev.hearth.enginesim.engine.OutputListener l) {
        return new SharedPrefixWorkload(requests, promptTokens, 64, 64, 30.0, 42, l);
    }

    /** One replay on an H100 Qwen3-0.6B profile engine; also used by the benchmark's smoke test. */
    public static double replay(int requests, int promptTokens) {
        EngineCore engine = new EngineCore(Profiles.H100_QWEN3_0_6B, new EngineLimits(16, 39_000, 40_960, 1_024, 8_192),
                false, new SimTokenizer(), false);
        LongAdder finished = new LongAdder();
        double end = new dev.hearth.enginesim.engine.Replay(engine).run(workload(requests, promptTokens, o -> {
            if (o.finish() != null) {
                finished.increment();
            }
        }));
        if (finished.sum() != requests) {
            throw new IllegalStateException("only " + finished.sum() + " of " + requests + " requests finished");
        }
        return end;
    }
}
