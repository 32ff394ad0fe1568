package dev.hearth.enginesim.workload;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Retrieval-augmented generation: a fixed instruction, {@code top_k} documents of a corpus, then a
 * question. The prompt layout follows LMCache's RAG benchmark (LMCache/LMCache,
 * {@code benchmarks/rag/rag.py}: system prompt, the retrieved passages, the query prompt and the
 * question; {@code --max-tokens} 32 by default), whose documents come from a QA dataset; here they
 * are drawn from a synthetic corpus with Zipf popularity, document i with weight 1/(i+1)^zipf: a few
 * documents are retrieved far more often than the rest, as RAGCache (Jin et al., 2024) observes of
 * real retrievals (the Zipf form and its exponent are this generator's assumption). A request's
 * documents are distinct and in the order drawn, so popular documents tend to come first and requests
 * share the instruction and their leading documents when those coincide. No sessions. Arrivals are a
 * Poisson process at {@code rate}, the first at 0.
 */
public final class RagWorkload implements Workload {
    public static final String NAME = "rag";
    public static final Map<String, Number> DEFAULTS = Synthetic.ordered(
            "requests", 1000,
            "rate", 10.0,
            "documents", 2000,
            "document_len", 512,
            "top_k", 4,
            "zipf", 1.1,
            "instruction_len", 64,
            "question_len", 48,
            "output_len", 32,
            "seed", 1L);

    private final int requests;
    private final double rate;
    private final int documents;
    private final int documentLen;
    private final int topK;
    private final double zipf;
    private final int instructionLen;
    private final int questionLen;
    private final int outputLen;
    private final long seed;
    private final Zipf popularity;

    public RagWorkload(int requests, double rate, int documents, int documentLen, int topK, double zipf,
                       int instructionLen, int questionLen, int outputLen, long seed) {
        this.requests = Synthetic.intIn(NAME, "requests", requests, 1, Synthetic.MAX_COUNT);
        this.rate = Synthetic.numberIn(NAME, "rate", rate, 0, true, 1e6);
        this.documents = Synthetic.intIn(NAME, "documents", documents, 1, 1_000_000);
        this.documentLen = Synthetic.intIn(NAME, "document_len", documentLen, 1, Synthetic.MAX_LEN);
        this.topK = Synthetic.intIn(NAME, "top_k", topK, 1, Math.min(64, documents));
        this.zipf = Synthetic.numberIn(NAME, "zipf", zipf, 0, false, 10);
        this.instructionLen = Synthetic.intIn(NAME, "instruction_len", instructionLen, 0, Synthetic.MAX_LEN);
        this.questionLen = Synthetic.intIn(NAME, "question_len", questionLen, 1, Synthetic.MAX_LEN);
        this.outputLen = Synthetic.intIn(NAME, "output_len", outputLen, 1, Synthetic.MAX_LEN);
        this.seed = seed;
        this.popularity = new Zipf(documents, zipf);
    }

    /** The defaults with {@code given} over them (keys as in {@link #DEFAULTS}). */
    public static RagWorkload of(Map<String, ? extends Number> given) {
        Map<String, Number> p = Synthetic.merge(NAME, DEFAULTS, given);
        return new RagWorkload(p.get("requests").intValue(), p.get("rate").doubleValue(), p.get("documents").intValue(),
                p.get("document_len").intValue(), p.get("top_k").intValue(), p.get("zipf").doubleValue(),
                p.get("instruction_len").intValue(), p.get("question_len").intValue(), p.get("output_len").intValue(),
                p.get("seed").longValue());
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
        p.put("documents", documents);
        p.put("document_len", documentLen);
        p.put("top_k", topK);
        p.put("zipf", zipf);
        p.put("instruction_len", instructionLen);
        p.put("question_len", questionLen);
        p.put("output_len", outputLen);
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
        return Synthetic.requests(requests, n -> {
            double now = arrivals.next();
            int[] docs = popularity.sampleDistinct(choices, topK);
            int[] prompt = new int[instructionLen + topK * documentLen + questionLen];
            int at = Synthetic.write(prompt, 0, seed, Synthetic.INSTRUCTION, 0, instructionLen);
            for (int d : docs) {
                at = Synthetic.write(prompt, at, seed, Synthetic.DOCUMENT, d, documentLen);
            }
            Synthetic.write(prompt, at, seed, Synthetic.QUESTION, n, questionLen);
            return new WorkloadRequest(now, "req-" + n, prompt, outputLen, null);
        });
    }
}
