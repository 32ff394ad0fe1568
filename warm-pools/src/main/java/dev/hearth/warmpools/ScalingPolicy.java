package dev.hearth.warmpools;

import java.time.Duration;

/**
 * How a deployment scales: between {@code min} and {@code max} replicas, aiming at
 * {@code targetInFlight} requests in flight per replica; a rise must hold for {@code upWindow} and
 * a fall for {@code downWindow} before replicas follow; with {@code min} 0, no request for
 * {@code idleToZero} scales to zero.
 */
public record ScalingPolicy(int min, int max, double targetInFlight, Duration upWindow, Duration downWindow,
                            Duration idleToZero) {

    public ScalingPolicy {
        if (min < 0 || max < 1 || min > max) {
            throw new IllegalArgumentException("need 0 <= min <= max and max >= 1; was " + min + ".." + max);
        }
        if (!(targetInFlight > 0)) {
            throw new IllegalArgumentException("target in-flight requests per replica must be above 0, was " + targetInFlight);
        }
        if (upWindow.isNegative() || downWindow.isNegative() || idleToZero.isNegative()) {
            throw new IllegalArgumentException("windows cannot be negative");
        }
    }
}
