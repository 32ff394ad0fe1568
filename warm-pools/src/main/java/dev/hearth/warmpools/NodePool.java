package dev.hearth.warmpools;

/**
 * A pool of like nodes: where they come from ({@code provider}, {@code instanceType}), what each
 * holds ({@code gpusPerNode} of {@code gpuKind}), how many may exist ({@code minNodes} ..
 * {@code maxNodes}), its place in the order deployments fill pools ({@code priority}, lower first),
 * how many nodes to keep ready with no model on them ({@code warmTarget}), and the share of
 * {@code maxNodes} in use past which the next pool starts warming ({@code spillOver}).
 */
public record NodePool(String name, String provider, String instanceType, String gpuKind, int gpusPerNode, int minNodes,
                       int maxNodes, int priority, int warmTarget, double spillOver) {

    public NodePool {
        if (name == null || !name.matches("[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?")) {
            throw new IllegalArgumentException("pool name '" + name + "' is not valid: lower-case letters, digits and '-'");
        }
        if (provider == null || provider.isBlank()) {
            throw new IllegalArgumentException("pool " + name + ": provider is required (local or kubernetes)");
        }
        if (gpusPerNode < 0 || gpusPerNode > 16) {
            throw new IllegalArgumentException("pool " + name + ": gpus_per_node must be 0 to 16, was " + gpusPerNode);
        }
        if (minNodes < 0 || maxNodes < 1 || minNodes > maxNodes || maxNodes > 10_000) {
            throw new IllegalArgumentException("pool " + name + ": need 0 <= min_nodes <= max_nodes, 1 <= max_nodes "
                    + "<= 10000; was min " + minNodes + ", max " + maxNodes);
        }
        if (warmTarget < 0 || warmTarget > maxNodes) {
            throw new IllegalArgumentException("pool " + name + ": warm_target must be 0 to max_nodes " + maxNodes
                    + ", was " + warmTarget);
        }
        if (!(spillOver > 0 && spillOver <= 1)) {
            throw new IllegalArgumentException("pool " + name + ": spill_over must be above 0 and at most 1, was "
                    + spillOver);
        }
    }

    /** Nodes the next pool warms when this one passes its spill-over share: the headroom this pool had left. */
    public int spillHeadroom() {
        return Math.max(1, (int) Math.ceil(maxNodes * (1 - spillOver)));
    }
}
