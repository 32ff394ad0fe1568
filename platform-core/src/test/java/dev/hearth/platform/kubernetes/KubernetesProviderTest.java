package dev.hearth.platform.kubernetes;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.platform.config.ConfigLoader;
import dev.hearth.platform.replicas.LaunchSpec;
import dev.hearth.platform.replicas.VllmCommand;
import dev.hearth.warmpools.NodePool;
import dev.hearth.warmpools.NodeProvider;
import dev.hearth.warmpools.NodeState;
import dev.hearth.warmpools.SimulatedClock;
import dev.hearth.warmpools.SimulatedProvider;
import dev.hearth.warmpools.WarmPools;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes provider against fabric8's mock API server in CRUD mode: the objects it creates,
 * scales and deletes. A node "comes up" here when the test sets its placeholder's ready status, as
 * the cluster autoscaler and kubelet would on a live cluster (none ran here).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesProviderTest {
    static KubernetesClient client;
    private static final String NS = "hearth";

    private final SimulatedClock clock = new SimulatedClock(0);
    private KubernetesProvider provider;
    private WarmPools pools;
    private final NodePool gpu = new NodePool("gpu", "kubernetes", "g6e.xlarge", "L40S", 1, 0, 4, 0, 2, 0.8);

    @BeforeEach
    void setUp() {
        client.apps().deployments().inNamespace(NS).delete();
        provider = new KubernetesProvider(client, NS);
        pools = new WarmPools(clock, Map.of("kubernetes", provider, "sim", new SimulatedProvider(p -> 1_000)),
                new WarmPools.Settings(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofMinutes(20)));
    }

    private List<Deployment> placeholders() {
        return client.apps().deployments().inNamespace(NS).withLabel("app.kubernetes.io/component", "placeholder").list()
                .getItems();
    }

    /** What the kubelet would report once the placeholder's pod runs on a new node. */
    private void nodeUp(Deployment d) {
        d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder().withReadyReplicas(1)
                .withReplicas(1).build());
        client.apps().deployments().inNamespace(NS).resource(d).updateStatus();
    }

    @Test
    void priorityClassesPutPlaceholdersBelowEverythingAndReplicasAbove() {
        provider.ensurePriorityClasses();
        provider.ensurePriorityClasses(); // twice: nothing breaks
        var placeholder = client.scheduling().v1().priorityClasses().withName(KubernetesProvider.PLACEHOLDER_CLASS).get();
        var replica = client.scheduling().v1().priorityClasses().withName(KubernetesProvider.REPLICA_CLASS).get();
        assertTrue(placeholder.getValue() < 0 && replica.getValue() > 0);
        assertEquals("Never", placeholder.getPreemptionPolicy(), "a placeholder never preempts anything");
        assertFalse(placeholder.getGlobalDefault());
    }

    @Test
    void warmNodesArePlaceholderDeploymentsThatAReplicaTakesOver() throws Exception {
        pools.put(gpu);
        pools.tick();
        List<Deployment> held = placeholders();
        assertEquals(2, held.size(), "the warm target: two placeholders");
        var spec = held.get(0).getSpec().getTemplate().getSpec();
        assertEquals(KubernetesProvider.PLACEHOLDER_CLASS, spec.getPriorityClassName());
        assertEquals(Map.of(KubernetesProvider.POOL_LABEL, "gpu", "node.kubernetes.io/instance-type", "g6e.xlarge"),
                spec.getNodeSelector());
        assertEquals("1", spec.getContainers().get(0).getResources().getRequests().get("nvidia.com/gpu").getAmount());
        assertEquals(2, pools.countByState("gpu").get(NodeState.PROVISIONING), "pending until the nodes come up");
        held.forEach(this::nodeUp);
        pools.tick();
        assertEquals(2, pools.countByState("gpu").get(NodeState.WARM));

        WarmPools.Lease lease = pools.acquire("replica-0", List.of("gpu"));
        assertTrue(lease.warm());
        Deployment taken = client.apps().deployments().inNamespace(NS).withName(KubernetesProvider.name(lease.node())).get();
        assertEquals(0, taken.getSpec().getReplicas(), "the placeholder lets go of the node for good");
        pools.tick();
        assertEquals(3, placeholders().size(), "a new placeholder restores the warm target");

        pools.release("replica-0");
        pools.tick();
        assertEquals(1, client.apps().deployments().inNamespace(NS).withName(KubernetesProvider.name(lease.node())).get()
                .getSpec().getReplicas(), "back to warm: the placeholder holds it again");
    }

    @Test
    void aRefusalFailsOverToTheNextPool() throws Exception {
        pools.put(new NodePool("gpu", "kubernetes", "g6e.xlarge", "L40S", 1, 0, 4, 0, 0, 0.8));
        pools.put(new NodePool("spare", "sim", "any", "L40S", 1, 0, 4, 1, 0, 0.8));
        // The API server refuses the placeholder (here: a name already taken; on a cluster: a quota).
        client.apps().deployments().inNamespace(NS).resource(provider.placeholder(gpu, "gpu-n0")).create();
        WarmPools.Lease lease = pools.acquire("replica-0", List.of("gpu", "spare"));
        assertEquals("spare", lease.pool());
        assertEquals(1, pools.failovers("gpu"));
        assertTrue(pools.events(20).stream().anyMatch(e -> e.reason().equals("PoolUnavailable")));
        assertEquals(NodeProvider.Status.FAILED, provider.status(gpu, "gpu-n9", 0), "no placeholder: no node");
    }

    @Test
    void aReplicaPodRunsTheEnginesOwnCommandAboveThePlaceholders() {
        var config = ConfigLoader.parse("c", "model: {id: Qwen/Qwen3-8B}\nengine: {launcher: kubernetes}\n");
        LaunchSpec spec = new LaunchSpec("qwen3-8b-0", config, "0.0.0.0", 8000, 5557);
        VllmCommand vllm = new VllmCommand(List.of("vllm", "serve"));
        Pod pod = client.pods().inNamespace(NS).resource(ReplicaPods.pod(vllm, spec, gpu, NS)).create();
        var c = pod.getSpec().getContainers().get(0);
        assertEquals(List.of("vllm"), c.getCommand());
        assertEquals(vllm.argv(spec).subList(1, vllm.argv(spec).size()), c.getArgs());
        assertEquals(KubernetesProvider.REPLICA_CLASS, pod.getSpec().getPriorityClassName());
        assertEquals("gpu", pod.getSpec().getNodeSelector().get(KubernetesProvider.POOL_LABEL));
        assertEquals("/health", c.getReadinessProbe().getHttpGet().getPath());
        assertEquals(List.of(8000, 5557), c.getPorts().stream().map(p -> p.getContainerPort()).toList());
    }
}
