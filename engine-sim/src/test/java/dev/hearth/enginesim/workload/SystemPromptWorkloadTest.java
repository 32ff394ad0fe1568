package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SystemPromptWorkloadTest {
    private static SystemPromptWorkload small(int requests, double zipf, long seed) {
        return new SystemPromptWorkload(requests, 10.0, 5, 64, 8, 24, 16, zipf, seed);
    }

    /** Requests by the system prompt they start with (its first {@code length} tokens). */
    private static Map<List<Integer>, Integer> countBySystemPrompt(List<WorkloadRequest> requests, int length) {
        Map<List<Integer>, Integer> count = new HashMap<>();
        for (WorkloadRequest r : requests) {
            count.merge(Arrays.stream(r.prompt(), 0, length).boxed().toList(), 1, Integer::sum);
        }
        return count;
    }

    @Test
    void theSameSeedYieldsTheSameRequestsAndAnotherSeedOthers() {
        List<WorkloadRequest> a = Drain.all(SystemPromptWorkload.of(Map.of()));
        Drain.assertSame(a, Drain.all(SystemPromptWorkload.of(Map.of())));
        SystemPromptWorkload w = SystemPromptWorkload.of(Map.of("seed", 2L));
        Drain.assertSame(Drain.all(w), Drain.all(w)); // each iterator starts afresh
        List<WorkloadRequest> b = Drain.all(w);
        assertEquals(a.size(), Drain.differentPrompts(a, b), "every prompt changes with the seed");
        assertNotEquals(a.get(1).arrival(), b.get(1).arrival());
        Drain.assertTokensInRange(a);
        Drain.assertUniqueIds(a);
    }

    @Test
    void arrivalsAreAPoissonProcessAtTheRate() {
        List<WorkloadRequest> r = Drain.all(new SystemPromptWorkload(20_000, 25.0, 2, 1, 1, 1, 1, 0, 9));
        Drain.assertArrivalsInOrderFromZero(r);
        double[] gaps = Drain.gaps(r);
        assertEquals(25.0, 1 / Drain.mean(gaps), 25.0 * 0.03, "mean rate");
        assertEquals(1.0, Drain.coefficientOfVariation(gaps), 0.03, "exponential gaps");
    }

    @Test
    void eachPromptIsOneOfTheSystemPromptsThenAQuestionOfItsOwn() {
        SystemPromptWorkload w = small(2000, 0, 4);
        List<WorkloadRequest> r = Drain.all(w);
        Map<List<Integer>, Integer> bySystem = countBySystemPrompt(r, 64);
        assertEquals(5, bySystem.size(), "five system prompts");
        for (int count : bySystem.values()) {
            assertEquals(400, count, 60, "chosen uniformly");
        }
        for (int i = 0; i < r.size(); i++) {
            WorkloadRequest x = r.get(i);
            assertTrue(x.prompt().length >= 64 + 8 && x.prompt().length <= 64 + 24, "question of 8 to 24 tokens");
            assertEquals(16, x.outputTokens());
            assertNull(x.sessionKey());
            if (i > 0) {
                int shared = Drain.commonPrefix(x.prompt(), r.get(i - 1).prompt());
                boolean sameSystem = Arrays.equals(x.prompt(), 0, 64, r.get(i - 1).prompt(), 0, 64);
                assertEquals(sameSystem ? 64 : 0, shared, "prompts share their system prompt exactly, or nothing");
            }
        }
    }

    @Test
    void popularityFollowsZipfWhenAsked() {
        List<WorkloadRequest> r = Drain.all(small(20_000, 1.0, 4));
        Integer[] counts = countBySystemPrompt(r, 64).values().toArray(Integer[]::new);
        Arrays.sort(counts, (a, b) -> b - a);
        double top = 1 / (1 + 1 / 2.0 + 1 / 3.0 + 1 / 4.0 + 1 / 5.0); // weights 1/(i+1)
        assertEquals(top, counts[0] / 20_000.0, 0.015, "the most popular prompt's share");
        assertEquals(2.0, (double) counts[0] / counts[1], 0.2, "twice as popular as the second");
        assertEquals(5.0, (double) counts[0] / counts[4], 0.6, "five times the fifth");
    }

    @Test
    void parametersListEveryDefault() {
        Drain.assertParametersAreTheDefaults(SystemPromptWorkload.of(Map.of()), SystemPromptWorkload.DEFAULTS);
        SystemPromptWorkload w = SystemPromptWorkload.of(Map.of());
        assertEquals(1000, w.size());
        assertEquals("system-prompt", w.name());
    }

    @Test
    void outOfRangeParametersAreRefusedByName() {
        assertEquals("system-prompt: system_prompts must be an integer in [1, 100000], was 0",
                Drain.refusal(() -> SystemPromptWorkload.of(Map.of("system_prompts", 0))));
        assertEquals("system-prompt: rate must be a number in (0, 1000000], was 0.0",
                Drain.refusal(() -> SystemPromptWorkload.of(Map.of("rate", 0.0))));
        assertEquals("system-prompt: question_len_min (400) must not exceed question_len_max (384)",
                Drain.refusal(() -> SystemPromptWorkload.of(Map.of("question_len_min", 400))));
        assertEquals("system-prompt: zipf must be a number in [0, 10], was -1.0",
                Drain.refusal(() -> SystemPromptWorkload.of(Map.of("zipf", -1.0))));
        assertEquals("system-prompt: requests must be an integer, was 2.5",
                Drain.refusal(() -> SystemPromptWorkload.of(Map.of("requests", 2.5))));
    }
}
