package dev.hearth.enginesim.workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LMCache's multi-round QA benchmark (LMCache/LMCache, {@code benchmarks/multi-round-qa/multi-round-qa.py}):
 * users chat for {@code num_rounds} rounds; a user's first prompt is the {@code shared_system_prompt}
 * every user shares, then {@code user_history_prompt} tokens of their own context, then a question; each
 * later round adds the previous answer ({@code answer_len} tokens) and a new question to the history,
 * so round r+1's prompt starts with round r's whole prompt. LMCache's question is one short sentence;
 * here it is {@code question_len} tokens (20 by default). The timing is LMCache's
 * {@code UserSessionManager}: a user asks every {@code num_users / qps} seconds, a new user joins every
 * {@code (num_users / qps) x (num_rounds - 1) / num_users} seconds so about {@code num_users} are active
 * at once, and the run starts in that steady state (LMCache's ramp-up: {@code num_users} users already
 * part-way through their conversations, whose first request carries no earlier rounds) and stops at
 * {@code time} seconds (LMCache's {@code --time}). Arrivals are therefore periodic, not Poisson, and by
 * LMCache's arithmetic the offered rate is {@code qps x num_rounds / (num_rounds - 1)}. LMCache also
 * waits for a user's previous answer before the next question, which a workload without a server
 * cannot. LMCache has no defaults (every argument is required); these are its README's example
 * (10 users, 5 rounds, qps 0.5, 1000-token system prompt, 2000-token user history, 100-token answers),
 * with a 1000-second run. The session key is the user.
 */
public final class MultiRoundQaWorkload implements Workload {
    public static final String NAME = "multi-round-qa";
    public static final Map<String, Number> DEFAULTS = Synthetic.ordered(
            "num_users", 10,
            "num_rounds", 5,
            "qps", 0.5,
            "shared_system_prompt", 1000,
            "user_history_prompt", 2000,
            "question_len", 20,
            "answer_len", 100,
            "time", 1000.0,
            "seed", 1L);

    private final int numUsers;
    private final int numRounds;
    private final double qps;
    private final int sharedSystemPrompt;
    private final int userHistoryPrompt;
    private final int questionLen;
    private final int answerLen;
    private final double time;
    private final long seed;
    // The schedule, in arrival order: small next to the prompts, which are made on demand.
    private final double[] arrival;
    private final int[] user;
    private final int[] round;      // 1-based, as LMCache numbers its questions
    private final int[] firstRound; // the first round the user sent (after 1 only for users of the ramp-up)

    public MultiRoundQaWorkload(int numUsers, int numRounds, double qps, int sharedSystemPrompt, int userHistoryPrompt,
                                int questionLen, int answerLen, double time, long seed) {
        this.numUsers = Synthetic.intIn(NAME, "num_users", numUsers, 1, 1_000_000);
        this.numRounds = Synthetic.intIn(NAME, "num_rounds", numRounds, 2, 1000);
        this.qps = Synthetic.numberIn(NAME, "qps", qps, 0, true, 1e6);
        this.sharedSystemPrompt = Synthetic.intIn(NAME, "shared_system_prompt", sharedSystemPrompt, 0, Synthetic.MAX_LEN);
        this.userHistoryPrompt = Synthetic.intIn(NAME, "user_history_prompt", userHistoryPrompt, 0, Synthetic.MAX_LEN);
        this.questionLen = Synthetic.intIn(NAME, "question_len", questionLen, 1, Synthetic.MAX_LEN);
        this.answerLen = Synthetic.intIn(NAME, "answer_len", answerLen, 1, Synthetic.MAX_LEN);
        this.time = Synthetic.numberIn(NAME, "time", time, 0, true, 1e7);
        this.seed = seed;

        double gapRequests = numUsers / qps;
        double gapUsers = gapRequests * (numRounds - 1) / numUsers;
        double expected = (numUsers + time / gapUsers) * numRounds;
        if (expected > Synthetic.MAX_COUNT) {
            throw new IllegalArgumentException(NAME + ": num_users, num_rounds, qps and time ask for about "
                    + (long) expected + " requests, at most " + Synthetic.MAX_COUNT);
        }
        record Entry(double arrival, int user, int round, int firstRound) {}
        List<Entry> entries = new ArrayList<>();
        // The ramp-up: user i (ids 1..num_users) joined (num_users - i) user gaps ago and has asked as many
        // questions as fit since; one that has asked them all is done and sends nothing.
        for (int i = 0; i < numUsers; i++) {
            int passed = (int) ((long) (numUsers - i) * (numRounds - 1) / numUsers) + 1;
            double next = gapRequests * passed - (numUsers - i) * gapUsers;
            for (int q = passed + 1; q <= numRounds && next < time; q++, next += gapRequests) {
                entries.add(new Entry(next, i + 1, q, passed + 1));
            }
        }
        // Then a new user joins at 0 and every user gap after, and asks round 1 at once.
        int id = numUsers + 1;
        for (long k = 0; k * gapUsers < time; k++, id++) {
            double join = k * gapUsers;
            for (int q = 1; q <= numRounds && join + (q - 1) * gapRequests < time; q++) {
                entries.add(new Entry(join + (q - 1) * gapRequests, id, q, 1));
            }
        }
        entries.sort(Comparator.comparingDouble(Entry::arrival).thenComparingInt(Entry::user));
        int n = entries.size();
        arrival = new double[n];
        user = new int[n];
        round = new int[n];
        firstRound = new int[n];
        for (int i = 0; i < n; i++) {
            Entry e = entries.get(i);
            arrival[i] = e.arrival();
            user[i] = e.user();
            round[i] = e.round();
            firstRound[i] = e.firstRound();
        }
    }

    /** The defaults with {@code given} over them (keys as in {@link #DEFAULTS}). */
    public static MultiRoundQaWorkload of(Map<String, ? extends Number> given) {
        Map<String, Number> p = Synthetic.merge(NAME, DEFAULTS, given);
        return new MultiRoundQaWorkload(p.get("num_users").intValue(), p.get("num_rounds").intValue(),
                p.get("qps").doubleValue(), p.get("shared_system_prompt").intValue(),
                p.get("user_history_prompt").intValue(), p.get("question_len").intValue(), p.get("answer_len").intValue(),
                p.get("time").doubleValue(), p.get("seed").longValue());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("num_users", numUsers);
        p.put("num_rounds", numRounds);
        p.put("qps", qps);
        p.put("shared_system_prompt", sharedSystemPrompt);
        p.put("user_history_prompt", userHistoryPrompt);
        p.put("question_len", questionLen);
        p.put("answer_len", answerLen);
        p.put("time", time);
        p.put("seed", seed);
        return p;
    }

    @Override
    public int size() {
        return arrival.length;
    }

    @Override
    public Iterator<WorkloadRequest> requests() {
        return Synthetic.requests(arrival.length, i -> {
            int u = user[i];
            int rounds = round[i] - firstRound[i];
            int[] prompt = new int[sharedSystemPrompt + userHistoryPrompt + rounds * (questionLen + answerLen) + questionLen];
            int at = Synthetic.write(prompt, 0, seed, Synthetic.SYSTEM, 0, sharedSystemPrompt);
            at = Synthetic.write(prompt, at, seed, Synthetic.USER_INFO, u, userHistoryPrompt);
            for (int q = firstRound[i]; q < round[i]; q++) {
                at = Synthetic.write(prompt, at, seed, Synthetic.QUESTION, run(u, q), questionLen);
                at = Synthetic.write(prompt, at, seed, Synthetic.ANSWER, run(u, q), answerLen);
            }
            Synthetic.write(prompt, at, seed, Synthetic.QUESTION, run(u, round[i]), questionLen);
            return new WorkloadRequest(arrival[i], "u" + u + "-r" + round[i], prompt, answerLen, "user-" + u);
        });
    }

    private long run(int user, int round) {
        return (long) user * (numRounds + 1) + round;
    }
}
