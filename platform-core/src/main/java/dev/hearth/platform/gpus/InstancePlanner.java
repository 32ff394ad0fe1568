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
        return cheapest(need, kinds, cloud, region == null ? List.of() : List.of(region), 0, 0);
    }

    /**
     * The cheapest fitting instance in a region starting with one of {@code regionPrefixes} (empty:
     * anywhere), with GPUs of at least {@code minGpuMemoryGb} (0: any), holding the model on
     * {@code gpuCount} of its GPUs (0: all of them). On-prem machines have no price: among them the
     * smallest that fits is chosen.
     */
    public Optional<Choice> cheapest(MemoryEstimate need, List<String> kinds, String cloud, List<String> regionPrefixes,
                                     int gpuCount, int minGpuMemoryGb) {
        boolean onPrem = "onprem".equals(cloud);
        List<GpuInstance> fitting = catalog.filter(0, cloud).stream()
                .filter(i -> onPrem || i.hourlyUsd() != null)
                .filter(i -> kinds.isEmpty() || kinds.stream().anyMatch(k -> k.equalsIgnoreCase(i.gpuModel())))
                .filter(i -> regionPrefixes.isEmpty() || onPrem
                        || i.regions().stream().anyMatch(r -> regionPrefixes.stream().anyMatch(r::startsWith)))
                .filter(i -> i.gpuCount() >= gpuCount && i.gpuMemoryGb() >= minGpuMemoryGb)
                .filter(i -> need.fits(gpuCount == 0 ? i.gpuCount() : gpuCount, i.gpuMemoryGb()))
                .sorted(onPrem ? java.util.Comparator.comparingInt(GpuInstance::totalMemoryGb)
                        : java.util.Comparator.comparingDouble(GpuInstance::hourlyUsd))
                .toList();
        if (fitting.isEmpty()) {
            return Optional.empty();
        }
        GpuInstance best = fitting.get(0);
        String why = String.format(Locale.ROOT, "needs %.1f GiB (weights %.1f, KV %.1f, overhead %.1f, at 90%% use); "
                        + "%s has %d x %s %d GB%s, the %s of %d that fit",
                need.requiredGib(), gib(need.weightBytes()), gib(need.kvBytes()), gib(need.overheadBytes()), best.type(),
                best.gpuCount(), best.gpuModel(), best.gpuMemoryGb(),
                best.hourlyUsd() == null ? "" : String.format(Locale.ROOT, " for $%.2f/h", best.hourlyUsd()),
                onPrem ? "smallest" : "cheapest", fitting.size());
        return Optional.of(new Choice(best, why));
    }

    private static double gib(long bytes) {
        return (double) bytes / MemoryEstimate.GIB;
    }
}
