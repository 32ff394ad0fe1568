package dev.hearth.platform.shared;

import dev.hearth.platform.config.ConfigLoader;
import dev.hearth.platform.config.ModelConfig;
import dev.hearth.platform.deployments.Deployment;
import dev.hearth.platform.deployments.DeploymentService;
import dev.hearth.platform.deployments.DeploymentStore;
import dev.hearth.platform.deployments.ReplicaPhase;
import dev.hearth.platform.deployments.ReplicaStatus;
import dev.hearth.platform.deployments.StateMirror;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.platform.gateway.Backend;
import dev.hearth.platform.gateway.ReplicaGroup;
import dev.hearth.platform.gateway.ReplicaGroups;
import dev.hearth.router.tokens.PromptBlocks;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gateway that does not run the control plane routes to the replicas another gateway's control
 * plane runs, read from the {@link StateMirror} each {@link #sync}: a deployment becomes a replica
 * group built as the control plane builds it, its ready replicas become backends (with their KV
 * events, which this gateway subscribes to itself), and replicas that stop being ready drain away;
 * a rolling update's new version reaches the prediction cache keys. The way Kubernetes endpoints
 * follow a Deployment's ready pods, with Redis in the API server's place.
 */
public final class FollowedDeployments {
    private static final Logger LOG = LoggerFactory.getLogger(FollowedDeployments.class);

    /** What a deployment's group routes to now, and the replicas draining out of it. */
    private record Followed(int generation, Set<String> replicas, Set<String> leaving) {}

    private final StateMirror mirror;
    private final ReplicaGroups groups;
    private final Supplier<PromptBlocks> prompts;
    private final LongSupplier clock;
    private final Map<String, Followed> followed = new HashMap<>();
    private final Map<String, String> refused = new HashMap<>();

    public FollowedDeployments(StateMirror mirror, ReplicaGroups groups, Supplier<PromptBlocks> prompts, LongSupplier clock) {
        this.mirror = mirror;
        this.groups = groups;
        this.prompts = prompts;
        this.clock = clock;
    }

    /** Brings the groups in step with the mirrored state; while the mirror cannot be read, routing stays as it is. */
    public synchronized void sync() {
        Map<String, byte[]> state = mirror.all();
        if (state == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, byte[]> e : state.entrySet()) {
            if (!e.getKey().startsWith(StateMirror.deploymentKey(""))) {
                continue;
            }
            try {
                Deployment d = DeploymentStore.parse(e.getValue());
                seen.add(d.name());
                follow(d);
                refused.remove(e.getKey());
            } catch (Exception ex) {
                if (!String.valueOf(ex.getMessage()).equals(refused.put(e.getKey(), String.valueOf(ex.getMessage())))) {
                    LOG.warn("cannot follow {}: {}", e.getKey(), ex.getMessage()); // once per reason, not each second
                }
            }
        }
        for (String name : Set.copyOf(followed.keySet())) {
            if (!seen.contains(name)) {
                followed.remove(name);
                groups.remove(name);
                LOG.info("{} was deleted by the control plane", name);
            }
        }
    }

    private void follow(Deployment d) {
        ModelConfig config = ConfigLoader.parse(d.name(), d.config());
        Followed f = followed.get(d.name());
        ReplicaGroup group = groups.get(d.name());
        if (f == null || group == null) {
            group = DeploymentService.group(d.name(), config, d.generation(), prompts.get(), clock);
            groups.add(group);
            f = new Followed(d.generation(), new HashSet<>(), new HashSet<>());
            LOG.info("following {} (generation {})", d.name(), d.generation());
        } else if (f.generation() != d.generation()) {
            group.serve(DeploymentService.served(config, d.generation(), group.served().maxModelLen()));
            f = new Followed(d.generation(), f.replicas(), f.leaving());
        }
        Set<String> ready = new HashSet<>();
        for (ReplicaStatus r : d.replicaStatuses()) {
            if (r.phase() == ReplicaPhase.READY && r.url() != null) {
                ready.add(r.id());
                if (!f.replicas().contains(r.id())) {
                    if (f.leaving().contains(r.id())) {
                        group.remove(r.id()); // ready again while draining: routed afresh
                    }
                    EngineClient client = new EngineClient(URI.create(r.url()), Duration.ofSeconds(2), Duration.ofSeconds(2));
                    learnContext(group, client, config, d.generation());
                    group.add(new Backend(r.id(), client, r.kvEvents()), false);
                }
            }
        }
        Set<String> leaving = new HashSet<>();
        for (String gone : f.replicas()) {
            if (!ready.contains(gone)) {
                group.drain(gone); // no new requests; those in flight finish
                leaving.add(gone);
            }
        }
        for (String l : f.leaving()) {
            if (ready.contains(l)) {
                continue; // came back: added again above
            }
            if (group.inFlight(l) == 0) {
                group.remove(l);
            } else {
                leaving.add(l);
            }
        }
        followed.put(d.name(), new Followed(d.generation(), ready, leaving));
    }

    /** The engines' context length, for clamping max_tokens as the control plane's gateway does. */
    private static void learnContext(ReplicaGroup group, EngineClient client, ModelConfig config, int generation) {
        if (group.served().maxModelLen() > 0) {
            return;
        }
        try {
            group.serve(DeploymentService.served(config, generation, client.model().maxModelLen()));
        } catch (Exception e) {
            LOG.debug("context length not known yet: {}", e.getMessage());
        }
    }

    /**
     * Stops following: this gateway takes the control plane over, whose groups replace these one by
     * one as it restores each deployment (a deployment it does not restore is removed then).
     */
    public synchronized void stop() {
        followed.clear();
    }

    /** The deployments followed until {@link #stop}, for the takeover to remove those it does not restore. */
    public synchronized Set<String> names() {
        return Set.copyOf(followed.keySet());
    }
}
