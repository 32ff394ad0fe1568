package dev.hearth.bench;

import java.util.Collection;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code scripts/bench}: runs the JMH benchmarks and prints the figures that matter as rates and
 * as ratios to the baseline measured in the same run (the machines are shared and noisy).
 */
public final class Bench {
    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "all";
        if (which.equals("all") || which.equals("routing")) {
            routing();
        }
        if (which.equals("all") || which.equals("gateway")) {
            GatewayLatency.print(new GatewayLatency().run(2_000, 5, 1_000));
        }
        if (which.equals("all") || which.equals("engine")) {
            engine(args.length > 1 ? args[1] : "50000");
        }
    }

    private static void routing() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(RoutingDecisionBenchmark.class.getSimpleName()).build()).run();
        double costP50 = 0;
        double costP99 = 0;
        double baseP50 = 0;
        double baseP99 = 0;
        for (RunResult r : results) {
            var stats = r.getPrimaryResult().getStatistics();
            if (r.getParams().getParam("policy").equals("cost")) {
                costP50 = stats.getPercentile(50);
                costP99 = stats.getPercentile(99);
            } else {
                baseP50 = stats.getPercentile(50);
                baseP99 = stats.getPercentile(99);
            }
        }
        System.out.printf(Locale.ROOT, "%nrouting decision, 8,000-token prompt, 1,000,000 index entries, 16 replicas:%n");
        System.out.printf(Locale.ROOT, "  cost policy:             p50 %.1f us, p99 %.1f us%n", costP50, costP99);
        System.out.printf(Locale.ROOT, "  least-load (baseline):   p50 %.1f us, p99 %.1f us%n", baseP50, baseP99);
        System.out.printf(Locale.ROOT, "  ratio to baseline:       p50 %.2fx, p99 %.2fx%n", costP50 / baseP50, costP99 / baseP99);
        System.out.printf(Locale.ROOT, "  index bytes per entry:   %.1f%n", RoutingDecisionBenchmark.bytesPerEntry());
    }

    private static void engine(String requests) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(EngineReplayBenchmark.class.getSimpleName())
                .param("requests", requests)
                .build()).run();
        double replay = 0;
        double hash = 0;
        for (RunResult r : results) {
            double seconds = r.getPrimaryResult().getScore();
            if (r.getParams().getBenchmark().endsWith("replay")) {
                replay = seconds;
            } else {
                hash = seconds;
            }
        }
        int n = Integer.parseInt(requests);
        double simulated = EngineReplayBenchmark.replay(Math.min(n, 5_000), 8_000);
        System.out.printf(Locale.ROOT, "%nengine replay, %d requests of 8,000 tokens: %.2f s wall, %.0f requests/s%n",
                n, replay, n / replay);
        System.out.printf(Locale.ROOT, "baseline (make and hash the same prompts): %.2f s, %.0f requests/s%n", hash, n / hash);
        System.out.printf(Locale.ROOT, "replay costs %.2fx the baseline; %d requests cover %.0f simulated s%n",
                replay / hash, Math.min(n, 5_000), simulated);
    }
}
