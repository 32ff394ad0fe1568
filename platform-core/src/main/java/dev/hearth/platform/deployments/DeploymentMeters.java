package dev.hearth.platform.deployments;

import dev.hearth.platform.metrics.KeyedMeters;
import dev.hearth.platform.metrics.MetricSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;

/**
 * The control plane on /metrics: each deployment's desired and ready replicas, and the autoscaler's
 * decisions to scale it up or down (hearth_autoscaler_decisions_total). Deployments come and go, so
 * their rows are brought up to date before each scrape.
 */
public final class DeploymentMeters implements MetricSource {
    private final DeploymentService deployments;
    private KeyedMeters decisions;
    private MultiGauge desired;
    private MultiGauge ready;

    public DeploymentMeters(DeploymentService deployments) {
        this.deployments = deployments;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        decisions = new KeyedMeters(r, deployment -> decisions(r, deployment));
        desired = MultiGauge.builder("hearth.deployment.replicas.desired")
                .description("Replicas a deployment should have (set by hand or by its autoscaler).").register(r);
        ready = MultiGauge.builder("hearth.deployment.replicas.ready").description("A deployment's replicas ready to serve.")
                .register(r);
    }

    @Override
    public synchronized void refresh() {
        List<Deployment> all = deployments.list();
        desired.register(all.stream().map(d -> (MultiGauge.Row<?>) MultiGauge.Row.of(Tags.of("deployment", d.name()),
                d.replicas())).toList(), true);
        ready.register(all.stream().map(d -> (MultiGauge.Row<?>) MultiGauge.Row.of(Tags.of("deployment", d.name()),
                d.readyReplicas())).toList(), true);
        decisions.retain(all.stream().map(Deployment::name).toList());
    }

    private List<Meter> decisions(MeterRegistry registry, String deployment) {
        List<Meter> out = new ArrayList<>();
        for (boolean up : new boolean[] {true, false}) {
            out.add(FunctionCounter.builder("hearth.autoscaler.decisions", deployments,
                            s -> s.autoscalerDecisions(deployment, up))
                    .description("Autoscaler decisions that changed a deployment's replicas, by direction.")
                    .tags("deployment", deployment, "direction", up ? "up" : "down").register(registry));
        }
        return out;
    }
}
