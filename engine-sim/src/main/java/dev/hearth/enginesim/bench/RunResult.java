package dev.hearth.enginesim.bench;

import dev.hearth.enginesim.cluster.ClusterShape;
import dev.hearth.enginesim.cluster.ClusterSimulator.Completion;
import java.util.List;

/**
 * What one replay measured: prompt tokens served from cache over all prompt tokens; time to first
 * token and end to end; the rate requests finished at (completed over the span from the first
 * arrival to the last finish); and load imbalance, the most prefill work (prompt tokens not served
 * from cache) any replica did over the mean across replicas, idle replicas included.
 */
public record RunResult(int completed, long promptTokens, long cachedTokens, Distribution ttft, Distribution e2e,
                        double achievedRps, double imbalance, long[] prefillTokensPerReplica) {

    public static RunResult of(List<Completion> done, ClusterShape shape) {
        long prompt = 0;
        long cached = 0;
        long[] prefill = new long[shape.replicas()];
        double[] ttft = new double[done.size()];
        double[] e2e = new double[done.size()];
        double first = Double.POSITIVE_INFINITY;
        double last = 0;
        for (int i = 0; i < done.size(); i++) {
            Completion c = done.get(i);
            prompt += c.promptTokens();
            cached += c.cachedTokens();
            prefill[ClusterShape.replicaIndex(c.replica())] += c.promptTokens() - c.cachedTokens();
            ttft[i] = c.ttft();
            e2e[i] = c.e2e();
            first = Math.min(first, c.arrival());
            last = Math.max(last, c.arrival() + c.e2e());
        }
        long max = 0;
        long sum = 0;
        for (long p : prefill) {
            max = Math.max(max, p);
            sum += p;
        }
        double imbalance = sum == 0 ? 1 : max / ((double) sum / prefill.length);
        double span = last - first;
        return new RunResult(done.size(), prompt, cached, Distribution.of(ttft), Distribution.of(e2e),
                span > 0 ? done.size() / span : 0, imbalance, prefill);
    }

    public double hitRatio() {
        return promptTokens == 0 ? 0 : (double) cachedTokens / promptTokens;
    }
}
