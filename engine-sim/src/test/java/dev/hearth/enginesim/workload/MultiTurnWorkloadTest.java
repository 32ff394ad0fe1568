package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiTurnWorkloadTest {
    /** Each conversation's requests, in the order they arrive (its turns' order), by session key. */
    private static Map<String, List<WorkloadRequest>> bySession(List<WorkloadRequest> requests) {
        Map<String, List<WorkloadRequest>> out = new LinkedHashMap<>();
        for (WorkloadRequest r : requests) {
            assertNotNull(r.sessionKey(), "every turn belongs to its conversation");
            out.computeIfAbsent(r.sessionKey(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    @Test
    void theSameSeedYieldsTheSameRequestsAndAnotherSeedOthers() {
        List<WorkloadRequest> a = Drain.all(MultiTurnWorkload.of(Map.of()));
        Drain.assertSame(a, Drain.all(MultiTurnWorkload.of(Map.of())));
        List<WorkloadRequest> b = Drain.all(MultiTurnWorkload.of(Map.of("seed", 5L)));
        assertEquals(a.size(), Drain.differentPrompts(a, b));
        Drain.assertTokensInRange(a);
        Drain.assertUniqueIds(a);
    }

    @Test
    void eachTurnsPromptIsThePreviousPromptThenItsAnswerThenANewUserMessage() {
        MultiTurnWorkload w = MultiTurnWorkload.of(Map.of("conversations", 50));
        List<WorkloadRequest> r = Drain.all(w);
        Drain.assertArrivalsInOrderFromZero(r);
        Map<String, List<WorkloadRequest>> conversations = bySession(r);
        assertEquals(50, conversations.size());
        for (int c = 0; c < 50; c++) {
            List<WorkloadRequest> turns = conversations.get("conversation-" + c);
            assertEquals(6, turns.size(), "six turns");
            int[] first = turns.get(0).prompt();
            assertTrue(first.length >= 500 + 120 && first.length <= 500 + 160, "system prompt and a user message");
            for (int t = 0; t + 1 < turns.size(); t++) {
                int[] prompt = turns.get(t).prompt();
                int[] next = turns.get(t + 1).prompt();
                int[] answer = w.answer(c, t);
                assertEquals(turns.get(t).outputTokens(), answer.length, "the request generates its answer's length");
                assertTrue(answer.length >= 80 && answer.length <= 120);
                assertTrue(Drain.startsWith(next, prompt), "turn " + (t + 1) + " starts with turn " + t + "'s prompt");
                assertArrayEquals(answer, Arrays.copyOfRange(next, prompt.length, prompt.length + answer.length),
                        "then turn " + t + "'s answer");
                int user = next.length - prompt.length - answer.length;
                assertTrue(user >= 120 && user <= 160, "then a new user message of 120 to 160 tokens: " + user);
            }
        }
        // Conversations share the system prompt and nothing more.
        int[] a = conversations.get("conversation-0").get(0).prompt();
        for (int c = 1; c < 50; c++) {
            assertEquals(500, Drain.commonPrefix(a, conversations.get("conversation-" + c).get(0).prompt()));
        }
    }

    @Test
    void conversationsStartAtTheRateAndTheirTurnsComeAThinkTimeApart() {
        List<WorkloadRequest> r = Drain.all(new MultiTurnWorkload(4000, 3, 5.0, 2.0, 1, 1, 1, 1, 1, 13));
        Drain.assertArrivalsInOrderFromZero(r);
        Map<String, List<WorkloadRequest>> conversations = bySession(r);
        double[] starts = new double[4000];
        List<Double> think = new ArrayList<>();
        for (int c = 0; c < 4000; c++) {
            List<WorkloadRequest> turns = conversations.get("conversation-" + c);
            starts[c] = turns.get(0).arrival();
            for (int t = 1; t < turns.size(); t++) {
                think.add(turns.get(t).arrival() - turns.get(t - 1).arrival());
            }
        }
        double[] startGaps = new double[3999];
        for (int c = 1; c < 4000; c++) {
            startGaps[c - 1] = starts[c] - starts[c - 1];
            assertTrue(startGaps[c - 1] >= 0, "conversations start in order");
        }
        assertEquals(5.0, 1 / Drain.mean(startGaps), 5.0 * 0.04, "conversations start at the rate");
        assertEquals(1.0, Drain.coefficientOfVariation(startGaps), 0.05, "as a Poisson process");
        assertEquals(2.0, think.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), 2.0 * 0.04,
                "mean think time");
    }

    @Test
    void turnsOfDifferentConversationsInterleave() {
        List<WorkloadRequest> r = Drain.all(MultiTurnWorkload.of(Map.of()));
        int switches = 0;
        for (int i = 1; i < r.size(); i++) {
            switches += r.get(i).sessionKey().equals(r.get(i - 1).sessionKey()) ? 0 : 1;
        }
        assertTrue(switches > r.size() * 0.9, "consecutive requests mostly belong to different conversations: " + switches);
        // Some conversation has another's turn between two of its own.
        String first = r.get(0).sessionKey();
        int firstTurns = 0;
        boolean other = false;
        for (WorkloadRequest x : r) {
            if (x.sessionKey().equals(first)) {
                firstTurns++;
                if (firstTurns == 2) {
                    break;
                }
            } else if (firstTurns == 1) {
                other = true;
            }
        }
        assertTrue(other, "another conversation's turn comes between the first conversation's first two");
    }

    @Test
    void parametersListEveryDefault() {
        MultiTurnWorkload w = MultiTurnWorkload.of(Map.of());
        Drain.assertParametersAreTheDefaults(w, MultiTurnWorkload.DEFAULTS);
        assertEquals(200 * 6, w.size());
        assertEquals("multi-turn", w.name());
    }

    @Test
    void outOfRangeParametersAreRefusedByName() {
        assertEquals("multi-turn: turns must be an integer in [1, 1000], was 0",
                Drain.refusal(() -> MultiTurnWorkload.of(Map.of("turns", 0))));
        assertEquals("multi-turn: think_time must be a number in [0, 1000000], was -1.0",
                Drain.refusal(() -> MultiTurnWorkload.of(Map.of("think_time", -1.0))));
        assertEquals("multi-turn: answer_len_min (200) must not exceed answer_len_max (120)",
                Drain.refusal(() -> MultiTurnWorkload.of(Map.of("answer_len_min", 200))));
        assertEquals("multi-turn: conversations x turns must be at most 10000000, was 20000000",
                Drain.refusal(() -> MultiTurnWorkload.of(Map.of("conversations", 100_000, "turns", 200))));
        assertEquals("multi-turn: turn must be an integer in [0, 5], was 6",
                Drain.refusal(() -> MultiTurnWorkload.of(Map.of()).answer(0, 6)));
    }
}
