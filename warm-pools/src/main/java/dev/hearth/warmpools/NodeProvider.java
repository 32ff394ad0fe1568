package dev.hearth.warmpools;

/**
 * Where nodes come from. A node is asked for, comes up (or fails), is held by a placeholder
 * workload while warm, is let go by the placeholder when a replica takes it, and is given back.
 * One implementation per provider: {@link SimulatedProvider} here, Kubernetes in the platform.
 */
public interface NodeProvider {

    /** What a node asked for has come to. */
    enum Status { PENDING, UP, FAILED }

    /** Asks for one more node in the pool; throws when the pool cannot provide (quota, provider error). */
    void provision(NodePool pool, String nodeId, long now) throws CapacityException;

    Status status(NodePool pool, String nodeId, long now);

    /** A placeholder holds the (warm) node, so that nothing else lands on it. */
    void hold(NodePool pool, String nodeId);

    /** A replica takes the node: the placeholder lets go of it at once. */
    void allocate(NodePool pool, String nodeId, String replica);

    /** The node goes away. */
    void terminate(NodePool pool, String nodeId);
}
