package dev.hearth.platform.plan;

import dev.hearth.platform.config.ConfigTemplate;
import dev.hearth.platform.deployments.DeploymentNames;
import dev.hearth.platform.gpus.GpuCatalog;
import dev.hearth.platform.gpus.GpuInstance;
import dev.hearth.platform.gpus.InstancePlanner;
import dev.hearth.platform.gpus.KnownModel;
import dev.hearth.platform.gpus.KnownModels;
import dev.hearth.platform.gpus.MemoryEstimate;
import dev.hearth.router.policy.Policies;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a plain sentence ("Deploy Qwen3-0.6B with vLLM on 2 replicas in us-east") into a
 * {@link DeploymentPlan}. Each part of a deployment has its own patterns; every character a pattern
 * takes is marked, and the words left over that are not filler are named back as unplaced, so
 * nothing the user said is dropped in silence. Two different answers to one question (two models,
 * vLLM and SGLang, 2 and 3 replicas) are a problem, not a guess. The model sizes the GPUs
 * ({@link MemoryEstimate}); the {@link InstancePlanner} picks the cheapest instance that holds it.
 */
public final class SentencePlanner {
    private static final String N = "(\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a single|a couple of|a pair of|zero)";
    private static final Map<String, Integer> WORDS = Map.ofEntries(Map.entry("zero", 0), Map.entry("one", 1),
            Map.entry("a single", 1), Map.entry("two", 2), Map.entry("a couple of", 2), Map.entry("a pair of", 2),
            Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7),
            Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11),
            Map.entry("twelve", 12));
    private static final String UNIT = "(?:replicas?|copies|copy|instances?|servers?|workers?|pods?)";
    private static final String KIND = "(h100|h200|b200|a100|a10g|l40s|l4|t4|rtx ?4090)";
    private static final Set<String> FILLER = Set.of("deploy", "deploying", "please", "pls", "with", "on", "in", "using",
            "use", "a", "an", "the", "of", "and", "to", "for", "me", "i", "we", "want", "need", "run", "running", "serve",
            "serving", "launch", "start", "up", "spin", "set", "host", "model", "engine", "it", "each", "per", "at", "can",
            "you", "could", "would", "like", "let's", "lets", "get", "put", "give", "across", "over", "behind", "via", "gpu",
            "gpus", "region", "cloud", "replica", "replicas", "instance", "instances", "some", "that", "this", "my", "our",
            "should", "be", "is", "are", "now", "just", "also", "plus", "go", "make", "create", "new", "deployment", "as",
            "cheap", "cheapest", "cheaply", "hey", "hi", "hearth", "there", "them", "its", "it's", "from", "into", "by",
            "or", "gateway", "somewhere", "kindly", "quickly", "thanks", "thank", "ok", "okay", "so");
    /** Families named without a size: which model is meant cannot be told. */
    private static final List<String> FAMILIES = List.of("qwen", "llama", "mistral", "gemma", "phi", "deepseek");
    private static final Map<String, List<String>> REGION_ALIASES = Map.of(
            "us-east", List.of("us-east", "eastus"), "us-west", List.of("us-west", "westus"),
            "us-central", List.of("us-central", "centralus"), "us", List.of("us-", "eastus", "westus", "centralus"),
            "europe", List.of("eu-", "europe-", "westeurope", "northeurope"), "eu", List.of("eu-", "europe-", "westeurope"),
            "asia", List.of("ap-", "asia-", "eastasia", "southeastasia", "japaneast"),
            "usa", List.of("us-", "eastus", "westus", "centralus"));

    private final InstancePlanner instances;

    public SentencePlanner(GpuCatalog catalog) {
        this.instances = new InstancePlanner(catalog);
    }

    /** The parts found so far, and the sentence with what each part took marked. */
    private static final class Reading {
        final String text;
        final boolean[] taken;
        final List<String> problems = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Reading(String sentence) {
            this.text = sentence.toLowerCase(Locale.ROOT);
            this.taken = new boolean[text.length()];
        }

        /** Every match of {@code regex} not yet taken; each is marked taken and handed to {@code use}. */
        void each(String regex, Consumer<Matcher> use) {
            Matcher m = Pattern.compile(regex).matcher(text);
            while (m.find()) {
                if (free(m.start(), m.end())) {
                    for (int i = m.start(); i < m.end(); i++) {
                        taken[i] = true;
                    }
                    use.accept(m);
                }
            }
        }

        boolean free(int from, int to) {
            for (int i = from; i < to; i++) {
                if (taken[i]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Runs of words nothing took, as the user wrote them: a run starts and ends with a word that
         * is not filler ("encrypted at rest"); a comma or a taken word ends it.
         */
        List<String> leftover(String original) {
            List<String> phrases = new ArrayList<>();
            StringBuilder phrase = new StringBuilder();
            StringBuilder pending = new StringBuilder(); // filler after the phrase's last real word
            Matcher w = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'./_-]*").matcher(text);
            int lastEnd = 0;
            while (w.find()) {
                String word = w.group().replaceAll("[.]+$", "");
                String as = original.substring(w.start(), w.start() + word.length());
                boolean broken = text.substring(lastEnd, w.start()).contains(",");
                lastEnd = w.start() + word.length();
                if (broken || !free(w.start(), w.end())) {
                    close(phrases, phrase, pending);
                    if (!free(w.start(), w.end())) {
                        continue;
                    }
                }
                if (FILLER.contains(word)) {
                    if (phrase.length() > 0) {
                        pending.append(' ').append(as);
                    }
                } else {
                    phrase.append(phrase.length() == 0 ? "" : pending + " ").append(as);
                    pending.setLength(0);
                }
            }
            close(phrases, phrase, pending);
            return phrases;
        }

        private static void close(List<String> phrases, StringBuilder phrase, StringBuilder pending) {
            if (phrase.length() > 0) {
                phrases.add(phrase.toString());
            }
            phrase.setLength(0);
            pending.setLength(0);
        }
    }

    private static int number(String s) {
        Integer w = WORDS.get(s);
        return w != null ? w : Integer.parseInt(s);
    }

    /** Reads the sentence; {@code name}, when given, overrides a name the sentence sets or implies. */
    public DeploymentPlan plan(String sentence, String name) {
        Reading r = new Reading(sentence == null ? "" : sentence.trim());
        if (r.text.isBlank()) {
            r.problems.add("the sentence is empty; say what to deploy, e.g. \"Deploy Qwen3-0.6B with vLLM on 2 replicas\"");
        }
        String original = sentence == null ? "" : sentence.trim();

        // The deployment's own name first, so a name that looks like anything else is kept whole.
        Set<String> names = new LinkedHashSet<>();
        r.each("\\b(?:called|named)\\s+['\"]?([a-z0-9][a-z0-9-]*)['\"]?", m -> names.add(m.group(1)));

        // Model: a Hugging Face id, else a known model's name however it is spaced.
        Set<String> models = new LinkedHashSet<>();
        r.each("(?<![\\w.-])([a-z0-9][\\w.-]*/[\\w.-]*[\\w])", m -> models.add(caseOf(original, m.start(1), m.end(1))));
        for (String[] alias : aliases()) {
            r.each(alias[0], m -> models.add(alias[1]));
        }
        Set<String> resolved = new LinkedHashSet<>();
        for (String m : models) {
            resolved.add(KnownModels.find(m).map(KnownModel::id).orElse(m));
        }
        String model = null;
        if (resolved.size() > 1) {
            r.problems.add("it names " + resolved.size() + " models (" + String.join(", ", resolved)
                    + "); deploy one at a time");
        } else if (resolved.size() == 1) {
            model = resolved.iterator().next();
        } else {
            List<String> families = new ArrayList<>();
            r.each("\\b(" + String.join("|", FAMILIES) + ")\\b", m -> families.add(m.group(1)));
            r.problems.add(families.isEmpty()
                    ? "which model? Name one, e.g. Qwen3-0.6B, Llama-3.1-8B-Instruct or a Hugging Face id like org/name"
                    : "'" + families.get(0) + "' is not specific: name the size too, one of "
                    + KnownModels.ALL.stream().map(KnownModel::id)
                    .filter(id -> id.toLowerCase(Locale.ROOT).contains(families.get(0))).toList());
        }
        KnownModel known = model == null ? null : KnownModels.find(model).orElse(null);
        if (model != null && known == null) {
            r.notes.add(model + " is not in the known-model table: GPU memory was not sized; set gpu.memory_gb yourself");
        }

        // Routing policy first: "sglang-cache-aware" names a policy, not the engine.
        String[] policy = {"cost"};
        for (String p : Policies.NAMES) {
            String words = Pattern.quote(p).replace("-", "\\E[- ]\\Q");
            boolean plainWord = !p.contains("-") && !p.equals("dynamo");
            r.each("\\b" + words + (plainWord ? "[- ]?(?:routing|policy|router)" : "(?:[- ]?(?:routing|policy|router))?")
                    + "\\b", m -> policy[0] = p);
        }

        // Engine.
        Set<String> engines = new LinkedHashSet<>();
        r.each("\\bv-?llm\\b", m -> engines.add("vllm"));
        r.each("\\bsg-? ?lang\\b", m -> engines.add("sglang"));
        String engine = "vllm";
        if (engines.size() > 1) {
            r.problems.add("it names both vLLM and SGLang; a deployment runs one engine");
        } else if (engines.size() == 1) {
            engine = engines.iterator().next();
        } else {
            r.notes.add("engine: vLLM (none was named)");
        }

        // Replicas: a range, a floor, a ceiling, or an exact count.
        int[] min = {-1};
        int[] max = {-1};
        Set<Integer> exact = new LinkedHashSet<>();
        r.each("\\b(?:between|from)\\s+" + N + "\\s+(?:and|to)\\s+" + N + "\\s+" + UNIT + "\\b", m -> {
            min[0] = number(m.group(1));
            max[0] = number(m.group(2));
        });
        r.each("\\b" + N + "\\s*(?:-|to)\\s*" + N + "\\s+" + UNIT + "\\b", m -> {
            min[0] = number(m.group(1));
            max[0] = number(m.group(2));
        });
        r.each("\\b(?:at least|minimum of|min(?:imum)?)\\s+" + N + "\\s+" + UNIT + "\\b", m -> min[0] = number(m.group(1)));
        r.each("\\b(?:up to|at most|maximum of|max(?:imum)?|no more than)\\s+" + N + "\\s+" + UNIT + "\\b",
                m -> max[0] = number(m.group(1)));
        r.each("\\bscal(?:e|ing)\\s+(?:down\\s+)?to\\s+(?:zero|0)(?:\\s+when\\s+idle)?\\b", m -> min[0] = 0);
        r.each("\\b" + N + "\\s+" + UNIT + "\\b", m -> exact.add(number(m.group(1))));
        int lo = 1;
        int hi = 1;
        if (exact.size() > 1) {
            r.problems.add("it asks for " + exact.stream().map(String::valueOf).reduce((a, b) -> a + " and " + b)
                    .orElse("") + " replicas; say one number, or a range like 'between 1 and 4 replicas'");
        } else if (exact.size() == 1) {
            lo = hi = exact.iterator().next();
            if (min[0] >= 0 || max[0] >= 0) {
                r.problems.add("it gives both an exact number of replicas and a range; say one");
            }
        }
        if (min[0] >= 0 || max[0] >= 0) {
            lo = min[0] >= 0 ? min[0] : Math.min(1, max[0]);
            hi = max[0] >= 0 ? max[0] : Math.max(lo, 1);
        }
        if (exact.isEmpty() && min[0] < 0 && max[0] < 0) {
            r.notes.add("replicas: 1 (no number was given)");
        }
        if (lo > hi) {
            r.problems.add("at least " + lo + " but at most " + hi + " replicas cannot both hold");
        }
        if (hi > 64 || (exact.size() == 1 && lo < 1)) {
            r.problems.add(hi > 64 ? "at most 64 replicas per deployment, asked for " + hi
                    : "0 replicas serve nothing; to scale to zero when idle say 'scale to zero' with a maximum");
        }

        // GPUs per replica and their kinds.
        Set<String> kinds = new LinkedHashSet<>();
        int[] gpus = {0};
        Set<Integer> gpuCounts = new LinkedHashSet<>();
        r.each("\\b(?:tensor[- ]parallel(?:ism)?(?:\\s+(?:of|size))?|tp(?:\\s*=)?)\\s*" + N + "\\b",
                m -> gpuCounts.add(number(m.group(1))));
        r.each("\\b" + N + "\\s*(?:x\\s*)?(?:" + KIND + "s?\\s*)?(?:gpus?|cards?)(?:\\s+(?:each|per replica|per instance))?\\b",
                m -> {
                    gpuCounts.add(number(m.group(1)));
                    if (m.group(2) != null) {
                        kinds.add(kind(m.group(2)));
                    }
                });
        r.each("\\b" + N + "\\s*x?\\s*" + KIND + "s?(?:\\s+(?:each|per replica|per instance))?\\b", m -> {
            gpuCounts.add(number(m.group(1)));
            kinds.add(kind(m.group(2)));
        });
        r.each("\\b" + KIND + "s?\\b", m -> kinds.add(kind(m.group(1))));
        if (gpuCounts.size() > 1) {
            r.problems.add("it asks for " + gpuCounts + " GPUs per replica; say one number");
        } else if (gpuCounts.size() == 1) {
            gpus[0] = gpuCounts.iterator().next();
            if (gpus[0] < 1 || gpus[0] > 64) {
                r.problems.add("GPUs per replica must be 1 to 64, was " + gpus[0]);
            }
        }
        int[] memory = {0};
        r.each("\\b(?:at least\\s+)?(\\d+)\\s*gb(?:\\s+(?:of\\s+)?(?:gpu\\s+)?(?:memory|vram))?\\b",
                m -> memory[0] = Integer.parseInt(m.group(1)));

        // Where: cloud and region.
        Set<String> clouds = new LinkedHashSet<>();
        r.each("\\b(?:aws|amazon(?: web services)?|ec2)\\b", m -> clouds.add("aws"));
        r.each("\\b(?:gcp|google cloud(?: platform)?|gce)\\b", m -> clouds.add("gcp"));
        r.each("\\bazure\\b", m -> clouds.add("azure"));
        r.each("\\b(?:on-?prem(?:ises)?|on premises|our own (?:hardware|machines|gpus)|bare metal)\\b",
                m -> clouds.add("onprem"));
        String cloud = null;
        if (clouds.size() > 1) {
            r.problems.add("it names " + String.join(" and ", clouds) + "; a deployment's pool is on one cloud");
        } else if (clouds.size() == 1) {
            cloud = clouds.iterator().next();
        }
        Set<String> regions = new LinkedHashSet<>();
        r.each("\\b(?:in|region)\\s+(?:the\\s+)?((?:usa|us|eu|europe|asia|ap|ca|sa|me|af|uk|east|west|central|north|south)[a-z0-9-]*)\\b",
                m -> regions.add(m.group(1)));
        String region = null;
        List<String> regionPrefixes = List.of();
        if (regions.size() > 1) {
            r.problems.add("it names " + regions.size() + " regions (" + String.join(", ", regions) + "); choose one");
        } else if (regions.size() == 1) {
            region = regions.iterator().next();
            regionPrefixes = REGION_ALIASES.getOrDefault(region, List.of(region));
        }

        // How replicas run, routing and the prediction cache.
        Set<String> launchers = new LinkedHashSet<>();
        r.each("\\b(?:simulat(?:ed|or|ion)|without (?:a |any )?gpus?|no gpus?)\\b", m -> launchers.add("simulator"));
        r.each("\\b(?:locally|on this machine|on my machine|local process(?:es)?)\\b", m -> launchers.add("local"));
        r.each("\\b(?:kubernetes|k8s)\\b", m -> launchers.add("kubernetes"));
        String launcher = "simulator";
        if (launchers.size() > 1) {
            r.problems.add("it asks to run replicas as " + String.join(" and as ", launchers) + "; choose one");
        } else if (launchers.size() == 1) {
            launcher = launchers.iterator().next();
        } else {
            r.notes.add("launcher: simulator (say 'locally' to run the real engine here, or 'on kubernetes')");
        }
        boolean[] cache = {true};
        r.each("\\b(?:without (?:the |a )?(?:prediction )?cach(?:e|ing)|no (?:prediction )?cach(?:e|ing)|"
                + "(?:prediction )?cache off|disable (?:the )?(?:prediction )?cache)\\b", m -> cache[0] = false);
        int[] context = {0};
        r.each("\\b(\\d+(?:\\.\\d+)?)\\s*(k)?\\s*(?:tokens?\\s+(?:of\\s+)?)?(?:context(?: length| window)?|ctx)\\b",
                m -> context[0] = tokens(m.group(1), m.group(2)));
        r.each("\\b(?:context(?: length| window)?|ctx)\\s*(?:of\\s+)?(\\d+(?:\\.\\d+)?)\\s*(k)?(?:\\s+tokens?)?\\b",
                m -> context[0] = tokens(m.group(1), m.group(2)));
        String[] revision = {"main"};
        r.each("\\b(?:revision|rev)\\s+([\\w.-]+)\\b", m -> revision[0] = caseOf(original, m.start(1), m.end(1)));

        List<String> unplaced = r.leftover(original);

        // Size the GPUs and pick where replicas run.
        InstancePlanner.Choice choice = null;
        if (known != null) {
            if (context[0] > known.contextLength()) {
                r.problems.add("a context of " + context[0] + " tokens is longer than " + known.id() + "'s "
                        + known.contextLength());
            }
            MemoryEstimate need = MemoryEstimate.of(known, context[0]);
            Optional<InstancePlanner.Choice> c = instances.cheapest(need, List.copyOf(kinds), cloud, regionPrefixes,
                    gpus[0], memory[0]);
            if (c.isEmpty()) {
                r.problems.add(String.format(Locale.ROOT, "no instance in the catalog holds %s (%.1f GiB with its "
                                + "context)%s%s%s%s; allow more GPUs per replica, other GPU kinds or another region",
                        known.id(), need.requiredGib(), kinds.isEmpty() ? "" : " on " + kinds,
                        gpus[0] == 0 ? "" : " on " + gpus[0] + " GPU(s)", cloud == null ? "" : " in " + cloud,
                        region == null ? "" : " in " + region));
            } else {
                choice = c.get();
            }
        } else if (model != null && !kinds.isEmpty()) {
            r.notes.add("GPU kinds " + kinds + " kept as asked; no instance chosen for an unsized model");
        }
        if (context[0] > 0 && known == null && model != null) {
            r.notes.add("context length " + context[0] + " taken as asked");
        }

        List<String> notes = new ArrayList<>(r.notes);
        List<String> pools = List.of();
        int count = gpus[0] == 0 ? 1 : gpus[0];
        int gpuMemory = memory[0];
        List<String> kindList = List.copyOf(kinds);
        String where = null;
        if (choice != null) {
            GpuInstance i = choice.instance();
            List<String> prefixes = regionPrefixes;
            where = i.regions().stream().filter(x -> prefixes.isEmpty() || prefixes.stream().anyMatch(x::startsWith))
                    .findFirst().orElse(null);
            count = gpus[0] == 0 ? i.gpuCount() : gpus[0];
            gpuMemory = i.gpuMemoryGb();
            kindList = List.of(i.gpuModel());
            pools = List.of(pool(i, where));
            notes.add("instance: " + i.cloud() + " " + i.type() + (where == null ? "" : " in " + where) + ": "
                    + choice.why());
        }
        String deployment = name != null ? name : names.size() == 1 ? names.iterator().next()
                : model == null ? null : DeploymentNames.fromModel(model);
        if (names.size() > 1 && name == null) {
            r.problems.add("it gives " + names.size() + " names (" + String.join(", ", names) + "); give one");
        }
        ConfigTemplate.Values values = new ConfigTemplate.Values(original, notes, model == null ? "unknown" : model,
                revision[0], engine, List.of(), launcher, context[0], count, gpuMemory, kindList, lo, hi, pools, policy[0],
                cache[0]);
        return new DeploymentPlan(original, deployment, values, where != null ? where : region, choice, notes, unplaced,
                List.copyOf(r.problems));
    }

    /** A nodepool's name: cloud, region and instance type, as Kubernetes names go. */
    static String pool(GpuInstance i, String region) {
        String type = i.type().toLowerCase(Locale.ROOT);
        String raw = (type.startsWith(i.cloud()) ? "" : i.cloud() + "-") + (region == null ? "" : region + "-") + type;
        return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    private static int tokens(String number, String k) {
        double v = Double.parseDouble(number);
        return (int) Math.round(k == null ? v : v * 1024);
    }

    private static String kind(String s) {
        String k = s.toUpperCase(Locale.ROOT).replace(" ", "");
        return k.equals("RTX4090") ? "RTX 4090" : k;
    }

    private static String caseOf(String original, int from, int to) {
        return original.substring(from, Math.min(to, original.length()));
    }

    /**
     * Each known model's patterns, longest first: the id, and the name after the organisation with
     * any spacing or hyphens between its parts, with or without an -Instruct or -it suffix.
     */
    private static List<String[]> aliases() {
        List<String[]> out = new ArrayList<>();
        for (KnownModel m : KnownModels.ALL) {
            String shortName = m.id().substring(m.id().indexOf('/') + 1).toLowerCase(Locale.ROOT);
            Set<String> forms = new LinkedHashSet<>(List.of(shortName,
                    shortName.replaceAll("-(instruct|it)(-v[\\d.]+)?$", "$2"),
                    shortName.replaceAll("-(instruct|it)(-v[\\d.]+)?$", ""),
                    shortName.replaceAll("-\\d+k-(instruct|it)$", "")));
            for (String form : forms) {
                String[] parts = form.split("(?<=[a-z])(?=\\d)|(?<=\\d)(?=[a-z]{2})|[-_ ]");
                StringBuilder regex = new StringBuilder("(?<![\\w.-])");
                for (int p = 0; p < parts.length; p++) {
                    if (parts[p].isEmpty()) {
                        continue;
                    }
                    regex.append(p == 0 ? "" : "[\\s_-]*").append(Pattern.quote(parts[p]));
                }
                regex.append("(?![\\w.])");
                out.add(new String[] {regex.toString(), m.id()});
            }
        }
        out.sort(Comparator.comparingInt((String[] a) -> -a[0].length()));
        return out;
    }
}
