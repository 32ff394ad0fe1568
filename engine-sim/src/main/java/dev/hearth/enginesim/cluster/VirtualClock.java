package dev.hearth.enginesim.cluster;

import java.util.function.LongSupplier;

/**
 * The simulation's time in milliseconds, for policies that read a clock of their own (SGLang's tree
 * evicts by age): the simulator moves it as it admits requests and runs engine steps.
 */
public final class VirtualClock implements LongSupplier {
    private long millis;

    void advanceTo(double seconds) {
        millis = Math.max(millis, (long) (seconds * 1000));
    }

    @Override
    public long getAsLong() {
        return millis;
    }
}
