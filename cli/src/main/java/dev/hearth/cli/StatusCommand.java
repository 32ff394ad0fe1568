package dev.hearth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hearth.platform.api.ControlClient;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code hearth status}: what a running Hearth serves, read from its APIs only (the models it
 * serves, each deployment's control-plane state and its gateway metrics), as tables or JSON. Like
 * {@code kubectl get}, it answers once; a deployment routed over given engines has no control-plane
 * state and shows its routing figures alone.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the deployments a running Hearth serves: replicas, health, load, cache hits and latency.")
public final class StatusCommand implements Callable<Integer> {
    @Mixin
    HearthTarget target = new HearthTarget();

    @Mixin
    ListingOutput output = new ListingOutput();

    @Override
    public Integer call() throws Exception {
        boolean json = output.json();
        ObjectNode status = fetch(target.client());
        if (json) {
            ListingOutput.printJson(status);
            return 0;
        }
        System.out.print(table(status));
        return 0;
    }

    /** Each deployment served, with its control-plane state (when it has one) and its gateway metrics. */
    static ObjectNode fetch(ControlClient api) throws Exception {
        ObjectNode status = ControlClient.JSON.createObjectNode();
        status.put("url", api.base().toString());
        ArrayNode deployments = status.putArray("deployments");
        JsonNode managed = api.call("GET", "/api/v1/deployments", null).path("deployments");
        for (JsonNode model : api.call("GET", "/v1/models", null).path("data")) {
            String name = model.path("root").asText();
            ObjectNode d = deployments.addObject();
            d.put("name", name);
            d.put("model", model.path("id").asText());
            for (JsonNode m : managed) {
                if (m.path("name").asText().equals(name)) {
                    d.put("status", m.path("status").asText());
                    d.put("ready_replicas", m.path("ready_replicas").asInt());
                    d.put("replicas", m.path("replicas").asInt());
                    d.put("generation", m.path("generation").asInt());
                }
            }
            d.set("metrics", api.call("GET", "/api/v1/deployments/" + name + "/metrics", null));
        }
        return status;
    }

    /** Two tables: one line per deployment, then one per replica. */
    static String table(JsonNode status) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-20s %-24s %-12s %7s %9s %9s %11s %11s %9s%n", "DEPLOYMENT", "MODEL", "STATUS",
                "READY", "REQUESTS", "REQ/S", "TTFB P50", "TTFB P99", "HIT EST"));
        for (JsonNode d : status.path("deployments")) {
            JsonNode m = d.path("metrics");
            JsonNode ttfb = m.path("time_to_first_byte_ms");
            out.append(String.format(Locale.ROOT, "%-20s %-24s %-12s %7s %9d %9.2f %11s %11s %9.3f%n", d.path("name").asText(),
                    d.path("model").asText(), d.path("status").asText("external"),
                    d.has("replicas") ? d.path("ready_replicas").asInt() + "/" + d.path("replicas").asInt() : "-",
                    m.path("requests").asLong(), m.path("requests_per_second").asDouble(), millis(ttfb.path("p50")),
                    millis(ttfb.path("p99")), m.path("prefix_cache_hit_ratio_estimated").asDouble()));
        }
        out.append(String.format(Locale.ROOT, "%n%-24s %-20s %-8s %9s %8s %9s %10s%n", "REPLICA", "DEPLOYMENT", "HEALTHY",
                "IN FLIGHT", "WAITING", "KV USAGE", "KV EVENTS"));
        for (JsonNode d : status.path("deployments")) {
            for (JsonNode r : d.path("metrics").path("replicas")) {
                out.append(String.format(Locale.ROOT, "%-24s %-20s %-8s %9d %8d %8.0f%% %10s%n", r.path("id").asText(),
                        d.path("name").asText(), r.path("healthy").asBoolean() ? "yes" : "no", r.path("in_flight").asInt(),
                        r.path("waiting").asInt(), 100 * r.path("kv_usage").asDouble(),
                        r.path("kv_events").asBoolean() ? "yes" : "no"));
            }
        }
        return out.toString();
    }

    private static String millis(JsonNode v) {
        return v.isNumber() ? String.format(Locale.ROOT, "%.1f ms", v.asDouble()) : "-";
    }
}
