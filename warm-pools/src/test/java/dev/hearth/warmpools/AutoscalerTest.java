package dev.hearth.warmpools;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The autoscaler's decisions in simulated time (milliseconds given directly). */
class AutoscalerTest {

    @Test
    void followsLoadWithinBoundsAndWaitsOutTheScaleDownWindow() {
        Autoscaler a = new Autoscaler(new ScalingPolicy(1, 6, 8, Duration.ZERO, Duration.ofMinutes(5), Duration.ofMinutes(15)));
        assertEquals(1, a.recommend(0, 4, 1));
        assertEquals(3, a.recommend(1_000, 20, 1), "ceil(20 / 8)");
        assertEquals(6, a.recommend(2_000, 200, 3), "capped at max");
        assertEquals(6, a.recommend(60_000, 8, 6), "a fall waits for the scale-down window");
        assertEquals(6, a.recommend(290_000, 8, 6));
        assertEquals(1, a.recommend(303_000, 8, 6), "5 minutes of low load: down to what it needs");
    }

    @Test
    void aScaleUpWindowIgnoresABlip() {
        Autoscaler a = new Autoscaler(new ScalingPolicy(1, 10, 8, Duration.ofSeconds(30), Duration.ZERO, Duration.ZERO));
        assertEquals(1, a.recommend(0, 8, 1));
        assertEquals(1, a.recommend(1_000, 80, 1), "one high sample is not enough");
        assertEquals(1, a.recommend(20_000, 8, 1));
        for (long t = 32_000; t <= 62_000; t += 1_000) {
            a.recommend(t, 80, 1);
        }
        assertEquals(10, a.recommend(63_000, 80, 1), "high for the whole window: up");
    }

    @Test
    void scalesToZeroAfterTheIdlePeriodAndWakesOnTheFirstRequest() {
        Autoscaler a = new Autoscaler(new ScalingPolicy(0, 4, 8, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(2)));
        assertEquals(1, a.recommend(0, 3, 1));
        assertEquals(1, a.recommend(60_000, 0, 1), "idle, not for long enough");
        assertEquals(0, a.recommend(121_000, 0, 1), "idle for 2 minutes: to zero");
        assertEquals(0, a.recommend(200_000, 0, 0));
        assertEquals(1, a.recommend(201_000, 1, 0), "a request on zero replicas wakes one at once");
    }

    @Test
    void badPoliciesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ScalingPolicy(3, 2, 8, Duration.ZERO, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new ScalingPolicy(0, 2, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }
}
