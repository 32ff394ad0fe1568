package dev.hearth.enginesim.workload;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SGLang's generated-shared-prefix dataset (sgl-project/sglang, {@code python/sglang/bench_serving.py},
 * {@code sample_generated_shared_prefix_requests} and its {@code --gsp-*} arguments): {@code num_groups}
 * random system prompts of {@code system_prompt_len} tokens, {@code prompts_per_group} random questions
 * of {@code question_len} tokens after each, every request generating {@code output_len} tokens; with
 * {@code range_ratio} below 1 each length is drawn uniformly from [max(1, floor(len x ratio)), len] as
 * SGLang's {@code compute_random_lens} does (per group for system prompts, per request otherwise). The
 * requests are shuffled, as SGLang shuffles them, and arrive as a Poisson process at {@code rate}
 * (SGLang's {@code --request-rate}, whose default of infinity sends all at once; here 10/s, the first at 0).
 * Parameter names and defaults are SGLang's: 64 groups of 16 prompts, 2048-token system prompts,
 * 128-token questions, 256-token outputs, ratio 1, seed 1. SGLang joins prompt and question with a
 * blank line; here the question's tokens follow the system prompt's directly, so prompts of a group
 * share exactly the system prompt. No sessions.
 */
public final class GeneratedSharedPrefixWorkload implements Workload {
    public static final String NAME = "generated-shared-prefix";
    public static final Map<String, Number> DEFAULTS = Synthetic.ordered(
            "num_groups", 64,
            "prompts_per_group", 16,
            "system_prompt_len", 2048,
            "question_len", 128,
            "output_len", 256,
            "range_ratio", 1.0,
            "rate", 10.0,
            "seed", 1L);

    private final int numGroups;
    private final int promptsPerGroup;
    private final int systemPromptLen;
    private final int questionLen;
    private final int outputLen;
    private final double rangeRatio;
    private final double rate;
    private final long seed;
    private final int[] systemLens;   // per group
    private final int[] questionLens; // per request, group-major as SGLang builds them
    private final int[] outputLens;
    private final int[] order;        // SGLang's shuffle: position -> group-major index

    public GeneratedSharedPrefixWorkload(int numGroups, int promptsPerGroup, int systemPromptLen, int questionLen,
                                         int outputLen, double rangeRatio, double rate, long seed) {
        this.numGroups = Synthetic.intIn(NAME, "num_groups", numGroups, 1, 1_000_000);
        this.promptsPerGroup = Synthetic.intIn(NAME, "prompts_per_group", promptsPerGroup, 1, 1_000_000);
        int n = Synthetic.product(NAME, "num_groups x prompts_per_group", numGroups, promptsPerGroup);
        this.systemPromptLen = Synthetic.intIn(NAME, "system_prompt_len", systemPromptLen, 1, Synthetic.MAX_LEN);
        this.questionLen = Synthetic.intIn(NAME, "question_len", questionLen, 1, Synthetic.MAX_LEN);
        this.outputLen = Synthetic.intIn(NAME, "output_len", outputLen, 1, Synthetic.MAX_LEN);
        this.rangeRatio = Synthetic.numberIn(NAME, "range_ratio", rangeRatio, 0, false, 1);
        this.rate = Synthetic.numberIn(NAME, "rate", rate, 0, true, 1e6);
        this.seed = seed;

        SplittableRandom lengths = Synthetic.random(seed, Synthetic.LENGTHS);
        systemLens = randomLens(lengths, systemPromptLen, numGroups);
        questionLens = randomLens(lengths, questionLen, n);
        outputLens = randomLens(lengths, outputLen, n);
        order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom shuffle = Synthetic.random(seed, Synthetic.ORDER);
        for (int i = n - 1; i > 0; i--) { // Fisher-Yates, as Python's random.shuffle
            int j = shuffle.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
    }

    private int[] randomLens(SplittableRandom rng, int full, int count) {
        int low = Math.max((int) (full * rangeRatio), 1);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = Synthetic.uniform(rng, low, full);
        }
        return out;
    }

    /** The defaults with {@code given} over them (keys as in {@link #DEFAULTS}). */
    public static GeneratedSharedPrefixWorkload of(Map<String, ? extends Number> given) {
        Map<String, Number> p = Synthetic.merge(NAME, DEFAULTS, given);
        return new GeneratedSharedPrefixWorkload(p.get("num_groups").intValue(), p.get("prompts_per_group").intValue(),
                p.get("system_prompt_len").intValue(), p.get("question_len").intValue(), p.get("output_len").intValue(),
                p.get("range_ratio").doubleValue(), p.get("rate").doubleValue(), p.get("seed").longValue());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("num_groups", numGroups);
        p.put("prompts_per_group", promptsPerGroup);
        p.put("system_prompt_len", systemPromptLen);
        p.put("question_len", questionLen);
        p.put("output_len", outputLen);
        p.put("range_ratio", rangeRatio);
        p.put("rate", rate);
        p.put("seed", seed);
        return p;
    }

    @Override
    public int size() {
        return order.length;
    }

    @Override
    public Iterator<WorkloadRequest> requests() {
        PoissonArrivals arrivals = new PoissonArrivals(seed, rate);
        return Synthetic.requests(order.length, n -> {
            double now = arrivals.next();
            int i = order[n];
            int group = i / promptsPerGroup;
            int[] prompt = new int[systemLens[group] + questionLens[i]];
            int at = Synthetic.write(prompt, 0, seed, Synthetic.SYSTEM, group, systemLens[group]);
            Synthetic.write(prompt, at, seed, Synthetic.QUESTION, i, questionLens[i]);
            return new WorkloadRequest(now, "req-" + n, prompt, outputLens[i], null);
        });
    }
}
