package dev.hearth.platform.kubernetes;

import dev.hearth.platform.deployments.DeploymentNames;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.platform.gateway.Backend;
import dev.hearth.platform.gateway.ReplicaGroup;
import dev.hearth.platform.gateway.ReplicaGroups;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine replicas found in the Kubernetes API instead of started by Hearth: the pods of one
 * namespace that a label selector picks, followed by a fabric8 informer (a list, then a watch). A
 * pod is a backend while it is Running and Ready with an IP, the rule the Endpoints controller
 * applies to a Service's pods: it joins as {@code http://IP:PORT} with KV events at
 * {@code tcp://IP:KVPORT} (the pod's container ports named {@code http} and {@code kv-events}, else
 * the settings' ports), its pod name as replica id. A pod that stops being ready, starts
 * terminating or is deleted drains, and leaves once its requests have ended. Pods are grouped by
 * their {@value #DEPLOYMENT_LABEL} label (else by the model they serve) into one
 * {@link ReplicaGroup} each, made when the group's first pod is ready from what its engine serves
 * ({@code /v1/models}). Tested against fabric8's mock API server only, not a live cluster.
 */
public final class PodDiscovery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodDiscovery.class);
    /** The label naming the deployment a pod belongs to; deploy/helm/hearth sets it on engine pods. */
    public static final String DEPLOYMENT_LABEL = "hearth.dev/deployment";
    public static final String HTTP_PORT = "http";
    public static final String KV_EVENTS_PORT = "kv-events";
    private static final Duration RESYNC = Duration.ofMinutes(5);
    private static final Duration SWEEP = Duration.ofMillis(250);

    /** Where to look, and the ports of a pod that names none; {@code kvEventsPort} 0 for no KV events. */
    public record Settings(String namespace, PodSelector selector, int enginePort, int kvEventsPort) {
        public Settings {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(selector, "selector");
            if (enginePort < 1 || enginePort > 65_535 || kvEventsPort < 0 || kvEventsPort > 65_535) {
                throw new IllegalArgumentException("--engine-port must be between 1 and 65535 and --kv-events-port between 0 "
                        + "and 65535, were " + enginePort + " and " + kvEventsPort);
            }
        }
    }

    /** Makes the group of a deployment seen for the first time, from its name and what its first engine serves. */
    public interface GroupFactory {
        ReplicaGroup create(String deployment, EngineClient.ServedModel served);
    }

    /** A pod routed to: its group, where it answers, and whether it is draining. */
    private record Member(ReplicaGroup group, URI url, boolean draining) {}

    private final Settings settings;
    private final ReplicaGroups groups;
    private final GroupFactory factory;
    private final Map<String, ReplicaGroup> own = new HashMap<>();
    private final Map<String, Member> members = new HashMap<>();
    private volatile SharedIndexInformer<Pod> informer;
    private final Thread sweeper;

    private PodDiscovery(Settings settings, ReplicaGroups groups, GroupFactory factory) {
        this.settings = settings;
        this.groups = groups;
        this.factory = factory;
        this.sweeper = Thread.ofVirtual().name("pod-discovery-sweeper").unstarted(this::sweepLoop);
    }

    /**
     * Lists the pods, routes to the ready ones, and follows changes until {@link #close}. Throws
     * when the API server cannot be reached or refuses the list (RBAC). The caller keeps {@code client}
     * and closes it after this.
     */
    public static PodDiscovery start(KubernetesClient client, Settings settings, ReplicaGroups groups, GroupFactory factory) {
        PodDiscovery d = new PodDiscovery(settings, groups, factory);
        // One plain list first: an unreachable API server or an RBAC refusal is then this call's
        // exception, where the informer would only log it.
        client.pods().inNamespace(settings.namespace()).withLabelSelector(settings.selector().toString())
                .list(new ListOptionsBuilder().withLimit(1L).build());
        d.informer = client.pods().inNamespace(settings.namespace()).withLabelSelector(settings.selector().toString())
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        d.reconcile(pod);
                    }

                    @Override
                    public void onUpdate(Pod before, Pod pod) {
                        d.reconcile(pod);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean finalStateUnknown) {
                        d.leave(pod.getMetadata().getName());
                    }
                }, RESYNC.toMillis());
        d.sweeper.start();
        return d;
    }

    /** Pods routed to now (draining ones included), by name, with the URL each answers at. */
    public synchronized Map<String, URI> members() {
        Map<String, URI> out = new HashMap<>();
        members.forEach((name, m) -> out.put(name, m.url()));
        return out;
    }

    private synchronized void reconcile(Pod pod) {
        String name = pod.getMetadata().getName();
        Member m = members.get(name);
        URI url = ready(pod) ? URI.create("http://" + host(pod) + ":" + port(pod, HTTP_PORT, settings.enginePort())) : null;
        if (m != null) {
            if (!m.draining() && !m.url().equals(url)) {
                drain(name, m); // not ready any more, or a new address: it joins again once drained
            }
            return;
        }
        if (url != null) {
            join(pod, name, url);
        }
    }

    private void join(Pod pod, String name, URI url) {
        EngineClient engine = new EngineClient(url, Duration.ofSeconds(2), Duration.ofSeconds(2));
        String label = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(DEPLOYMENT_LABEL);
        ReplicaGroup group = label == null ? null : own.get(label);
        if (group == null) {
            EngineClient.ServedModel served;
            try {
                served = engine.model();
            } catch (Exception e) {
                // Ready but not answering yet: the next update or resync tries again.
                LOG.warn("pod {} is ready but {}/v1/models did not answer: {}", name, url, e.toString());
                return;
            }
            String deployment = label != null ? label : DeploymentNames.fromModel(served.id());
            group = own.get(deployment);
            if (group == null) {
                if (groups.get(deployment) != null) {
                    LOG.warn("pod {} belongs to {}, which the control plane serves: not routed to", name, deployment);
                    return;
                }
                group = factory.create(deployment, served);
                groups.add(group);
                own.put(deployment, group);
            }
        }
        int kvPort = port(pod, KV_EVENTS_PORT, settings.kvEventsPort());
        String kv = kvPort == 0 ? null : "tcp://" + host(pod) + ":" + kvPort;
        group.add(new Backend(name, engine, kv), false);
        members.put(name, new Member(group, url, false));
        LOG.info("pod {} joined {} at {}", name, group.name(), url);
    }

    private synchronized void leave(String name) {
        Member m = members.get(name);
        if (m != null && !m.draining()) {
            drain(name, m);
        }
    }

    private void drain(String name, Member m) {
        m.group().drain(name);
        members.put(name, new Member(m.group(), m.url(), true));
        LOG.info("pod {} drains from {}", name, m.group().name());
    }

    /** Lets drained pods go once nothing is in flight on them; a pod ready again by then joins anew. */
    synchronized void sweep() {
        for (Map.Entry<String, Member> e : List.copyOf(members.entrySet())) {
            Member m = e.getValue();
            if (m.draining() && m.group().inFlight(e.getKey()) == 0) {
                m.group().remove(e.getKey());
                members.remove(e.getKey());
                LOG.info("pod {} left {}", e.getKey(), m.group().name());
                SharedIndexInformer<Pod> inf = informer;
                Pod now = inf == null ? null : inf.getStore().getByKey(settings.namespace() + "/" + e.getKey());
                if (now != null) {
                    reconcile(now);
                }
            }
        }
    }

    private void sweepLoop() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(SWEEP);
                sweep();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Running, Ready, not terminating, with an IP: what makes a pod a Service endpoint. */
    static boolean ready(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
            return false;
        }
        var s = pod.getStatus();
        return "Running".equals(s.getPhase()) && s.getPodIP() != null && !s.getPodIP().isBlank() && s.getConditions() != null
                && s.getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String host(Pod pod) {
        String ip = pod.getStatus().getPodIP();
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }

    /** The pod's container port of that name, else {@code fallback}. */
    static int port(Pod pod, String name, int fallback) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return fallback;
        }
        return pod.getSpec().getContainers().stream()
                .flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.<ContainerPort>empty() : c.getPorts().stream())
                .filter(p -> name.equals(p.getName()) && p.getContainerPort() != null).mapToInt(ContainerPort::getContainerPort)
                .findFirst().orElse(fallback);
    }

    @Override
    public void close() {
        sweeper.interrupt();
        SharedIndexInformer<Pod> inf = informer;
        if (inf != null) {
            inf.close();
        }
    }
}
