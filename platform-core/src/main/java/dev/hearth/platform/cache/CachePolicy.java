package dev.hearth.platform.cache;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Whether a request may be answered from, and stored in, the prediction cache. By default only
 * deterministic requests are: temperature 0 or a seed given, and n of 1. Per request,
 * {@code Cache-Control: no-cache} skips the lookup, {@code no-store} skips the store, and
 * {@code x-hearth-cache: force} caches even a sampled request.
 */
public record CachePolicy(boolean lookup, boolean store) {
    public static final CachePolicy BYPASS = new CachePolicy(false, false);

    public static CachePolicy of(JsonNode request, String cacheControl, String hearthCache) {
        boolean force = hearthCache != null && hearthCache.trim().equalsIgnoreCase("force");
        if (!force && !deterministic(request)) {
            return BYPASS;
        }
        String cc = cacheControl == null ? "" : cacheControl.toLowerCase(Locale.ROOT);
        return new CachePolicy(!cc.contains("no-cache"), !cc.contains("no-store"));
    }

    static boolean deterministic(JsonNode r) {
        JsonNode n = r.get("n");
        if (n != null && !n.isNull() && n.asInt(1) != 1) {
            return false;
        }
        JsonNode t = r.get("temperature");
        boolean greedy = t != null && t.isNumber() && t.asDouble() == 0.0;
        JsonNode seed = r.get("seed");
        return greedy || (seed != null && seed.isIntegralNumber());
    }

    /** What {@code x-hearth-cache} says when the lookup did not hit. */
    public String missLabel() {
        return lookup ? "miss" : "bypass";
    }
}
