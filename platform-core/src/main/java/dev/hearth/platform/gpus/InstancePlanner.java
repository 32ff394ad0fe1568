package dev.hearth.platform.gpus;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks where a replica runs: the cheapest priced instance whose GPUs hold the model's
 * {@link MemoryEstimate} (its 0.9 utilization is the headroom), among allowed GPU kinds, clouds and
 * regions; and says why, so a plan can be explained before it is applied.
 */
public final class InstancePlanner {
    /** A choice and the reason for it. */
    public record Choice(GpuInstance instance, String why) {}

    private final GpuCatalog catalog;

    public InstancePlanner(GpuCatalog catalog) {
        this.catalog = catalog;
    }

    public Optional<Choice> cheapest(MemoryEstimate need, List<String> kinds, String cloud, String region) {
        List<GpuInstance> fitting = catalog.filter(0, cloud).stream()
                .filter(i -> i.hourlyUsd() != null)
                .filter(i -> kinds.isEmpty() || kinds.stream().anyMatch(k -> k.equalsIgnoreCase(i.gpuModel())))
                .filter(i -> region == null || i.regions().contains(region))
                .filter(i -> need.fits(i.gpuCount(), i.gpuMemoryGb()))
                .toList();
        if (fitting.isEmpty()) {
            return Optional.empty();
        }
        GpuInstance best = fitting.get(0);
        String why = String.format(Locale.ROOT, "needs %.1f GiB (weights %.1f, KV %.1f, overhead %.1f, at 90%% use); "
                        + "%s has %d x %s %d GB for $%.2f/h, the cheapest of %d that fit",
                need.requiredGib(), gib(need.weightBytes()), gib(need.kvBytes()), gib(need.overheadBytes()), best.type(),
                best.gpuCount(), best.gpuModel(), best.gpuMemoryGb(), best.hourlyUsd(), fitting.size());
        return Optional.of(new Choice(best, why));
    }

    private static double gib(long bytes) {
        return (double) bytes / MemoryEstimate.GIB;
    }
}
