package dev.hearth.platform.gateway;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Request counters by route reason and status class, for /metrics. */
final class GatewayStats {
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

    void count(String endpoint, String route, int status) {
        String reason = route.replaceAll("=.*", ""); // "prefix-hit blocks=124" counts as "prefix-hit blocks"
        requests.computeIfAbsent(endpoint + "|" + reason.replace(' ', '-') + "|" + status, k -> new LongAdder()).increment();
    }

    Map<String, LongAdder> requests() {
        return requests;
    }
}
