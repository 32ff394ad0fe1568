package dev.hearth.platform.kubernetes;

import dev.hearth.warmpools.CapacityException;
import dev.hearth.warmpools.NodePool;
import dev.hearth.warmpools.NodeProvider;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Warm nodes on Kubernetes, by the cluster autoscaler's overprovisioning pattern (its FAQ, "How can
 * I configure overprovisioning with Cluster Autoscaler?"): each warm node is held by a placeholder
 * Deployment of one pause pod that requests the node's GPUs on the pool's node selector, at the
 * lowest priority ({@value #PLACEHOLDER_CLASS}). Asking for a node creates the placeholder; the
 * cluster autoscaler adds a node for it; the node is up when the placeholder runs. A replica pod at
 * {@value #REPLICA_CLASS} preempts the placeholder at once, and the placeholder is scaled to zero so
 * it does not come back. Hearth creates both PriorityClasses. Tested against fabric8's mock API
 * server in CRUD mode only: it has not run on a live cluster here.
 */
public final class KubernetesProvider implements NodeProvider {
    public static final String PLACEHOLDER_CLASS = "hearth-placeholder";
    public static final String REPLICA_CLASS = "hearth-replica";
    /** The label every node of a pool carries, and placeholders and replicas select on. */
    public static final String POOL_LABEL = "hearth.dev/nodepool";
    static final String GPU = "nvidia.com/gpu";
    static final String PAUSE_IMAGE = "registry.k8s.io/pause:3.10";

    private final KubernetesClient client;
    private final String namespace;

    public KubernetesProvider(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Creates the two PriorityClasses when they are missing: placeholders below everything, replicas above. */
    public void ensurePriorityClasses() {
        priorityClasses().forEach(this::ensure);
    }

    /** The PriorityClasses Hearth uses; deploy/helm/hearth defines the same (ChartTest compares them). */
    public static List<PriorityClass> priorityClasses() {
        return List.of(new PriorityClassBuilder().withNewMetadata().withName(PLACEHOLDER_CLASS).addToLabels(managed()).endMetadata()
                        .withValue(-10).withGlobalDefault(false).withPreemptionPolicy("Never")
                        .withDescription("Hearth's warm-node placeholders: any pod may preempt them.").build(),
                new PriorityClassBuilder().withNewMetadata().withName(REPLICA_CLASS).addToLabels(managed()).endMetadata()
                        .withValue(1_000).withGlobalDefault(false).withPreemptionPolicy("PreemptLowerPriority")
                        .withDescription("Hearth's model replicas: they take warm nodes from placeholders.").build());
    }

    private void ensure(PriorityClass pc) {
        var existing = client.scheduling().v1().priorityClasses().withName(pc.getMetadata().getName());
        if (existing.get() == null) {
            client.scheduling().v1().priorityClasses().resource(pc).create();
        }
    }

    /** The placeholder Deployment that holds a warm node of {@code pool}. */
    public Deployment placeholder(NodePool pool, String nodeId) {
        Map<String, String> labels = managed();
        labels.put(POOL_LABEL, pool.name());
        labels.put("hearth.dev/node", nodeId);
        labels.put("app.kubernetes.io/component", "placeholder");
        Map<String, Quantity> gpus = pool.gpusPerNode() > 0 ? Map.of(GPU, new Quantity(Integer.toString(pool.gpusPerNode())))
                : Map.of();
        return new DeploymentBuilder()
                .withNewMetadata().withName(name(nodeId)).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("hearth.dev/node", nodeId).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withPriorityClassName(PLACEHOLDER_CLASS)
                .withTerminationGracePeriodSeconds(0L)
                .withNodeSelector(nodeSelector(pool))
                .addNewToleration().withKey(GPU).withOperator("Exists").withEffect("NoSchedule").endToleration()
                .addNewContainer().withName("hold").withImage(PAUSE_IMAGE)
                .withNewResources().withRequests(gpus).withLimits(gpus).endResources()
                .endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    /** Pods of the pool land on its nodes: the pool label, and the instance type when one is set. */
    public static Map<String, String> nodeSelector(NodePool pool) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(POOL_LABEL, pool.name());
        if (pool.instanceType() != null && !pool.instanceType().isBlank() && !pool.instanceType().equals("any")) {
            s.put("node.kubernetes.io/instance-type", pool.instanceType());
        }
        return s;
    }

    @Override
    public void provision(NodePool pool, String nodeId, long now) throws CapacityException {
        try {
            client.apps().deployments().inNamespace(namespace).resource(placeholder(pool, nodeId)).create();
        } catch (KubernetesClientException e) {
            // 403 with "exceeded quota", or the API server refusing: the pool cannot provide now.
            throw new CapacityException("Kubernetes refused the placeholder for " + nodeId + " (HTTP " + e.getCode()
                    + "): " + e.getMessage());
        }
    }

    @Override
    public Status status(NodePool pool, String nodeId, long now) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name(nodeId)).get();
        if (d == null) {
            return Status.FAILED;
        }
        Integer ready = d.getStatus() == null ? null : d.getStatus().getReadyReplicas();
        return ready != null && ready >= 1 ? Status.UP : Status.PENDING;
    }

    @Override
    public void hold(NodePool pool, String nodeId) {
        client.apps().deployments().inNamespace(namespace).withName(name(nodeId)).scale(1);
    }

    @Override
    public void allocate(NodePool pool, String nodeId, String replica) {
        // The replica pod preempts the placeholder; at zero replicas it does not come back for the node.
        client.apps().deployments().inNamespace(namespace).withName(name(nodeId)).scale(0);
    }

    @Override
    public void terminate(NodePool pool, String nodeId) {
        client.apps().deployments().inNamespace(namespace).withName(name(nodeId)).delete();
    }

    static String name(String nodeId) {
        return "hearth-warm-" + nodeId;
    }

    static Map<String, String> managed() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("app.kubernetes.io/managed-by", "hearth");
        return m;
    }
}
