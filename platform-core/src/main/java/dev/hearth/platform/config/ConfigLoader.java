package dev.hearth.platform.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.hearth.router.policy.Policies;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates {@code config.yaml} ({@link ModelConfig} documents the keys). Every problem is
 * collected, not just the first, each naming the dotted key, its line, and the fix; unknown keys
 * suggest the nearest known one. Lines come from the YAML token stream, walked beside the tree.
 */
public final class ConfigLoader {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);
    private static final Map<String, Set<String>> KNOWN = Map.of(
            "", Set.of("model", "engine", "context_length", "gpu", "replicas", "nodepools", "routing", "cache", "autoscaling"),
            "autoscaling", Set.of("enabled", "target_in_flight", "scale_up_window", "scale_down_window", "idle_to_zero"),
            "model", Set.of("id", "revision"),
            "engine", Set.of("name", "args", "launcher"),
            "gpu", Set.of("count", "memory_gb", "kinds"),
            "replicas", Set.of("min", "max"),
            "routing", Set.of("policy", "load_epsilon", "session_ttl"),
            "cache", Set.of("enabled", "max_bytes", "ttl"));

    private final String file;
    private final Map<String, Integer> lines = new HashMap<>();
    private final List<ConfigError.Problem> problems = new ArrayList<>();

    private ConfigLoader(String file) {
        this.file = file;
    }

    /** The keys config.yaml may hold, by section ("" for the top level). */
    public static Map<String, Set<String>> knownKeys() {
        return KNOWN;
    }

    /** Parses and validates; throws {@link ConfigError} listing every problem. */
    public static ModelConfig parse(String file, String yaml) {
        return new ConfigLoader(file).load(yaml);
    }

    private ModelConfig load(String yaml) {
        JsonNode root;
        try {
            recordLines(yaml);
            root = MAPPER.readTree(yaml);
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? j.getLocation().getLineNr() : 0;
            throw new ConfigError(file, List.of(new ConfigError.Problem("(file)", line, "is not valid YAML: "
                    + ((com.fasterxml.jackson.core.JsonProcessingException) e).getOriginalMessage(), "fix the syntax at that line")));
        }
        if (root == null || !root.isObject()) {
            throw new ConfigError(file, List.of(new ConfigError.Problem("(file)", 1, "must be a mapping of keys",
                    "start from `hearth model init DIR`")));
        }
        checkKeys(root, "");
        JsonNode model = object(root, "model");
        String id = string(model, "model.id", null);
        if (id == null || id.isBlank()) {
            problem("model.id", "is required", "name the model, for example `id: Qwen/Qwen3-0.6B`");
        }
        String revision = string(model, "model.revision", "main");
        JsonNode engine = object(root, "engine");
        String engineName = string(engine, "engine.name", "vllm");
        if (!engineName.equals("vllm") && !engineName.equals("sglang")) {
            problem("engine.name", "must be vllm or sglang, was '" + engineName + "'", "use `name: vllm` or `name: sglang`");
        }
        List<String> args = strings(engine, "engine.args");
        String launcher = string(engine, "engine.launcher", "simulator");
        if (!ModelConfig.LAUNCHERS.contains(launcher)) {
            problem("engine.launcher", "must be one of " + ModelConfig.LAUNCHERS + ", was '" + launcher + "'",
                    "use `launcher: simulator` to try Hearth without GPUs, `launcher: local` to run the engine here");
        }
        int context = integer(root, "context_length", 0, 0, 10_000_000);
        JsonNode gpu = object(root, "gpu");
        int count = integer(gpu, "gpu.count", 1, 1, 64);
        int memory = integer(gpu, "gpu.memory_gb", 0, 0, 4_096);
        List<String> kinds = strings(gpu, "gpu.kinds");
        JsonNode replicas = object(root, "replicas");
        int min = integer(replicas, "replicas.min", 1, 0, 64);
        int max = integer(replicas, "replicas.max", Math.max(1, min), 1, 64);
        if (min > max) {
            problem("replicas.min", "is " + min + ", more than replicas.max " + max, "make min at most max");
        }
        List<String> pools = strings(root, "nodepools");
        JsonNode routing = object(root, "routing");
        String policy = string(routing, "routing.policy", "cost");
        if (!Policies.NAMES.contains(policy)) {
            problem("routing.policy", "is '" + policy + "'", "use one of " + Policies.NAMES);
        }
        double epsilon = number(routing, "routing.load_epsilon", 0.25, 0, 10);
        Duration ttl = duration(routing, "routing.session_ttl", Duration.ofHours(1));
        JsonNode cache = object(root, "cache");
        boolean enabled = bool(cache, "cache.enabled", true);
        long maxBytes = (long) number(cache, "cache.max_bytes", 256L << 20, 0, 1L << 40);
        Duration cacheTtl = duration(cache, "cache.ttl", Duration.ofHours(1));
        JsonNode scaling = object(root, "autoscaling");
        boolean autoscale = bool(scaling, "autoscaling.enabled", false);
        double target = number(scaling, "autoscaling.target_in_flight", 8, 0.1, 10_000);
        Duration up = duration(scaling, "autoscaling.scale_up_window", Duration.ZERO);
        Duration down = duration(scaling, "autoscaling.scale_down_window", Duration.ofMinutes(5));
        Duration idle = duration(scaling, "autoscaling.idle_to_zero", Duration.ofMinutes(15));
        if (autoscale && min == max && problems.isEmpty()) {
            problem("autoscaling.enabled", "is true, but replicas.min and replicas.max are both " + min,
                    "give replicas a range to scale in, e.g. min: 1 and max: 4");
        }
        if (problems.isEmpty() && id != null) {
            checkFits(id, context, count, memory, kinds);
        }
        if (!problems.isEmpty()) {
            throw new ConfigError(file, problems);
        }
        return new ModelConfig(new ModelConfig.Model(id, revision), new ModelConfig.Engine(engineName, args, launcher), context,
                new ModelConfig.Gpu(count, memory, kinds), new ModelConfig.Replicas(min, max), pools,
                new ModelConfig.Routing(policy, epsilon, ttl), new ModelConfig.Cache(enabled, maxBytes, cacheTtl),
                new ModelConfig.Autoscaling(autoscale, target, up, down, idle));
    }

    /**
     * A known model must fit the GPUs asked for: {@code count x memory_gb} when memory is given, and
     * some instance of an allowed kind in the catalog when kinds are given (sizing: MemoryEstimate).
     */
    private void checkFits(String id, int context, int count, int memoryGb, List<String> kinds) {
        var model = dev.hearth.platform.gpus.KnownModels.find(id);
        if (model.isEmpty()) {
            return; // unknown models are not guessed at
        }
        var need = dev.hearth.platform.gpus.MemoryEstimate.of(model.get(), context);
        String gib = String.format(java.util.Locale.ROOT, "%.1f GiB", need.requiredGib());
        if (memoryGb > 0 && !need.fits(count, memoryGb)) {
            problem("gpu.memory_gb", id + " needs " + gib + " at context " + (context > 0 ? context : model.get().contextLength())
                    + ", more than " + count + " x " + memoryGb + " GB", "raise gpu.count or gpu.memory_gb, or lower context_length");
        }
        if (!kinds.isEmpty() && dev.hearth.platform.gpus.GpuCatalog.bundled().all().stream()
                .filter(i -> kinds.stream().anyMatch(k -> k.equalsIgnoreCase(i.gpuModel())))
                .noneMatch(i -> need.fits(i.gpuCount(), i.gpuMemoryGb()))) {
            problem("gpu.kinds", id + " needs " + gib + "; no instance of " + kinds + " in the catalog holds it",
                    "allow larger GPUs (see `hearth gpus`) or lower context_length");
        }
    }

    /** The line of every key, by dotted path, from the YAML tokens. */
    private void recordLines(String yaml) throws IOException {
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    String pointer = p.getParsingContext().pathAsPointer().toString();
                    lines.put(pointer.substring(1).replace('/', '.'), p.currentLocation().getLineNr());
                }
            }
        }
    }

    private void problem(String key, String message, String fix) {
        int line = lines.getOrDefault(key, lines.getOrDefault(key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : key, 0));
        problems.add(new ConfigError.Problem(key, line, message, fix));
    }

    private void checkKeys(JsonNode node, String prefix) {
        Set<String> known = KNOWN.get(prefix);
        node.fieldNames().forEachRemaining(name -> {
            String key = prefix.isEmpty() ? name : prefix + "." + name;
            if (!known.contains(name)) {
                problem(key, "is not a known key", "did you mean `" + nearest(name, known) + "`?");
            } else if (KNOWN.containsKey(key) && node.get(name).isObject()) {
                checkKeys(node.get(name), key);
            }
        });
    }

    private JsonNode object(JsonNode parent, String key) {
        JsonNode v = parent.get(key);
        if (v == null || v.isNull()) {
            return MAPPER.createObjectNode();
        }
        if (!v.isObject()) {
            problem(key, "must be a mapping of keys, was " + kind(v), "indent its keys under `" + key + ":`");
            return MAPPER.createObjectNode();
        }
        return v;
    }

    private JsonNode field(JsonNode parent, String dotted) {
        return parent.get(dotted.substring(dotted.lastIndexOf('.') + 1));
    }

    private String string(JsonNode parent, String key, String fallback) {
        JsonNode v = field(parent, key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            problem(key, "must be text, was " + kind(v), "quote it");
            return fallback;
        }
        return v.asText();
    }

    private int integer(JsonNode parent, String key, int fallback, int min, int max) {
        return (int) number(parent, key, fallback, min, max, true);
    }

    private double number(JsonNode parent, String key, double fallback, double min, double max) {
        return number(parent, key, fallback, min, max, false);
    }

    private double number(JsonNode parent, String key, double fallback, double min, double max, boolean whole) {
        JsonNode v = field(parent, key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber() || (whole && !v.isIntegralNumber())) {
            problem(key, "must be a " + (whole ? "whole number" : "number") + ", was " + kind(v), "write a number such as " + (long) fallback);
            return fallback;
        }
        if (v.asDouble() < min || v.asDouble() > max) {
            problem(key, "is " + v.asText() + ", outside " + (long) min + ".." + (long) max, "use a value in that range");
            return fallback;
        }
        return v.asDouble();
    }

    private boolean bool(JsonNode parent, String key, boolean fallback) {
        JsonNode v = field(parent, key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            problem(key, "must be true or false, was " + kind(v), "write true or false");
            return fallback;
        }
        return v.asBoolean();
    }

    private Duration duration(JsonNode parent, String key, Duration fallback) {
        String s = string(parent, key, null);
        if (s == null) {
            return fallback;
        }
        try {
            return Duration.parse(s);
        } catch (DateTimeParseException e) {
            problem(key, "is '" + s + "', not an ISO-8601 duration", "write for example PT1H or PT30M");
            return fallback;
        }
    }

    private List<String> strings(JsonNode parent, String key) {
        JsonNode v = field(parent, key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            problem(key, "must be a list, was " + kind(v), "write it as [a, b] or one `- item` per line");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : v) {
            if (!item.isValueNode()) {
                problem(key, "must list plain values", "write one value per item");
                return List.of();
            }
            out.add(item.asText());
        }
        return out;
    }

    private static String kind(JsonNode v) {
        return v.isTextual() ? "text '" + v.asText() + "'" : v.isNumber() ? "the number " + v.asText()
                : v.isBoolean() ? v.asText() : v.isArray() ? "a list" : v.isObject() ? "a mapping" : v.getNodeType().toString();
    }

    /** The known key closest to {@code name} by edit distance (Levenshtein, 1966). */
    static String nearest(String name, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known.stream().sorted().toList()) {
            int[] prev = new int[k.length() + 1];
            int[] cur = new int[k.length() + 1];
            for (int j = 0; j <= k.length(); j++) {
                prev[j] = j;
            }
            for (int i = 1; i <= name.length(); i++) {
                cur[0] = i;
                for (int j = 1; j <= k.length(); j++) {
                    int sub = prev[j - 1] + (name.charAt(i - 1) == k.charAt(j - 1) ? 0 : 1);
                    cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
                }
                int[] t = prev;
                prev = cur;
                cur = t;
            }
            if (prev[k.length()] < bestDistance) {
                best = k;
                bestDistance = prev[k.length()];
            }
        }
        return best;
    }
}
