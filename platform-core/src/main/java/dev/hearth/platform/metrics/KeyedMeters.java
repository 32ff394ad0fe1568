package dev.hearth.platform.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Meters kept per key (a deployment, a pool) while the key exists: made on first sight, removed
 * from the registry when the key is gone, so a deleted deployment's counters stop being scraped.
 */
public final class KeyedMeters {
    private final MeterRegistry registry;
    private final Function<String, List<Meter>> create;
    private final Map<String, List<Meter>> byKey = new HashMap<>();

    /** @param create registers the meters of one key and returns them */
    public KeyedMeters(MeterRegistry registry, Function<String, List<Meter>> create) {
        this.registry = registry;
        this.create = create;
    }

    /** Makes meters for keys new in {@code keys} and removes those of keys no longer there. */
    public synchronized void retain(Collection<String> keys) {
        Set<String> live = Set.copyOf(keys);
        live.forEach(k -> byKey.computeIfAbsent(k, create));
        byKey.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
    }
}
