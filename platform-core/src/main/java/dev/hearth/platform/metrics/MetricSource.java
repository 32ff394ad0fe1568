package dev.hearth.platform.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Something that reports to /metrics: it binds its meters once, as a Micrometer {@link MeterBinder},
 * and refreshes before each scrape the gauges whose rows come and go (replicas, pools, deployments),
 * which Micrometer's {@code MultiGauge} needs told.
 */
public interface MetricSource extends MeterBinder {
    /** Brings multi-row gauges up to date; called just before each scrape. */
    default void refresh() {}
}
