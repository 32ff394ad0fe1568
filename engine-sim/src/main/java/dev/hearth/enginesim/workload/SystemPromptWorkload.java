package dev.hearth.enginesim.workload;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A few shared system prompts, each request one of them followed by a question of its own: the shape
 * of vLLM's prefix-repetition dataset (vllm-project/vllm, {@code vllm/benchmarks/datasets.py},
 * {@code PrefixRepetitionRandomDataset}: {@code num_prefixes} random prefixes of {@code prefix_len}
 * tokens, each followed by random suffixes, fixed {@code output_len}, shuffled). Here the prompt is
 * drawn per request, uniformly as there or by Zipf popularity ({@code zipf} > 0: prompt i with
 * weight 1/(i+1)^zipf), the question's length varies in a range, and the system prompt is longer than
 * vLLM's 256-token default so the shared part dominates, as production chat prompts do. No sessions.
 * Arrivals are a Poisson process at {@code rate}, the first at 0.
 */
public final class SystemPromptWorkload implements Workload {
    public static final String NAME = "system-prompt";
    public static final Map<String, Number> DEFAULTS = Synthetic.ordered(
            "requests", 1000,
            "rate", 10.0,
            "system_prompts", 10,
            "system_prompt_len", 1024,
            "question_len_min", 128,
            "question_len_max", 384,
            "output_len", 128,
            "zipf", 0.0,
            "seed", 1L);

    private final int requests;
    private final double rate;
    private final int systemPrompts;
    private final int systemPromptLen;
    private final int questionLenMin;
    private final int questionLenMax;
    private final int outputLen;
    private final double zipf;
    private final long seed;
    private final Zipf popularity;

    public SystemPromptWorkload(int requests, double rate, int systemPrompts, int systemPromptLen, int questionLenMin,
                                int questionLenMax, int outputLen, double zipf, long seed) {
        this.requests = Synthetic.intIn(NAME, "requests", requests, 1, Synthetic.MAX_COUNT);
        this.rate = Synthetic.numberIn(NAME, "rate", rate, 0, true, 1e6);
        this.systemPrompts = Synthetic.intIn(NAME, "system_prompts", systemPrompts, 1, 100_000);
        this.systemPromptLen = Synthetic.intIn(NAME, "system_prompt_len", systemPromptLen, 1, Synthetic.MAX_LEN);
        this.questionLenMin = Synthetic.intIn(NAME, "question_len_min", questionLenMin, 1, Synthetic.MAX_LEN);
        this.questionLenMax = Synthetic.intIn(NAME, "question_len_max", questionLenMax, 1, Synthetic.MAX_LEN);
        Synthetic.minNotAboveMax(NAME, "question_len_min", questionLenMin, "question_len_max", questionLenMax);
        this.outputLen = Synthetic.intIn(NAME, "output_len", outputLen, 1, Synthetic.MAX_LEN);
        this.zipf = Synthetic.numberIn(NAME, "zipf", zipf, 0, false, 10);
        this.seed = seed;
        this.popularity = new Zipf(systemPrompts, zipf);
    }

    /** The defaults with {@code given} over them (keys as in {@link #DEFAULTS}). */
    public static SystemPromptWorkload of(Map<String, ? extends Number> given) {
        Map<String, Number> p = Synthetic.merge(NAME, DEFAULTS, given);
        return new SystemPromptWorkload(p.get("requests").intValue(), p.get("rate").doubleValue(),
                p.get("system_prompts").intValue(), p.get("system_prompt_len").intValue(),
                p.get("question_len_min").intValue(), p.get("question_len_max").intValue(),
                p.get("output_len").intValue(), p.get("zipf").doubleValue(), p.get("seed").longValue());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("requests", requests);
        p.put("rate", rate);
        p.put("system_prompts", systemPrompts);
        p.put("system_prompt_len", systemPromptLen);
        p.put("question_len_min", questionLenMin);
        p.put("question_len_max", questionLenMax);
        p.put("output_len", outputLen);
        p.put("zipf", zipf);
        p.put("seed", seed);
        return p;
    }

    @Override
    public int size() {
        return requests;
    }

    @Override
    public Iterator<WorkloadRequest> requests() {
        PoissonArrivals arrivals = new PoissonArrivals(seed, rate);
        SplittableRandom choices = Synthetic.random(seed, Synthetic.CHOICES);
        SplittableRandom lengths = Synthetic.random(seed, Synthetic.LENGTHS);
        return Synthetic.requests(requests, n -> {
            double now = arrivals.next();
            int system = popularity.sample(choices);
            int questionLen = Synthetic.uniform(lengths, questionLenMin, questionLenMax);
            int[] prompt = new int[systemPromptLen + questionLen];
            int at = Synthetic.write(prompt, 0, seed, Synthetic.SYSTEM, system, systemPromptLen);
            Synthetic.write(prompt, at, seed, Synthetic.QUESTION, n, questionLen);
            return new WorkloadRequest(now, "req-" + n, prompt, outputLen, null);
        });
    }
}
