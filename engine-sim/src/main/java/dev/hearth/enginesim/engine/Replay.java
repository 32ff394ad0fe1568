package dev.hearth.enginesim.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Replays timed arrivals against one {@link EngineCore} in virtual time: the clock jumps from step
 * end to step end (or to the next arrival when idle) and nothing sleeps, so an hour of traffic
 * replays in seconds. Outputs are delivered at once, stamped with their simulated time.
 */
public final class Replay {
    /** One request arriving at {@code time} simulated seconds. */
    public record Arrival(double time, String id, int[] prompt, String salt, Sampling sampling, OutputListener listener) {}

    private final EngineCore engine;

    public Replay(EngineCore engine) {
        this.engine = engine;
    }

    /** Runs until every arrival has finished; returns the simulated time of the last step's end. */
    public double run(List<Arrival> arrivals) {
        List<Arrival> queue = new ArrayList<>(arrivals);
        queue.sort(Comparator.comparingDouble(Arrival::time));
        double now = 0;
        int next = 0;
        while (next < queue.size() || !engine.idle()) {
            while (next < queue.size() && queue.get(next).time() <= now) {
                Arrival a = queue.get(next++);
                engine.submit(a.id(), a.prompt(), a.salt(), a.sampling(), a.listener(), a.time());
            }
            EngineCore.StepResult step = engine.step(now);
            if (step.idle()) {
                if (next < queue.size()) {
                    now = Math.max(now, queue.get(next).time());
                }
                continue;
            }
            now += step.duration();
            for (EngineCore.Delivery d : step.deliveries()) {
                d.deliver();
            }
        }
        return now;
    }
}
