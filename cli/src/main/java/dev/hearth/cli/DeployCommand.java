package dev.hearth.cli;

import dev.hearth.platform.api.ControlClient;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.platform.config.ConfigError;
import dev.hearth.platform.config.ConfigLoader;
import dev.hearth.platform.config.ConfigTemplate;
import dev.hearth.platform.config.ModelConfig;
import dev.hearth.platform.deployments.DeploymentNames;
import dev.hearth.platform.gpus.GpuCatalog;
import dev.hearth.platform.plan.DeploymentPlan;
import dev.hearth.platform.plan.SentencePlanner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hearth deploy "SENTENCE"} or {@code hearth deploy DIR}: shows the deployment plan and the
 * config.yaml it would apply, asks, applies it to a running Hearth over the control API (create,
 * or a rolling update when the deployment exists), and shows each replica's progress until all
 * are ready.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy a model from a sentence (\"Deploy Qwen3-0.6B with vLLM on 2 replicas in us-east\") "
                + "or from a model directory's config.yaml.")
public final class DeployCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SENTENCE|DIR", description = "What to deploy, in words; or a directory holding config.yaml.")
    String what;

    @Option(names = "--dry-run", description = "Show the plan and its config.yaml; apply nothing.")
    boolean dryRun;

    @Option(names = "--yes", description = "Apply without asking.")
    boolean yes;

    @Option(names = "--name", description = "The deployment's name (default: from the sentence or the model id).")
    String name;

    @picocli.CommandLine.Mixin
    HearthTarget target = new HearthTarget();

    @Option(names = "--timeout", defaultValue = "PT10M",
            description = "How long to wait for every replica to be ready, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Duration timeout;


    @Override
    public Integer call() throws Exception {
        String config;
        String deployment;
        DeploymentPlan planned = null;
        Path dir = Path.of(what);
        if (Files.isDirectory(dir)) {
            Path file = dir.resolve("config.yaml");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(dir + " has no config.yaml; create one with `hearth model init " + dir + "`");
            }
            config = Files.readString(file);
            ModelConfig parsed;
            try {
                parsed = ConfigLoader.parse(file.toString(), config);
            } catch (ConfigError e) {
                throw new IllegalArgumentException(e.getMessage());
            }
            deployment = name != null ? name : DeploymentNames.fromModel(parsed.model().id());
            System.out.printf("Deployment %s from %s: %s on %s (%s), %d..%d replica(s)%n%n", deployment, file,
                    parsed.model().id(), parsed.engine().name(), parsed.engine().launcher(), parsed.replicas().min(),
                    parsed.replicas().max());
        } else if (looksLikePath(what)) {
            throw new IllegalArgumentException("no directory " + what + "; give a model directory or a sentence in quotes");
        } else {
            DeploymentPlan plan = new SentencePlanner(GpuCatalog.bundled()).plan(what, name);
            show(plan);
            if (!plan.applicable()) {
                throw new IllegalArgumentException("cannot plan this: " + String.join("; ", plan.problems()));
            }
            deployment = plan.name();
            planned = plan;
            config = plan.config(new ConfigTemplate());
        }
        System.out.println("--- config.yaml ---");
        System.out.print(config.endsWith("\n") ? config : config + "\n");
        System.out.println("---");
        if (dryRun) {
            return 0;
        }
        ControlClient api = target.client();
        if (!yes && !confirm("Apply " + deployment + " to " + api.base() + "? [y/N] ")) {
            System.out.println("Nothing applied.");
            return 0;
        }
        if (planned != null) {
            ensurePools(api, planned);
        }
        JsonNode applied = apply(api, deployment, config);
        System.out.printf("%s %s (generation %d); waiting for %d replica(s)%n", applied.path("generation").asInt() > 1
                        ? "Updating" : "Created", deployment, applied.path("generation").asInt(),
                applied.path("replicas").asInt());
        return new ReplicaProgress(System.out, System.console() != null)
                .follow(() -> api.call("GET", "/api/v1/deployments/" + deployment, null), timeout) ? 0 : 1;
    }

    private static boolean looksLikePath(String s) {
        return !s.contains(" ") && (s.startsWith(".") || s.startsWith("/") || s.startsWith("~"));
    }

    private static void show(DeploymentPlan plan) {
        var v = plan.values();
        System.out.println("Plan for: " + plan.sentence());
        System.out.printf("  model      %s (revision %s)%n", v.model(), v.revision());
        System.out.printf("  engine     %s, launched by the %s launcher%n", v.engine(), v.launcher());
        System.out.printf("  replicas   %s%n", v.min() == v.max() ? String.valueOf(v.min()) : v.min() + " to " + v.max());
        System.out.printf("  GPUs       %d x %s%s per replica%n", v.gpuCount(), v.kinds().isEmpty() ? "any" : String.join(" or ", v.kinds()),
                v.gpuMemory() > 0 ? " " + v.gpuMemory() + " GB" : "");
        if (plan.instance() != null) {
            System.out.printf("  instance   %s %s%s%n", plan.instance().instance().cloud(), plan.instance().instance().type(),
                    plan.region() == null ? "" : " in " + plan.region());
            System.out.printf("  nodepool   %s%n", String.join(", ", v.pools()));
        }
        System.out.printf("  routing    %s; prediction cache %s%n", v.policy(), v.cache() ? "on" : "off");
        for (String n : plan.notes()) {
            System.out.println("  note       " + n);
        }
        for (String u : plan.unplaced()) {
            System.out.println("  NOT UNDERSTOOD: \"" + u + "\" (left out of the plan; rephrase it if it matters)");
        }
        for (String p : plan.problems()) {
            System.out.println("  PROBLEM    " + p);
        }
        System.out.println();
    }

    /** Asks on the terminal; without one, refuses rather than hang on a prompt no one sees. */
    private static boolean confirm(String question) throws IOException {
        if (System.console() == null) {
            throw new IllegalArgumentException("no terminal to confirm on; add --yes to apply without asking, "
                    + "or --dry-run to only see the plan");
        }
        System.out.print(question);
        System.out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        return answer != null && answer.trim().toLowerCase(java.util.Locale.ROOT).matches("y|yes");
    }

    /** The plan's nodepool, created when the running Hearth has none of that name: the instance it chose. */
    private static void ensurePools(ControlClient api, DeploymentPlan plan) throws Exception {
        for (String pool : plan.values().pools()) {
            if (api.send("GET", "/api/v1/nodepools/" + pool, null).statusCode() != 404) {
                continue;
            }
            var instance = plan.instance() == null ? null : plan.instance().instance();
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("name", pool);
            body.put("provider", plan.values().launcher().equals("kubernetes") ? "kubernetes" : "local");
            body.put("instance_type", instance == null ? "any" : instance.type());
            body.put("gpu_kind", instance == null ? "any" : instance.gpuModel());
            body.put("gpus_per_node", instance == null ? plan.values().gpuCount() : instance.gpuCount());
            body.put("max_nodes", Math.max(4, plan.values().max()));
            body.put("priority", 10);
            api.call("POST", "/api/v1/nodepools", body);
            System.out.println("Created nodepool " + pool + " for the plan's instance type (no warm nodes; add them with "
                    + "`hearth nodepools update " + pool + " --warm N`)");
        }
    }

    /** Creates the deployment, or updates it (a rolling update) when it exists. */
    private static JsonNode apply(ControlClient api, String deployment, String config) throws Exception {
        HttpResponse<String> r = api.send("POST", "/api/v1/deployments", Map.of("name", deployment, "config", config));
        if (r.statusCode() == 409) {
            r = api.send("PUT", "/api/v1/deployments/" + deployment, Map.of("config", config));
        }
        return ControlClient.answer(r);
    }
}
