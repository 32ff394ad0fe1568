package dev.hearth.warmpools;

/** A pool cannot provide a node now: a quota is reached, or the provider failed. */
public final class CapacityException extends Exception {
    public CapacityException(String message) {
        super(message, null, false, false);
    }
}
