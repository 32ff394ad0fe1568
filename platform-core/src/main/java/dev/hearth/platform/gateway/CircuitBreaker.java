package dev.hearth.platform.gateway;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One replica's circuit breaker, so a replica that hangs or keeps failing stops taking requests
 * even while its {@code /health} still answers. The states and their moves are resilience4j's
 * ({@code CircuitBreakerStateMachine}: CLOSED, OPEN, HALF_OPEN); what trips it is Envoy's outlier
 * detection's count of consecutive failures ({@code consecutive_gateway_failure}, whose default of
 * 5 is ours), and the cool-down plays Envoy's {@code base_ejection_time} (30 s by default).
 *
 * <p>CLOSED: every request may go; {@code failures} consecutive failures (no answer, a timeout, a
 * 5xx, a stream broken or stalled) open it. OPEN: nothing goes for the cool-down. Then HALF_OPEN:
 * exactly one request, the probe, goes; its success closes the breaker, its failure opens it for
 * another cool-down. Only the outcome of a request that was admitted in the current state moves
 * it: a request sent while CLOSED that ends while OPEN changes nothing, and nothing else (the
 * gateway's health prober included) closes it. Thread-safe.
 */
public final class CircuitBreaker {
    /** The breaker's state, as resilience4j names them. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    /**
     * When to open and how long to stay open. {@code failures} 0 turns the breaker off (it never opens).
     */
    public record Settings(int failures, Duration coolDown) {
        public Settings {
            if (failures < 0) {
                throw new IllegalArgumentException("circuit breaker failures must be 0 (off) or more, was " + failures);
            }
            if (coolDown.isNegative() || coolDown.isZero()) {
                throw new IllegalArgumentException("circuit breaker cool-down must be positive, was " + coolDown);
            }
        }

        /** Envoy's outlier detection defaults: 5 consecutive failures, 30 s out. */
        public static Settings standard() {
            return new Settings(5, Duration.ofSeconds(30));
        }
    }

    /**
     * Leave to send one request: report how it ended once ({@link #succeeded}, {@link #failed}, or
     * {@link #released} when it ended neither way, say because the client left). Later reports are ignored.
     */
    public final class Permit {
        private final boolean probe;
        private final long generation;
        private boolean reported;

        private Permit(boolean probe, long generation) {
            this.probe = probe;
            this.generation = generation;
        }

        /** Whether this is the half-open state's one probe. */
        public boolean probe() {
            return probe;
        }

        public void succeeded() {
            report(this, Boolean.TRUE);
        }

        /** Returns true when this failure opened the breaker. */
        public boolean failed() {
            return report(this, Boolean.FALSE);
        }

        public void released() {
            report(this, null);
        }
    }

    private final Settings settings;
    private final LongSupplier clock;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openedAt;
    private boolean probing;
    /** Counts state changes, so a permit from an earlier state cannot move this one. */
    private long generation;
    private long opens;

    /** @param clock milliseconds, for the cool-down */
    public CircuitBreaker(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** The state now; an open breaker whose cool-down has passed reads HALF_OPEN (its probe not yet sent). */
    public synchronized State state() {
        return state == State.OPEN && cooledDown() ? State.HALF_OPEN : state;
    }

    /** Whether a request could be admitted now (the router may consider the replica). */
    public synchronized boolean admits() {
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> cooledDown();
            case HALF_OPEN -> !probing;
        };
    }

    /** Leave to send a request now, or null: open and cooling down, or half-open with its probe out. */
    public synchronized Permit acquire() {
        switch (state) {
            case CLOSED -> {
                return new Permit(false, generation);
            }
            case OPEN -> {
                if (!cooledDown()) {
                    return null;
                }
                move(State.HALF_OPEN);
                probing = true;
                return new Permit(true, generation);
            }
            default -> {
                if (probing) {
                    return null;
                }
                probing = true;
                return new Permit(true, generation);
            }
        }
    }

    /**
     * Leave to send a request whatever the state, for when every replica's breaker is open and the
     * request would otherwise fail at once (Envoy's panic routing). Its outcome moves nothing unless closed.
     */
    public synchronized Permit bypass() {
        return new Permit(false, state == State.CLOSED ? generation : -1);
    }

    /** How many times the breaker opened, since it was made. */
    public synchronized long opens() {
        return opens;
    }

    private boolean cooledDown() {
        return clock.getAsLong() - openedAt >= settings.coolDown().toMillis();
    }

    private synchronized boolean report(Permit p, Boolean success) {
        if (p.reported) {
            return false;
        }
        p.reported = true;
        if (p.generation != generation) {
            return false; // admitted in an earlier state: its outcome says nothing of this one
        }
        if (p.probe) {
            probing = false;
            if (success == null) {
                return false; // the probe ended without an answer either way: the next request probes
            }
            if (success) {
                consecutiveFailures = 0;
                move(State.CLOSED);
                return false;
            }
            open();
            return true;
        }
        if (state != State.CLOSED || success == null) {
            return false;
        }
        if (success) {
            consecutiveFailures = 0;
            return false;
        }
        consecutiveFailures++;
        if (settings.failures() > 0 && consecutiveFailures >= settings.failures()) {
            open();
            return true;
        }
        return false;
    }

    private void open() {
        move(State.OPEN);
        openedAt = clock.getAsLong();
        consecutiveFailures = 0;
        opens++;
    }

    private void move(State next) {
        state = next;
        generation++;
    }
}
