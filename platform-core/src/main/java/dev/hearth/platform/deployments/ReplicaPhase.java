package dev.hearth.platform.deployments;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a replica is in its life: starting (process launched, not answering yet), warming
 * ({@code /health} passes, waiting for {@code /v1/models}), ready (routed to), draining (no new
 * requests; those in flight finish), stopped, failed.
 */
public enum ReplicaPhase {
    STARTING, WARMING, READY, DRAINING, STOPPED, FAILED;

    /** Holds or is about to hold a process that serves. */
    public boolean live() {
        return this == STARTING || this == WARMING || this == READY;
    }

    public boolean ended() {
        return this == STOPPED || this == FAILED;
    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
