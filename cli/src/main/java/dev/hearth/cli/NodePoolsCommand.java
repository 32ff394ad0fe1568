package dev.hearth.cli;

import dev.hearth.platform.api.ControlClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hearth nodepools}: list, create, update and delete nodepools of a running Hearth. */
@Command(name = "nodepools", mixinStandardHelpOptions = true,
        description = "List nodepools with their nodes by state; create, update or delete one.",
        subcommands = {NodePoolsCommand.Create.class, NodePoolsCommand.Update.class, NodePoolsCommand.Delete.class})
public final class NodePoolsCommand implements Callable<Integer> {

    /** A pool's fields; only those given are sent. */
    static final class Fields {
        @Option(names = "--provider", description = "local or kubernetes.")
        String provider;
        @Option(names = "--instance-type", description = "The nodes' instance type, e.g. g6e.xlarge.")
        String instanceType;
        @Option(names = "--gpu-kind", description = "The nodes' GPU, e.g. L40S.")
        String gpuKind;
        @Option(names = "--gpus-per-node", description = "GPUs on each node.")
        Integer gpusPerNode;
        @Option(names = "--min-nodes", description = "Nodes kept at least.")
        Integer minNodes;
        @Option(names = "--max-nodes", description = "Nodes at most.")
        Integer maxNodes;
        @Option(names = "--priority", description = "Order among pools, lower first.")
        Integer priority;
        @Option(names = "--warm", description = "Warm target: nodes kept ready with no model on them.")
        Integer warm;
        @Option(names = "--spill-over", description = "Share of max nodes in use past which the next pool warms (0-1].")
        Double spillOver;

        Map<String, Object> body() {
            Map<String, Object> b = new LinkedHashMap<>();
            put(b, "provider", provider);
            put(b, "instance_type", instanceType);
            put(b, "gpu_kind", gpuKind);
            put(b, "gpus_per_node", gpusPerNode);
            put(b, "min_nodes", minNodes);
            put(b, "max_nodes", maxNodes);
            put(b, "priority", priority);
            put(b, "warm_target", warm);
            put(b, "spill_over", spillOver);
            return b;
        }

        private static void put(Map<String, Object> b, String k, Object v) {
            if (v != null) {
                b.put(k, v);
            }
        }
    }

    @Mixin
    HearthTarget target = new HearthTarget();

    @Mixin
    ListingOutput output = new ListingOutput();

    @Override
    public Integer call() throws Exception {
        boolean json = output.json();
        JsonNode pools = target.client().call("GET", "/api/v1/nodepools", null);
        if (json) {
            ListingOutput.printJson(pools);
            return 0;
        }
        System.out.printf("%-16s %-10s %-16s %-10s %5s %5s %5s %6s %13s %6s %10s %9s %9s%n", "POOL", "PROVIDER", "INSTANCE",
                "GPU", "PRIO", "MIN", "MAX", "TARGET", "PROVISIONING", "WARM", "ALLOCATED", "DRAINING", "FAILOVERS");
        for (JsonNode p : pools.path("nodepools")) {
            JsonNode n = p.path("nodes");
            System.out.printf("%-16s %-10s %-16s %-10s %5d %5d %5d %6d %13d %6d %10d %9d %9d%n", p.path("name").asText(),
                    p.path("provider").asText(), p.path("instance_type").asText(),
                    p.path("gpus_per_node").asInt() + "x" + p.path("gpu_kind").asText(), p.path("priority").asInt(),
                    p.path("min_nodes").asInt(), p.path("max_nodes").asInt(), p.path("warm_target").asInt(),
                    n.path("provisioning").asInt(), n.path("warm").asInt(), n.path("allocated").asInt(),
                    n.path("draining").asInt(), p.path("failovers").asInt());
        }
        return 0;
    }

    /** Create and update: a pool's name and the fields to set, sent to the control API. */
    abstract static class Change implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        HearthTarget target = new HearthTarget();
        @Mixin
        Fields fields = new Fields();

        abstract JsonNode send(ControlClient api) throws Exception;

        abstract String done();

        @Override
        public Integer call() throws Exception {
            JsonNode p = send(target.client());
            System.out.println(done() + " nodepool " + p.path("name").asText() + " (warm target "
                    + p.path("warm_target").asInt() + ")");
            return 0;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a nodepool.")
    static final class Create extends Change {
        @Override
        JsonNode send(ControlClient api) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.putAll(fields.body());
            return api.call("POST", "/api/v1/nodepools", body);
        }

        @Override
        String done() {
            return "created";
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a nodepool's fields, e.g. its warm target.")
    static final class Update extends Change {
        @Override
        JsonNode send(ControlClient api) throws Exception {
            if (fields.body().isEmpty()) {
                throw new IllegalArgumentException("nothing to change: give at least one field, e.g. --warm 2");
            }
            return api.call("PUT", "/api/v1/nodepools/" + name, fields.body());
        }

        @Override
        String done() {
            return "updated";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a nodepool with no replica on it.")
    static final class Delete implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        HearthTarget target = new HearthTarget();

        @Override
        public Integer call() throws Exception {
            target.client().call("DELETE", "/api/v1/nodepools/" + name, null);
            System.out.println("deleted nodepool " + name);
            return 0;
        }
    }
}
