package dev.hearth.platform.shared;

import dev.hearth.platform.metrics.MetricSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This gateway's part in the control plane when several share a Redis: it runs the control plane
 * while it holds the {@link ControlPlaneLease}, and otherwise follows the one that does
 * ({@link FollowedDeployments}), trying for the lease a few times per lease time. A follower that
 * gets the lease stops following and takes over (restoring the mirrored state and adopting the
 * replicas still running), once: a gateway that ran the control plane never goes back to following.
 */
public final class ControlPlaneRole implements AutoCloseable, MetricSource {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlaneRole.class);

    /** Becoming the control plane: restore the mirrored state, start reconciling. */
    public interface Takeover {
        /** Returns the deployments now run here. */
        java.util.Set<String> run() throws Exception;
    }

    private final ControlPlaneLease lease;
    private final FollowedDeployments followed;
    private final Takeover takeover;
    private final dev.hearth.platform.gateway.ReplicaGroups groups;
    private Thread loop;
    private volatile boolean leading;
    private volatile boolean serving;
    private volatile boolean closed;

    public ControlPlaneRole(ControlPlaneLease lease, FollowedDeployments followed, Takeover takeover,
                            dev.hearth.platform.gateway.ReplicaGroups groups) {
        this.lease = lease;
        this.groups = groups;
        this.followed = followed;
        this.takeover = takeover;
    }

    /** Takes the lease and the control plane if free, else starts following; true when this gateway leads. */
    public synchronized boolean start() throws Exception {
        if (lease.tryAcquire()) {
            lead();
        } else {
            followed.sync();
        }
        loop = Thread.ofVirtual().name("control-plane-role").start(this::run);
        return leading;
    }

    /** Once only: a takeover that fails half-way is logged, never tried twice over its own leftovers. */
    private void lead() throws Exception {
        leading = true;
        java.util.Set<String> wereFollowed = followed.names();
        followed.stop();
        java.util.Set<String> restored = takeover.run();
        for (String name : wereFollowed) {
            if (!restored.contains(name)) {
                groups.remove(name); // the mirror said it existed, the restored state does not
            }
        }
        serving = true;
    }

    private void run() {
        long tick = Math.max(200, lease.ttl().toMillis() / 3);
        while (!closed) {
            try {
                Thread.sleep(leading ? tick : Math.min(tick, 1_000));
                if (leading) {
                    lease.renew();
                } else if (lease.tryAcquire()) {
                    LOG.info("taking the control plane over: the gateway that ran it stopped");
                    synchronized (this) {
                        lead();
                    }
                } else {
                    followed.sync();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.error("control plane role: {}", e.toString());
            }
        }
    }

    public boolean leading() {
        return leading;
    }

    /** Whether this gateway's control plane has taken over and answers the control API. */
    public boolean serving() {
        return serving;
    }

    /** Whether this gateway runs the control plane. */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("hearth.control.plane.leader", this, r -> r.leading ? 1 : 0)
                .description("1 when this gateway runs the control plane, 0 when it follows another.").register(registry);
    }

    /** Gives the lease up, so a follower takes over at once. */
    @Override
    public void close() {
        closed = true;
        if (loop != null) {
            loop.interrupt();
        }
        lease.release();
    }
}
