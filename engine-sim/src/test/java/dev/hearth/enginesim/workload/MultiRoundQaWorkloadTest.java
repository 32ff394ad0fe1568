package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiRoundQaWorkloadTest {
    private static Map<String, List<WorkloadRequest>> byUser(List<WorkloadRequest> requests) {
        Map<String, List<WorkloadRequest>> out = new LinkedHashMap<>();
        for (WorkloadRequest r : requests) {
            assertNotNull(r.sessionKey(), "every request belongs to its user");
            out.computeIfAbsent(r.sessionKey(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static long arrivingIn(List<WorkloadRequest> requests, double from, double to) {
        return requests.stream().filter(r -> r.arrival() >= from && r.arrival() < to).count();
    }

    private static int round(WorkloadRequest r) {
        return Integer.parseInt(r.id().substring(r.id().indexOf("-r") + 2));
    }

    @Test
    void theSameSeedYieldsTheSameRequestsAndAnotherSeedOthers() {
        List<WorkloadRequest> a = Drain.all(MultiRoundQaWorkload.of(Map.of()));
        Drain.assertSame(a, Drain.all(MultiRoundQaWorkload.of(Map.of())));
        List<WorkloadRequest> b = Drain.all(MultiRoundQaWorkload.of(Map.of("seed", 3L)));
        assertEquals(a.size(), b.size(), "the schedule is LMCache's arithmetic, the seed makes the tokens");
        assertEquals(a.size(), Drain.differentPrompts(a, b));
        Drain.assertTokensInRange(a);
        Drain.assertUniqueIds(a);
    }

    @Test
    void aUsersNextRoundStartsWithTheirPreviousPromptThenTheAnswerAndANewQuestion() {
        List<WorkloadRequest> r = Drain.all(MultiRoundQaWorkload.of(Map.of()));
        Map<String, List<WorkloadRequest>> users = byUser(r);
        for (List<WorkloadRequest> rounds : users.values()) {
            assertEquals(1000 + 2000 + 20, rounds.get(0).prompt().length, "system prompt, user history, question");
            for (int i = 0; i + 1 < rounds.size(); i++) {
                int[] prompt = rounds.get(i).prompt();
                int[] next = rounds.get(i + 1).prompt();
                assertEquals(100, rounds.get(i).outputTokens());
                assertEquals(round(rounds.get(i)) + 1, round(rounds.get(i + 1)), "rounds in order");
                assertTrue(Drain.startsWith(next, prompt), "round r+1 starts with round r's prompt");
                assertEquals(prompt.length + 100 + 20, next.length, "then a 100-token answer and a 20-token question");
            }
        }
        // Users share the system prompt, then each has a history of their own.
        List<int[]> firsts = users.values().stream().map(u -> u.get(0).prompt()).toList();
        for (int i = 1; i < firsts.size(); i++) {
            assertEquals(1000, Drain.commonPrefix(firsts.get(0), firsts.get(i)));
        }
    }

    @Test
    void usersAskEveryNumUsersOverQpsSecondsAndTheLoadIsSteadyFromTheStart() {
        List<WorkloadRequest> r = Drain.all(MultiRoundQaWorkload.of(Map.of()));
        Drain.assertArrivalsInOrderFromZero(r);
        for (List<WorkloadRequest> rounds : byUser(r).values()) {
            for (int i = 1; i < rounds.size(); i++) {
                assertEquals(20.0, rounds.get(i).arrival() - rounds.get(i - 1).arrival(), 1e-9, "10 users / 0.5 qps");
            }
        }
        double offered = 0.5 * 5 / 4; // LMCache's arithmetic: qps x rounds / (rounds - 1)
        assertEquals(offered * 600, arrivingIn(r, 200, 800), offered * 600 * 0.05, "steady state");
        assertEquals(offered * 40, arrivingIn(r, 0, 40), offered * 40 * 0.15, "already at the start (ramp-up)");
        assertEquals(offered * 1000, r.size(), offered * 1000 * 0.05, "over the whole run");
        long active = byUser(r).values().stream()
                .filter(u -> u.get(0).arrival() <= 490 && u.get(u.size() - 1).arrival() > 490).count();
        assertEquals(10, active, 1, "about num_users users between their first and last round at once");
        assertTrue(r.stream().anyMatch(x -> x.arrival() < 20 && round(x) > 1), "ramp-up users are part-way through");
        assertTrue(r.stream().allMatch(x -> x.arrival() < 1000), "the run stops at time");
    }

    @Test
    void theOfferedRateFollowsQps() {
        List<WorkloadRequest> r = Drain.all(new MultiRoundQaWorkload(40, 3, 8.0, 10, 10, 5, 5, 500.0, 2));
        double offered = 8.0 * 3 / 2;
        assertEquals(offered * 500, r.size(), offered * 500 * 0.03);
        for (List<WorkloadRequest> rounds : byUser(r).values()) {
            for (int i = 1; i < rounds.size(); i++) {
                assertEquals(5.0, rounds.get(i).arrival() - rounds.get(i - 1).arrival(), 1e-9, "40 users / 8 qps");
            }
        }
    }

    @Test
    void parametersListEveryDefault() {
        MultiRoundQaWorkload w = MultiRoundQaWorkload.of(Map.of());
        Drain.assertParametersAreTheDefaults(w, MultiRoundQaWorkload.DEFAULTS);
        assertEquals("multi-round-qa", w.name());
    }

    @Test
    void outOfRangeParametersAreRefusedByName() {
        assertEquals("multi-round-qa: num_rounds must be an integer in [2, 1000], was 1",
                Drain.refusal(() -> MultiRoundQaWorkload.of(Map.of("num_rounds", 1))));
        assertEquals("multi-round-qa: qps must be a number in (0, 1000000], was -0.5",
                Drain.refusal(() -> MultiRoundQaWorkload.of(Map.of("qps", -0.5))));
        assertEquals("multi-round-qa: time must be a number in (0, 10000000], was 0.0",
                Drain.refusal(() -> MultiRoundQaWorkload.of(Map.of("time", 0.0))));
        assertTrue(Drain.refusal(() -> MultiRoundQaWorkload.of(Map.of("qps", 100_000.0, "time", 10_000_000.0)))
                .startsWith("multi-round-qa: num_users, num_rounds, qps and time ask for about"));
    }
}
