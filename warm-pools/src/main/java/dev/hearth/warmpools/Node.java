package dev.hearth.warmpools;

/**
 * One node of a pool: its state since {@code since} (epoch ms), and the replica it runs or is
 * being provisioned for ({@code replica}, null for warm capacity).
 */
public record Node(String id, String pool, NodeState state, long since, String replica) {

    Node to(NodeState next, long now, String holder) {
        return new Node(id, pool, next, now, holder);
    }
}
