package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's state machine on a clock the test moves: open, cool down, one probe, close or open again. */
class CircuitBreakerTest {
    private final AtomicLong now = new AtomicLong(1_000);
    private final CircuitBreaker breaker = new CircuitBreaker(new CircuitBreaker.Settings(3, Duration.ofSeconds(10)),
            now::get);

    private void fail(int times) {
        for (int i = 0; i < times; i++) {
            breaker.acquire().failed();
        }
    }

    @Test
    void consecutiveFailuresOpenItAndASuccessInBetweenStartsTheCountAgain() {
        fail(2);
        breaker.acquire().succeeded();
        fail(2);
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "never 3 in a row");
        CircuitBreaker.Permit third = breaker.acquire();
        assertTrue(third.failed(), "the third in a row opens it, and says so");
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertNull(breaker.acquire(), "open: nothing goes");
        assertFalse(breaker.admits());
        assertEquals(1, breaker.opens());
    }

    @Test
    void afterTheCoolDownOneProbeGoesAndItsSuccessClosesIt() {
        fail(3);
        now.addAndGet(9_999);
        assertNull(breaker.acquire(), "still cooling down");
        now.addAndGet(1);
        assertTrue(breaker.admits());
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state(), "cooled down: a probe may go");
        CircuitBreaker.Permit probe = breaker.acquire();
        assertTrue(probe.probe());
        assertNull(breaker.acquire(), "one probe at a time");
        assertFalse(breaker.admits());
        probe.succeeded();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertFalse(breaker.acquire().probe());
    }

    @Test
    void aFailedProbeOpensItForAnotherCoolDownAndAReleasedOneLetsTheNextProbe() {
        fail(3);
        now.addAndGet(10_000);
        CircuitBreaker.Permit probe = breaker.acquire();
        probe.released(); // the client left: no verdict
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state());
        CircuitBreaker.Permit next = breaker.acquire();
        assertNotNull(next);
        assertTrue(next.failed(), "a failed probe opens it again");
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertEquals(2, breaker.opens());
        now.addAndGet(9_000);
        assertNull(breaker.acquire());
    }

    @Test
    void outcomesOfRequestsAdmittedInAnEarlierStateMoveNothing() {
        CircuitBreaker.Permit slow = breaker.acquire(); // sent while closed, ends after the breaker opened
        fail(3);
        now.addAndGet(10_000);
        CircuitBreaker.Permit probe = breaker.acquire();
        slow.succeeded();
        assertEquals(CircuitBreaker.State.HALF_OPEN, breaker.state(), "an old success is not the probe's");
        probe.failed();
        probe.succeeded();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a permit reports once");
        CircuitBreaker.Permit panic = breaker.bypass();
        panic.succeeded();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "panic routing's outcomes do not close it");
    }

    @Test
    void zeroFailuresTurnsItOff() {
        CircuitBreaker off = new CircuitBreaker(new CircuitBreaker.Settings(0, Duration.ofSeconds(1)), now::get);
        for (int i = 0; i < 100; i++) {
            assertFalse(off.acquire().failed());
        }
        assertEquals(CircuitBreaker.State.CLOSED, off.state());
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker.Settings(-1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new CircuitBreaker.Settings(3, Duration.ZERO));
    }
}
