package dev.hearth.platform.kubernetes;

import dev.hearth.platform.replicas.EngineCommand;
import dev.hearth.platform.replicas.LaunchSpec;
import dev.hearth.warmpools.NodePool;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * A replica as a Kubernetes pod: the engine's own command line (the same {@link EngineCommand}
 * that starts a local process), its image, the pool's node selector, the node's GPUs, and the
 * replica priority that preempts a placeholder. Readiness is vLLM's and SGLang's {@code /health}.
 */
public final class ReplicaPods {
    /** Images the engines publish (docker.io/vllm/vllm-openai, docker.io/lmsysorg/sglang). */
    public static final Map<String, String> IMAGES = Map.of("vllm", "vllm/vllm-openai:v0.11.0",
            "sglang", "lmsysorg/sglang:v0.5.3");

    private ReplicaPods() {}

    /** The pod for {@code spec}; the host in its command line must be 0.0.0.0 to be reached from other pods. */
    public static Pod pod(EngineCommand command, LaunchSpec spec, NodePool pool, String namespace) {
        List<String> argv = command.argv(spec);
        String engine = spec.config().engine().name();
        Map<String, String> labels = KubernetesProvider.managed();
        labels.put(KubernetesProvider.POOL_LABEL, pool.name());
        labels.put("hearth.dev/replica", spec.replicaId());
        labels.put("app.kubernetes.io/component", "replica");
        labels.put("app.kubernetes.io/name", engine);
        Map<String, Quantity> gpus = Map.of(KubernetesProvider.GPU, new Quantity(Integer.toString(
                Math.max(1, spec.config().gpu().count()))));
        return new PodBuilder()
                .withNewMetadata().withName(spec.replicaId()).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec()
                .withPriorityClassName(KubernetesProvider.REPLICA_CLASS)
                .withNodeSelector(KubernetesProvider.nodeSelector(pool))
                .addNewToleration().withKey(KubernetesProvider.GPU).withOperator("Exists").withEffect("NoSchedule")
                .endToleration()
                .addNewContainer().withName(engine).withImage(IMAGES.get(engine))
                .withCommand(argv.get(0)).withArgs(argv.subList(1, argv.size()))
                .addNewPort().withName("http").withContainerPort(spec.port()).endPort()
                .addNewPort().withName("kv-events").withContainerPort(spec.kvEventsPort()).endPort()
                .withNewResources().withRequests(gpus).withLimits(gpus).endResources()
                .withNewReadinessProbe().withNewHttpGet().withPath("/health").withPort(new IntOrString(spec.port()))
                .endHttpGet().withPeriodSeconds(5).endReadinessProbe()
                .endContainer()
                .endSpec().build();
    }
}
