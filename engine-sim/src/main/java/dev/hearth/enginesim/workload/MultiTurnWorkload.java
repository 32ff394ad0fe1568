package dev.hearth.enginesim.workload;

import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Chat conversations whose history grows: turn t's prompt is the shared system prompt, every earlier
 * user message and answer of its conversation, then the new user message; the answer's tokens are
 * made from the seed, and they are the tokens the next turn's prompt holds. The shape and the default
 * lengths follow vLLM's synthetic multi-turn benchmark (vllm-project/vllm,
 * {@code benchmarks/multi_turn/generate_multi_turn.json} with {@code bench_dataset.py}: a
 * {@code common_prefix_num_tokens} of 500 shared by all conversations, user messages of 120 to 160
 * tokens, answers of 80 to 120). vLLM's clients send the next turn when the answer is back; here,
 * without a server in the loop, the next turn comes an exponential think time after the previous one's
 * arrival (mean {@code think_time} s), which should exceed a turn's latency. Conversations start as a
 * Poisson process at {@code rate} (conversations/s, the first at 0), so turns of different
 * conversations interleave; requests are yielded in arrival order, each with its conversation's
 * session key.
 */
public final class MultiTurnWorkload implements Workload {
    public static final String NAME = "multi-turn";
    public static final Map<String, Number> DEFAULTS = Synthetic.ordered(
            "conversations", 200,
            "turns", 6,
            "rate", 2.0,
            "think_time", 10.0,
            "system_prompt_len", 500,
            "user_len_min", 120,
            "user_len_max", 160,
            "answer_len_min", 80,
            "answer_len_max", 120,
            "seed", 1L);

    private final int conversations;
    private final int turns;
    private final double rate;
    private final double thinkTime;
    private final int systemPromptLen;
    private final int userLenMin;
    private final int userLenMax;
    private final int answerLenMin;
    private final int answerLenMax;
    private final long seed;
    // Per turn, indexed conversation * turns + turn; small next to the prompts, which are made on demand.
    private final double[] arrival;
    private final int[] userLen;
    private final int[] answerLen;
    private final int[] order; // turn indices by arrival

    public MultiTurnWorkload(int conversations, int turns, double rate, double thinkTime, int systemPromptLen,
                             int userLenMin, int userLenMax, int answerLenMin, int answerLenMax, long seed) {
        this.conversations = Synthetic.intIn(NAME, "conversations", conversations, 1, Synthetic.MAX_COUNT);
        this.turns = Synthetic.intIn(NAME, "turns", turns, 1, 1000);
        int n = Synthetic.product(NAME, "conversations x turns", conversations, turns);
        this.rate = Synthetic.numberIn(NAME, "rate", rate, 0, true, 1e6);
        this.thinkTime = Synthetic.numberIn(NAME, "think_time", thinkTime, 0, false, 1e6);
        this.systemPromptLen = Synthetic.intIn(NAME, "system_prompt_len", systemPromptLen, 0, Synthetic.MAX_LEN);
        this.userLenMin = Synthetic.intIn(NAME, "user_len_min", userLenMin, 1, Synthetic.MAX_LEN);
        this.userLenMax = Synthetic.intIn(NAME, "user_len_max", userLenMax, 1, Synthetic.MAX_LEN);
        Synthetic.minNotAboveMax(NAME, "user_len_min", userLenMin, "user_len_max", userLenMax);
        this.answerLenMin = Synthetic.intIn(NAME, "answer_len_min", answerLenMin, 1, Synthetic.MAX_LEN);
        this.answerLenMax = Synthetic.intIn(NAME, "answer_len_max", answerLenMax, 1, Synthetic.MAX_LEN);
        Synthetic.minNotAboveMax(NAME, "answer_len_min", answerLenMin, "answer_len_max", answerLenMax);
        this.seed = seed;

        arrival = new double[n];
        userLen = new int[n];
        answerLen = new int[n];
        SplittableRandom starts = Synthetic.random(seed, Synthetic.ARRIVALS);
        SplittableRandom think = Synthetic.random(seed, Synthetic.THINK);
        SplittableRandom lengths = Synthetic.random(seed, Synthetic.LENGTHS);
        double start = 0;
        for (int c = 0; c < conversations; c++) {
            if (c > 0) {
                start += Synthetic.exponential(starts, 1 / rate);
            }
            double at = start;
            for (int t = 0; t < turns; t++) {
                int i = c * turns + t;
                if (t > 0) {
                    at += Synthetic.exponential(think, thinkTime);
                }
                arrival[i] = at;
                userLen[i] = Synthetic.uniform(lengths, userLenMin, userLenMax);
                answerLen[i] = Synthetic.uniform(lengths, answerLenMin, answerLenMax);
            }
        }
        order = IntStream.range(0, n).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> arrival[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
    }

    /** The defaults with {@code given} over them (keys as in {@link #DEFAULTS}). */
    public static MultiTurnWorkload of(Map<String, ? extends Number> given) {
        Map<String, Number> p = Synthetic.merge(NAME, DEFAULTS, given);
        return new MultiTurnWorkload(p.get("conversations").intValue(), p.get("turns").intValue(),
                p.get("rate").doubleValue(), p.get("think_time").doubleValue(), p.get("system_prompt_len").intValue(),
                p.get("user_len_min").intValue(), p.get("user_len_max").intValue(), p.get("answer_len_min").intValue(),
                p.get("answer_len_max").intValue(), p.get("seed").longValue());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("conversations", conversations);
        p.put("turns", turns);
        p.put("rate", rate);
        p.put("think_time", thinkTime);
        p.put("system_prompt_len", systemPromptLen);
        p.put("user_len_min", userLenMin);
        p.put("user_len_max", userLenMax);
        p.put("answer_len_min", answerLenMin);
        p.put("answer_len_max", answerLenMax);
        p.put("seed", seed);
        return p;
    }

    @Override
    public int size() {
        return order.length;
    }

    @Override
    public Iterator<WorkloadRequest> requests() {
        return Synthetic.requests(order.length, n -> {
            int i = order[n];
            int c = i / turns;
            int t = i % turns;
            int first = c * turns;
            int length = systemPromptLen + userLen[i];
            for (int j = first; j < i; j++) {
                length += userLen[j] + answerLen[j];
            }
            int[] prompt = new int[length];
            int at = Synthetic.write(prompt, 0, seed, Synthetic.SYSTEM, 0, systemPromptLen);
            for (int j = first; j < i; j++) {
                at = Synthetic.write(prompt, at, seed, Synthetic.USER, j, userLen[j]);
                at = Synthetic.write(prompt, at, seed, Synthetic.ANSWER, j, answerLen[j]);
            }
            Synthetic.write(prompt, at, seed, Synthetic.USER, i, userLen[i]);
            return new WorkloadRequest(arrival[i], "c" + c + "-t" + t, prompt, answerLen[i], "conversation-" + c);
        });
    }

    /** The answer to turn {@code turn} of {@code conversation}: the tokens the next turn's prompt holds after this turn's. */
    public int[] answer(int conversation, int turn) {
        Synthetic.intIn(NAME, "conversation", conversation, 0, conversations - 1);
        Synthetic.intIn(NAME, "turn", turn, 0, turns - 1);
        int i = conversation * turns + turn;
        int[] out = new int[answerLen[i]];
        Synthetic.write(out, 0, seed, Synthetic.ANSWER, i, answerLen[i]);
        return out;
    }
}
