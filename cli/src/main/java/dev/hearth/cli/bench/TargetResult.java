package dev.hearth.cli.bench;

import java.net.URI;
import java.util.List;

/**
 * One target's measured run.
 *
 * @param name   {@code direct}, {@code hearth}, {@code nginx} or {@code haproxy}
 * @param urls   where its requests went (the engines themselves for {@code direct})
 * @param result what the load generator measured
 */
public record TargetResult(String name, List<URI> urls, LoadResult result) {
    public static final String DIRECT = "direct";
}
