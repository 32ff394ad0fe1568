package dev.hearth.enginesim.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
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
        List<Arrival> sorted = new ArrayList<>(arrivals);
        sorted.sort(Comparator.comparingDouble(Arrival::time));
        return run(sorted.iterator());
    }

    /**
     * Like {@link #run(List)} over arrivals produced lazily in time order, so a long workload never
     * holds more prompts in memory than the engine has in flight.
     */
    public double run(Iterator<Arrival> arrivals) {
        double now = 0;
        Arrival next = arrivals.hasNext() ? arrivals.next() : null;
        while (next != null || !engine.idle()) {
            while (next != null && next.time() <= now) {
                engine.submit(next.id(), next.prompt(), next.salt(), next.sampling(), next.listener(), next.time());
                next = arrivals.hasNext() ? arrivals.next() : null;
            }
            EngineCore.StepResult step = engine.step(now);
            if (step.idle()) {
                if (next != null) {
                    now = Math.max(now, next.time());
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
