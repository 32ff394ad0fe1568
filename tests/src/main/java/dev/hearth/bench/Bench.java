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
        String requests = args.length > 0 ? args[0] : "50000";
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
