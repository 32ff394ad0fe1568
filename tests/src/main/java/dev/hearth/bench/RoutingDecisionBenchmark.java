package dev.hearth.bench;

import dev.hearth.router.Router;
import dev.hearth.router.policy.CostPolicy;
import dev.hearth.router.policy.LeastLoad;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.policy.RoutingPolicy;
import dev.hearth.router.prefix.PrefixIndex;
import dev.hearth.router.session.SessionAffinity;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision for an 8,000-token prompt (500 blocks of 16) against a prefix index holding
 * 1,000,000 (block, replica) entries over 16 replicas, with the default cost policy; the baseline,
 * in the same run, is the same router deciding by least load, which matches nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RoutingDecisionBenchmark {
    static final int REPLICAS = 16;
    static final int ENTRIES = 1_000_000;
    static final int PROMPT_BLOCKS = 500;

    @Param({"cost", "least-load"})
    public String policy;

    Router router;
    PrefixIndex index;
    RouteRequest[] requests;
    int next;

    @Setup(Level.Trial)
    public void fill() {
        RoutingPolicy p = policy.equals("cost") ? new CostPolicy() : new LeastLoad();
        index = new PrefixIndex(ENTRIES);
        router = new Router(p, new SessionAffinity(3_600_000), index, 0.25, 10_000);
        for (int r = 0; r < REPLICAS; r++) {
            router.addReplica("replica-" + r, ENTRIES / REPLICAS);
        }
        SplittableRandom random = new SplittableRandom(1);
        // Fill: 2,000 documents of 500 blocks, each stored on one replica, as KV events would report.
        for (int d = 0; d < ENTRIES / PROMPT_BLOCKS; d++) {
            router.blocksStored("replica-" + (d % REPLICAS), blocks(d, PROMPT_BLOCKS), 0);
        }
        // Requests: the first half of a stored document, then a fresh question.
        requests = new RouteRequest[1_024];
        for (int i = 0; i < requests.length; i++) {
            long[] h = blocks(random.nextInt(ENTRIES / PROMPT_BLOCKS), PROMPT_BLOCKS / 2);
            long[] all = java.util.Arrays.copyOf(h, PROMPT_BLOCKS);
            for (int b = h.length; b < all.length; b++) {
                all[b] = random.nextLong();
            }
            requests[i] = new RouteRequest(all, PROMPT_BLOCKS * 16, 16, null, null);
        }
    }

    /** Block hashes of document {@code doc}: a function of (doc, block), so prefixes repeat exactly. */
    static long[] blocks(int doc, int n) {
        long[] h = new long[n];
        for (int b = 0; b < n; b++) {
            h[b] = new SplittableRandom(doc * 1_000_003L + b).nextLong();
        }
        return h;
    }

    @Benchmark
    public Router.Ticket decide() {
        RouteRequest req = requests[next++ & (requests.length - 1)];
        Router.Ticket t = router.route(req, 1);
        router.firstToken(t);
        router.finished(t, true);
        return t;
    }

    /** Bytes per indexed (block, replica) entry after the fill. */
    public static double bytesPerEntry() {
        RoutingDecisionBenchmark b = new RoutingDecisionBenchmark();
        b.policy = "cost";
        b.fill();
        return (double) b.index.bytes() / b.index.entries();
    }
}
