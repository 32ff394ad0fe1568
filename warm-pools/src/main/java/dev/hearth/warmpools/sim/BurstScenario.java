package dev.hearth.warmpools.sim;

import dev.hearth.warmpools.Autoscaler;
import dev.hearth.warmpools.CapacityException;
import dev.hearth.warmpools.ColdStart;
import dev.hearth.warmpools.NodePool;
import dev.hearth.warmpools.NodeProvider;
import dev.hearth.warmpools.NodeState;
import dev.hearth.warmpools.PublishedTimings;
import dev.hearth.warmpools.ScalingPolicy;
import dev.hearth.warmpools.SimulatedClock;
import dev.hearth.warmpools.SimulatedProvider;
import dev.hearth.warmpools.TimingModel;
import dev.hearth.warmpools.WarmPools;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A traffic burst replayed in simulated time against the production {@link WarmPools} and
 * {@link Autoscaler}: requests arrive at a base rate, the rate rises {@code burst} times within a
 * minute and stays there; each replica serves up to {@code perReplica} requests at once for
 * {@code serviceSeconds} each; a request waiting longer than {@code timeoutSeconds} is rejected.
 * Replicas start cold (node, image, weights) or on a warm node (weights from its cache), as
 * {@link PublishedTimings} says. The same run, with and without warm nodes, gives the comparison.
 */
public final class BurstScenario {

    /** The workload and the pool; {@code warmNodes} is the pool's warm target. */
    public record Params(double baseRps, double burst, int serviceSeconds, int perReplica, double targetInFlight,
                         int timeoutSeconds, long weightBytes, int warmNodes, double hourlyUsd, int minutes) {
        public static Params standard(int warmNodes) {
            // Llama-3.1-8B-class weights (16 GB); a 5x burst; an L40S node at its on-demand price in catalog.csv.
            return new Params(2, 5, 4, 16, 8, 30, 16_060_000_000L, warmNodes, 1.861, 40);
        }
    }

    /** What the run came to. */
    public record Result(Params params, long timeToCapacitySeconds, long queued, long rejected, long served,
                         double warmNodeHours, double warmNodeUsd, double nodeHours, int peakReplicas,
                         int neededReplicas, ColdStart coldStart) {
        public String row(String label) {
            return String.format(Locale.ROOT, "%-16s %11s %8d %9d %8d %12.2f %8.2f %8.2f %10.2f %5d", label,
                    timeToCapacitySeconds < 0 ? "never" : timeToCapacitySeconds + " s", queued, rejected, served,
                    warmNodeHours, warmNodeUsd, nodeHours, nodeHours * params.hourlyUsd(), peakReplicas);
        }
    }

    public static final String HEADER = String.format(Locale.ROOT, "%-16s %11s %8s %9s %8s %12s %8s %8s %10s %5s",
            "pools", "to capacity", "queued", "rejected", "served", "warm node-h", "warm $", "node-h", "all nodes $",
            "peak");

    private BurstScenario() {}

    public static Result run(Params p) {
        SimulatedClock clock = new SimulatedClock(0);
        TimingModel timings = new PublishedTimings();
        SimulatedProvider provider = SimulatedProvider.timed(timings);
        WarmPools pools = new WarmPools(clock, Map.of("sim", provider), new WarmPools.Settings(Duration.ofMinutes(10),
                Duration.ofMinutes(5), Duration.ofMinutes(20)));
        NodePool pool = new NodePool("gpu", "sim", "g6e.xlarge", "L40S", 1, 0, 64, 0, p.warmNodes(), 0.8);
        pools.put(pool);
        ColdStart start = timings.coldStart(pool, p.weightBytes());
        Autoscaler scaler = new Autoscaler(new ScalingPolicy(1, 64, p.targetInFlight(), Duration.ZERO,
                Duration.ofMinutes(5), Duration.ofMinutes(15)));

        Map<String, Long> readyAt = new HashMap<>(); // replica -> when it serves (Long.MAX_VALUE: node not up yet)
        List<String> replicas = new ArrayList<>();
        Deque<long[]> queue = new ArrayDeque<>(); // {arrival second}
        Deque<long[]> inService = new ArrayDeque<>(); // {finish second}
        double carry = 0;
        long queued = 0;
        long rejected = 0;
        long served = 0;
        int peak = 0;
        long burstAt = 10 * 60;
        double peakRps = p.baseRps() * p.burst();
        int needed = (int) Math.ceil(peakRps * p.serviceSeconds() / p.targetInFlight());
        long toCapacity = -1;
        // One replica serves from the start, on a node already there.
        int counter = 0;
        for (long t = 0; t < p.minutes() * 60L; t++) {
            pools.tick();
            // Replicas whose node came up start loading; those loaded serve.
            for (String r : replicas) {
                if (readyAt.get(r) == Long.MAX_VALUE && pools.ready(r)) {
                    readyAt.put(r, t + (start.pullMs() + start.downloadMs() + start.loadMs()) / 1000);
                }
            }
            long second = t;
            int serving = (int) replicas.stream().filter(r -> readyAt.get(r) <= second).count();
            if (t >= burstAt && toCapacity < 0 && serving >= needed) {
                toCapacity = t - burstAt;
            }
            // Arrivals: the base rate, rising to the burst over one minute.
            double rps = t < burstAt ? p.baseRps()
                    : p.baseRps() + (peakRps - p.baseRps()) * Math.min(1, (t - burstAt) / 60.0);
            carry += rps;
            while (carry >= 1) {
                queue.addLast(new long[] {t});
                carry -= 1;
            }
            while (!inService.isEmpty() && inService.peekFirst()[0] <= t) {
                inService.removeFirst();
                served++;
            }
            int slots = serving * p.perReplica() - inService.size();
            while (slots > 0 && !queue.isEmpty()) {
                long[] req = queue.removeFirst();
                if (t > req[0]) {
                    queued++;
                }
                inService.addLast(new long[] {t + p.serviceSeconds()});
                slots--;
            }
            while (!queue.isEmpty() && t - queue.peekFirst()[0] > p.timeoutSeconds()) {
                queue.removeFirst();
                rejected++;
            }
            // The autoscaler, every second, on what is in flight and waiting.
            int want = scaler.recommend(t * 1000, inService.size() + queue.size(), replicas.size());
            while (replicas.size() < want) {
                String r = "r" + counter++;
                try {
                    WarmPools.Lease lease = pools.acquire(r, List.of("gpu"));
                    replicas.add(r);
                    boolean first = counter == 1;
                    readyAt.put(r, first ? 0 : lease.warm() ? t + start.cachedLoadMs() / 1000 : Long.MAX_VALUE);
                } catch (CapacityException e) {
                    break;
                }
            }
            while (replicas.size() > want) {
                String r = replicas.remove(replicas.size() - 1);
                pools.release(r);
                readyAt.remove(r);
            }
            peak = Math.max(peak, replicas.size());
            clock.advance(1_000);
        }
        Map<NodeState, Long> millis = pools.nodeMillis("gpu");
        double warmHours = millis.getOrDefault(NodeState.WARM, 0L) / 3_600_000.0;
        double allHours = millis.values().stream().mapToLong(Long::longValue).sum() / 3_600_000.0;
        return new Result(p, toCapacity, queued, rejected, served, warmHours, warmHours * p.hourlyUsd(), allHours, peak,
                needed, start);
    }

    /** Runs both and prints the comparison. */
    public static String report(int warmNodes) {
        Result cold = run(Params.standard(0));
        Result warm = run(Params.standard(warmNodes));
        StringBuilder out = new StringBuilder();
        Params p = warm.params();
        out.append(String.format(Locale.ROOT, "Burst: %.0f -> %.0f requests/s within one minute at minute 10, %d s each, "
                        + "%d at once per replica (target %.0f), %d s queue timeout, %d minutes simulated.%n",
                p.baseRps(), p.baseRps() * p.burst(), p.serviceSeconds(), p.perReplica(), p.targetInFlight(),
                p.timeoutSeconds(), p.minutes()));
        ColdStart c = warm.coldStart();
        out.append(String.format(Locale.ROOT, "Replica start (PublishedTimings, %.1f GB of weights): cold %d s "
                        + "(node %d + image %d + download %d + load %d), warm %d s (load from the node's cache).%n",
                p.weightBytes() / 1e9, c.coldMs() / 1000, c.provisionMs() / 1000, c.pullMs() / 1000,
                c.downloadMs() / 1000, c.loadMs() / 1000, c.warmMs() / 1000));
        out.append(String.format(Locale.ROOT, "Capacity needed at the peak: %d replicas.%n%n", warm.neededReplicas()));
        out.append(HEADER).append('\n');
        out.append(cold.row("no warm nodes")).append('\n');
        out.append(warm.row(warmNodes + " warm nodes")).append('\n');
        double ratio = warm.timeToCapacitySeconds() > 0 && cold.timeToCapacitySeconds() > 0
                ? (double) cold.timeToCapacitySeconds() / warm.timeToCapacitySeconds() : Double.NaN;
        out.append(String.format(Locale.ROOT, "%nTime to capacity is %.1fx shorter with warm nodes (goal: 5x, %s), "
                        + "for %.2f warm node-hours ($%.2f at $%.3f/h) over the run. Without warm nodes the queue "
                        + "that builds while nodes provision drives the autoscaler to %d replicas, so that run pays "
                        + "for %.2f node-hours in all against %.2f.%n", ratio,
                ratio >= 5 ? "met" : "not met", warm.warmNodeHours(), warm.warmNodeUsd(), p.hourlyUsd(),
                cold.peakReplicas(), cold.nodeHours(), warm.nodeHours()));
        return out.toString();
    }
}
