package dev.hearth.enginesim.engine;

import dev.hearth.enginesim.kv.BlockPool;
import dev.hearth.enginesim.kv.KvEvent;
import dev.hearth.router.prefix.BlockHasher;
import dev.hearth.router.tokens.SimTokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One engine's continuous-batching scheduler over a paged prefix cache, in the manner of vLLM's
 * V1 scheduler (vllm/v1/core/sched/scheduler.py, {@code Scheduler.schedule}):
 * <ul>
 *   <li>each step has a budget of {@code maxNumBatchedTokens}; running requests are served first
 *       (one token each when decoding, a chunk of their prompt when prefilling: chunked prefill),
 *       then waiting requests are admitted in arrival order while the budget, {@code maxNumSeqs}
 *       and free KV blocks allow;</li>
 *   <li>an admitted request reuses the longest chain of its leading full blocks found in the cache,
 *       at most {@code promptLength - 1} tokens, since the last prompt token is always recomputed
 *       (vllm/v1/core/kv_cache_manager.py, get_computed_blocks);</li>
 *   <li>when blocks run out for a running request, the most recently admitted one is preempted: its
 *       blocks are freed and it waits at the front of the queue to be recomputed;</li>
 *   <li>the step's duration comes from the {@link Profile}; the caller decides whether that is slept
 *       through (a served engine) or only added to a virtual clock (the cluster simulator).</li>
 * </ul>
 * Not thread-safe: one driver thread calls {@link #submit}, {@link #abort} and {@link #step}.
 */
public final class EngineCore {
    private final Profile profile;
    private final EngineLimits limits;
    private final boolean reasoning;
    private final BlockHasher hasher;
    private final SimTokenizer tokenizer;
    private final BlockPool pool;
    private final EngineStats stats;
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    private final Map<String, Sequence> byId = new HashMap<>();
    private final List<Sequence> scheduled = new ArrayList<>();
    private int[] chunk = new int[64];

    public EngineCore(Profile profile, EngineLimits limits, boolean reasoning, SimTokenizer tokenizer,
                      boolean recordEvents) {
        this(profile, limits, reasoning, tokenizer, recordEvents, new EngineStats());
    }

    public EngineCore(Profile profile, EngineLimits limits, boolean reasoning, SimTokenizer tokenizer,
                      boolean recordEvents, EngineStats stats) {
        this.profile = profile;
        this.stats = stats;
        this.limits = limits;
        this.reasoning = reasoning;
        this.tokenizer = tokenizer;
        this.hasher = new BlockHasher(limits.blockSize());
        this.pool = new BlockPool(limits.kvBlocks(), limits.blockSize(), recordEvents);
    }

    public EngineLimits limits() {
        return limits;
    }

    public Profile profile() {
        return profile;
    }

    public EngineStats stats() {
        return stats;
    }

    public BlockPool pool() {
        return pool;
    }

    public int running() {
        return running.size();
    }

    public int waiting() {
        return waiting.size();
    }

    public boolean idle() {
        return running.isEmpty() && waiting.isEmpty();
    }

    /**
     * Queues a request. The caller has validated it against {@link EngineLimits#maxModelLen()}.
     * Returns the number of output tokens it will produce unless a stop string or abort ends it.
     */
    public int submit(String id, int[] prompt, String salt, Sampling sampling, OutputListener listener, double now) {
        if (byId.containsKey(id)) {
            throw new IllegalArgumentException("duplicate request id " + id);
        }
        long seed = seedOf(prompt) ^ (sampling.seed() == null ? 0 : sampling.seed() * 0x9E3779B97F4A7C15L);
        int room = limits.maxModelLen() - prompt.length;
        int maxOutput = sampling.maxTokens() != null ? sampling.maxTokens()
                : sampling.ignoreEos() ? room : FillerText.naturalLength(seed);
        maxOutput = Math.max(1, Math.min(maxOutput, room));
        FillerText filler = new FillerText(tokenizer, seed, reasoning, maxOutput);
        Sequence s = new Sequence(id, prompt, salt, sampling, maxOutput, filler, listener, now, hasher);
        waiting.addLast(s);
        byId.put(id, s);
        stats.requests.increment();
        return maxOutput;
    }

    /** Ends a request early (client gone); its blocks are freed at once. Unknown ids are ignored. */
    public void abort(String id) {
        Sequence s = byId.remove(id);
        if (s == null) {
            return;
        }
        s.finished = true;
        waiting.remove(s);
        running.remove(s);
        release(s);
        stats.recordFinish(FinishReason.ABORT, 0);
    }

    /** Clears the prefix cache when nothing runs (vLLM reset_prefix_cache, SGLang flush_cache). */
    public boolean resetPrefixCache() {
        return idle() && pool.reset();
    }

    /** Runs one scheduler iteration that starts at {@code now}; outputs are stamped {@code now + duration}. */
    public StepResult step(double now) {
        scheduled.clear();
        int budget = limits.maxNumBatchedTokens();
        boolean preempted = false;
        for (int i = 0; i < running.size() && budget > 0; i++) {
            Sequence s = running.get(i);
            int n = Math.min(s.length - s.computed, budget);
            boolean selfPreempted = false;
            while (!ensureBlocks(s, s.computed + n)) {
                Sequence victim = running.remove(running.size() - 1);
                preempt(victim);
                preempted = true;
                if (victim == s) {
                    selfPreempted = true;
                    break;
                }
            }
            if (selfPreempted) {
                break;
            }
            schedule(s, n);
            budget -= n;
        }
        while (!preempted && budget > 0 && !waiting.isEmpty() && running.size() < limits.maxNumSeqs()) {
            Sequence s = waiting.peekFirst();
            if (s.blockCount == 0) {
                reuseCachedPrefix(s);
            }
            int n = Math.min(s.length - s.computed, budget);
            if (!ensureBlocks(s, s.computed + n)) {
                release(s);
                break;
            }
            waiting.pollFirst();
            running.add(s);
            schedule(s, n);
            budget -= n;
        }
        if (scheduled.isEmpty()) {
            return new StepResult(0, List.of(), pool.drainEvents());
        }
        double duration = duration();
        double end = now + duration;
        List<Delivery> deliveries = new ArrayList<>(scheduled.size());
        for (int i = 0; i < scheduled.size(); i++) {
            advance(scheduled.get(i), chunk[i], end, deliveries);
        }
        running.removeIf(s -> s.finished);
        return new StepResult(duration, deliveries, pool.drainEvents());
    }

    private void schedule(Sequence s, int n) {
        if (scheduled.size() == chunk.length) {
            chunk = java.util.Arrays.copyOf(chunk, chunk.length * 2);
        }
        chunk[scheduled.size()] = n;
        scheduled.add(s);
    }

    private double duration() {
        long prefillTokens = 0;
        double pairs = 0;
        int decodeSeqs = 0;
        long decodeContext = 0;
        for (int i = 0; i < scheduled.size(); i++) {
            Sequence s = scheduled.get(i);
            int n = chunk[i];
            if (s.outputCount > 0 && n == 1 && s.computed == s.length - 1) {
                decodeSeqs++;
                decodeContext += s.length;
            } else {
                prefillTokens += n;
                pairs += n * (s.computed + n / 2.0);
            }
        }
        return profile.stepSeconds(prefillTokens, pairs, decodeSeqs, decodeContext);
    }

    private void reuseCachedPrefix(Sequence s) {
        int limit = Math.min((s.length - 1) / limits.blockSize(), s.hashedBlocks);
        int hit = pool.cachedPrefixLength(s.blockHashes, limit);
        for (int b = 0; b < hit; b++) {
            s.addBlock(pool.acquireCached(s.blockHashes[b]));
        }
        s.computed = hit * limits.blockSize();
        s.registeredBlocks = hit;
        if (s.cachedTokens < 0) { // first admission: recomputation after preemption is not a query
            s.cachedTokens = s.computed;
            stats.prefixQueries.add(s.promptLength);
            stats.prefixHits.add(s.computed);
            stats.promptTokens.add(s.promptLength);
        }
    }

    private boolean ensureBlocks(Sequence s, int tokens) {
        int needed = (tokens + limits.blockSize() - 1) / limits.blockSize() - s.blockCount;
        if (needed <= 0) {
            return true;
        }
        if (needed > pool.freeBlocks()) {
            return false;
        }
        for (int i = 0; i < needed; i++) {
            s.addBlock(pool.allocate());
        }
        return true;
    }

    private void preempt(Sequence s) {
        release(s);
        waiting.addFirst(s);
    }

    private void release(Sequence s) {
        pool.release(s.blocks, s.blockCount);
        s.blockCount = 0;
        s.computed = 0;
        s.registeredBlocks = 0;
    }

    private void advance(Sequence s, int n, double end, List<Delivery> out) {
        s.computed += n;
        s.hashFullBlocks(hasher);
        int full = Math.min(s.computed / limits.blockSize(), s.blockCount);
        if (full > s.registeredBlocks) {
            pool.cache(s.blocks, s.blockHashes, s.registeredBlocks, full, s.tokens, s.salt);
            s.registeredBlocks = full;
        }
        if (s.computed < s.length) {
            return; // a prefill chunk that does not finish the prompt samples nothing
        }
        sample(s, end, out);
    }

    private void sample(Sequence s, double end, List<Delivery> out) {
        boolean naturalEnd = s.sampling.maxTokens() == null && !s.sampling.ignoreEos()
                && s.outputCount + 1 == s.maxOutput;
        FillerText.Part part = s.filler.nextPart();
        int token = naturalEnd ? SimTokenizer.IM_END : s.filler.next();
        String text = naturalEnd ? "" : tokenizer.tokenText(token);
        s.appendToken(token);
        int index = s.outputCount++;
        FinishReason finish = null;
        String stopReason = null;
        if (s.text != null) {
            int before = s.text.length();
            s.text.append(text);
            for (String stop : s.sampling.stop()) {
                int at = s.text.indexOf(stop, Math.max(0, before - stop.length() + 1));
                if (at >= 0) {
                    text = at > before ? text.substring(0, at - before) : "";
                    finish = FinishReason.STOP;
                    stopReason = stop;
                    break;
                }
            }
        }
        if (finish == null && s.outputCount >= s.maxOutput) {
            finish = naturalEnd ? FinishReason.STOP : FinishReason.LENGTH;
        }
        if (index == 0) {
            s.firstTokenTime = end;
            stats.ttft.observe(end - s.arrival);
        }
        stats.generationTokens.increment();
        out.add(new Delivery(s.listener, new Output(s.id, token, text, part, index, finish, stopReason,
                s.promptLength, Math.max(0, s.cachedTokens), s.arrival, end, s.firstTokenTime)));
        if (finish != null) {
            s.finished = true;
            byId.remove(s.id);
            release(s);
            stats.recordFinish(finish, end - s.arrival);
        }
    }

    private static long seedOf(int[] prompt) {
        long h = 0x2545F4914F6CDD1DL;
        for (int t : prompt) {
            h = (h ^ t) * 0x100000001b3L;
        }
        return h;
    }

    /** An output and who receives it. */
    public record Delivery(OutputListener listener, Output output) {
        public void deliver() {
            listener.onOutput(output);
        }
    }

    /** What one step did: how long it took, the outputs to deliver at its end, the KV events to publish. */
    public record StepResult(double duration, List<Delivery> deliveries, List<KvEvent> events) {
        public boolean idle() {
            return duration == 0;
        }
    }
}
