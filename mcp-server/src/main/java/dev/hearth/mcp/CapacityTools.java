package dev.hearth.mcp;

import static dev.hearth.mcp.Tools.object;
import static dev.hearth.mcp.Tools.ok;
import static dev.hearth.mcp.Tools.open;
import static dev.hearth.mcp.Tools.prop;
import static dev.hearth.mcp.Tools.text;
import static dev.hearth.mcp.Tools.tool;
import static dev.hearth.mcp.Tools.whole;

import dev.hearth.platform.api.ControlClient;
import dev.hearth.platform.gpus.GpuCatalog;
import dev.hearth.platform.gpus.GpuInstance;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GPU instance types from the catalog, and the nodepools that hold warm capacity. */
final class CapacityTools {

    List<ToolDef> all() {
        return List.of(
                tool("gpus_list", "List GPU instance types",
                        "Lists GPU instance types across AWS, GCP, Azure and on-prem, cheapest first: GPU model, count, "
                                + "memory, interconnect, hourly price and regions, from Hearth's catalog with its sources. "
                                + "Filter by cloud and minimum GPU memory. Paginated.",
                        object(Map.of("cloud", Map.of("type", "string", "enum", List.of("aws", "gcp", "azure", "onprem")),
                                "min_memory_gb", Map.of("type", "integer", "minimum", 0, "maximum", 4096),
                                "cursor", prop("string", "From a previous call's next_cursor"))),
                        open(Map.of("instances", Map.of("type", "array"), "total", prop("integer", "Matches"),
                                "next_cursor", prop("string", "Present when more remain"))),
                        Tools.Hints.READ, (ex, req, args, api) -> {
                            String cloud = text(args, "cloud", false);
                            int min = whole(args, "min_memory_gb", 0, 0, 4096);
                            List<Map<String, Object>> rows = new ArrayList<>();
                            for (GpuInstance i : GpuCatalog.bundled().filter(min, cloud)) {
                                Map<String, Object> row = new LinkedHashMap<>();
                                row.put("cloud", i.cloud());
                                row.put("type", i.type());
                                row.put("gpu", i.gpuModel());
                                row.put("gpus", i.gpuCount());
                                row.put("gpu_memory_gb", i.gpuMemoryGb());
                                row.put("interconnect", i.interconnect());
                                row.put("hourly_usd", i.hourlyUsd());
                                row.put("regions", i.regions());
                                rows.add(row);
                            }
                            return ok(Tools.page("instances", rows, text(args, "cursor", false)));
                        }),
                tool("nodepools_list", "List nodepools",
                        "Lists nodepools in priority order with their nodes by state (provisioning, warm, allocated, "
                                + "draining), warm targets and failovers. Use it to see spare warm capacity.",
                        object(Map.of()), open(Map.of("nodepools", Map.of("type", "array"))), Tools.Hints.READ,
                        (ex, req, args, api) -> ok(api.call("GET", "/api/v1/nodepools", null))),
                tool("nodepool_create", "Create a nodepool",
                        "Creates a nodepool: where replicas' nodes come from (provider local or kubernetes, instance "
                                + "type, GPUs), its node bounds, priority among pools, warm target and spill-over share. "
                                + "Deployments use it by naming it under nodepools in their config.",
                        object(Map.of("name", prop("string", "Lower-case letters, digits and '-'"),
                                "provider", Map.of("type", "string", "enum", List.of("local", "kubernetes")),
                                "instance_type", prop("string", "e.g. g6e.xlarge"),
                                "gpu_kind", prop("string", "e.g. L40S"),
                                "gpus_per_node", Map.of("type", "integer", "minimum", 0, "maximum", 16),
                                "min_nodes", Map.of("type", "integer", "minimum", 0),
                                "max_nodes", Map.of("type", "integer", "minimum", 1),
                                "priority", Map.of("type", "integer", "description", "Lower first"),
                                "warm_target", Map.of("type", "integer", "minimum", 0),
                                "spill_over", Map.of("type", "number", "exclusiveMinimum", 0, "maximum", 1)), "name"),
                        open(Map.of("name", prop("string", "The pool"), "nodes", Map.of("type", "object"))),
                        new Tools.Hints(false, false, false, false), (ex, req, args, api) -> {
                            return ok(Tools.answer(api.send("POST", "/api/v1/nodepools", new LinkedHashMap<>(args))));
                        }),
                tool("nodepool_update", "Update a nodepool",
                        "Changes a nodepool's warm target (nodes kept ready with no model, so scale-up skips "
                                + "provisioning) or its node bounds. Warm nodes cost money while idle: say so to the user.",
                        object(Map.of("name", prop("string", "The pool"),
                                "warm_target", Map.of("type", "integer", "minimum", 0),
                                "min_nodes", Map.of("type", "integer", "minimum", 0),
                                "max_nodes", Map.of("type", "integer", "minimum", 1)), "name"),
                        open(Map.of("name", prop("string", "The pool"), "warm_target", prop("integer", "Warm target"))),
                        Tools.Hints.CHANGE, (ex, req, args, api) -> {
                            String name = text(args, "name", true);
                            Map<String, Object> body = new LinkedHashMap<>();
                            for (String f : List.of("warm_target", "min_nodes", "max_nodes")) {
                                Integer v = whole(args, f, null, 0, 10_000);
                                if (v != null) {
                                    body.put(f, v);
                                }
                            }
                            if (body.isEmpty()) {
                                throw new ToolFailure("nothing to change: give warm_target, min_nodes or max_nodes");
                            }
                            return ok(Tools.answer(api.send("PUT", "/api/v1/nodepools/" + Tools.segment(name), body)));
                        }));
    }
}
