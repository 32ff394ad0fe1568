package dev.hearth.warmpools;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Replicas a deployment should have, from the requests it has in flight, as Kubernetes' horizontal
 * pod autoscaler decides (pkg/controller/podautoscaler/horizontal.go): the raw count is
 * ceil(in flight / target); a rise takes the lowest count seen over the scale-up window and a fall
 * the highest over the scale-down window (stabilizeRecommendationWithBehaviors), so a blip moves
 * nothing. Beyond the HPA, as Knative does: with min 0 an idle deployment goes to zero after its
 * idle period, and any request wakes it to one replica at once.
 */
public final class Autoscaler {
    private record Seen(long at, int replicas) {}

    private final ScalingPolicy policy;
    private final Deque<Seen> history = new ArrayDeque<>();
    private long lastBusy = Long.MIN_VALUE;

    public Autoscaler(ScalingPolicy policy) {
        this.policy = policy;
    }

    public ScalingPolicy policy() {
        return policy;
    }

    /**
     * The replicas to have now, given the requests in flight or waiting ({@code load}) and the
     * replicas there are ({@code current}).
     */
    public synchronized int recommend(long now, double load, int current) {
        if (load > 0 || lastBusy == Long.MIN_VALUE) {
            lastBusy = now;
        }
        int raw = Math.max(policy.min(), Math.min(policy.max(), (int) Math.ceil(load / policy.targetInFlight())));
        if (raw == 0 && current > 0 && now - lastBusy < policy.idleToZero().toMillis()) {
            raw = 1; // idle, but not for long enough to go to zero
        }
        if (load > 0 && current == 0) {
            raw = Math.max(raw, 1); // a request is waiting on zero replicas: wake at once
            history.addLast(new Seen(now, raw));
            return raw;
        }
        history.addLast(new Seen(now, raw));
        long keep = Math.max(policy.upWindow().toMillis(), policy.downWindow().toMillis());
        while (!history.isEmpty() && now - history.peekFirst().at() > keep) {
            history.removeFirst();
        }
        if (raw > current) {
            int lowest = raw;
            for (Seen s : history) {
                if (now - s.at() <= policy.upWindow().toMillis()) {
                    lowest = Math.min(lowest, s.replicas());
                }
            }
            return Math.max(current, lowest);
        }
        if (raw < current) {
            int highest = raw;
            for (Seen s : history) {
                if (now - s.at() <= policy.downWindow().toMillis()) {
                    highest = Math.max(highest, s.replicas());
                }
            }
            return Math.min(current, highest);
        }
        return current;
    }
}
