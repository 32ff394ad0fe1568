package dev.hearth.warmpools;

/**
 * A node's life: provisioning (asked for, not up yet), warm (up, held by a placeholder workload,
 * no model on it), allocated (a replica runs on it), draining (being given back), terminated.
 */
public enum NodeState {
    PROVISIONING, WARM, ALLOCATED, DRAINING, TERMINATED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
