package dev.hearth.warmpools;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told: tests and the benchmark run pools and the autoscaler in simulated time. */
public final class SimulatedClock extends Clock {
    private long millis;

    public SimulatedClock(long startMillis) {
        this.millis = startMillis;
    }

    public synchronized void advance(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("time does not go back");
        }
        millis += ms;
    }

    @Override
    public synchronized long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
