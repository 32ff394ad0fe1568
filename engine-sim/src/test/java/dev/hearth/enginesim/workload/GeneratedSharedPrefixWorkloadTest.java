package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeneratedSharedPrefixWorkloadTest {
    /** Requests grouped by the system prompt they start with, known to be {@code systemLen} tokens long. */
    private static Map<List<Integer>, List<WorkloadRequest>> groups(List<WorkloadRequest> requests, int systemLen) {
        Map<List<Integer>, List<WorkloadRequest>> out = new LinkedHashMap<>();
        for (WorkloadRequest r : requests) {
            out.computeIfAbsent(Arrays.stream(r.prompt(), 0, systemLen).boxed().toList(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    @Test
    void theSameSeedYieldsTheSameRequestsAndAnotherSeedOthers() {
        List<WorkloadRequest> a = Drain.all(GeneratedSharedPrefixWorkload.of(Map.of()));
        Drain.assertSame(a, Drain.all(GeneratedSharedPrefixWorkload.of(Map.of("seed", 1L))));
        List<WorkloadRequest> b = Drain.all(GeneratedSharedPrefixWorkload.of(Map.of("seed", 2L)));
        assertEquals(a.size(), Drain.differentPrompts(a, b));
        Drain.assertTokensInRange(a);
        Drain.assertUniqueIds(a);
    }

    @Test
    void promptsOfAGroupShareExactlyTheSystemPrompt() {
        List<WorkloadRequest> r = Drain.all(GeneratedSharedPrefixWorkload.of(Map.of()));
        Map<List<Integer>, List<WorkloadRequest>> groups = groups(r, 2048);
        assertEquals(64, groups.size(), "64 groups");
        for (List<WorkloadRequest> group : groups.values()) {
            assertEquals(16, group.size(), "16 prompts each");
            for (int i = 0; i < group.size(); i++) {
                assertEquals(2048 + 128, group.get(i).prompt().length);
                assertEquals(256, group.get(i).outputTokens());
                assertNull(group.get(i).sessionKey());
                for (int j = 0; j < i; j++) {
                    assertEquals(2048, Drain.commonPrefix(group.get(i).prompt(), group.get(j).prompt()),
                            "prompts of a group share the system prompt, not a token more");
                }
            }
        }
        List<int[]> firsts = groups.values().stream().map(g -> g.get(0).prompt()).toList();
        for (int i = 1; i < firsts.size(); i++) {
            assertEquals(0, Drain.commonPrefix(firsts.get(0), firsts.get(i)), "groups share nothing");
        }
    }

    @Test
    void requestsAreShuffledAcrossGroupsAndArriveAtTheRate() {
        List<WorkloadRequest> r = Drain.all(GeneratedSharedPrefixWorkload.of(Map.of()));
        assertTrue(groups(r.subList(0, 16), 2048).size() > 8, "the first 16 requests are not one group");
        Drain.assertArrivalsInOrderFromZero(r);
        List<WorkloadRequest> many = Drain.all(new GeneratedSharedPrefixWorkload(100, 200, 1, 1, 1, 1.0, 40.0, 3));
        double[] gaps = Drain.gaps(many);
        assertEquals(40.0, 1 / Drain.mean(gaps), 40.0 * 0.03, "mean rate");
        assertEquals(1.0, Drain.coefficientOfVariation(gaps), 0.03, "exponential gaps");
    }

    @Test
    void aRangeRatioBelowOneDrawsLengthsAsSglangDoes() {
        GeneratedSharedPrefixWorkload w = new GeneratedSharedPrefixWorkload(8, 50, 400, 100, 60, 0.5, 10.0, 4);
        List<WorkloadRequest> r = Drain.all(w);
        int[] out = r.stream().mapToInt(WorkloadRequest::outputTokens).toArray();
        assertTrue(Arrays.stream(out).allMatch(n -> n >= 30 && n <= 60), "outputs in [30, 60]");
        assertTrue(Arrays.stream(out).distinct().count() > 20, "and spread over it");
        // Group members share one system prompt of a length in [200, 400]; questions of [50, 100] follow it.
        Set<Integer> systemLens = new HashSet<>();
        for (int i = 0; i < r.size(); i++) {
            int shared = 0;
            for (int j = 0; j < r.size(); j++) {
                if (j != i) {
                    shared = Math.max(shared, Drain.commonPrefix(r.get(i).prompt(), r.get(j).prompt()));
                }
            }
            int question = r.get(i).prompt().length - shared;
            assertTrue(shared >= 200 && shared <= 400, "system prompt of " + shared);
            assertTrue(question >= 50 && question <= 100, "question of " + question);
            systemLens.add(shared);
        }
        assertTrue(systemLens.size() > 1 && systemLens.size() <= 8, "eight system prompts, of several lengths");
    }

    @Test
    void parametersAreSglangsNamesAndDefaults() {
        GeneratedSharedPrefixWorkload w = GeneratedSharedPrefixWorkload.of(Map.of());
        Drain.assertParametersAreTheDefaults(w, GeneratedSharedPrefixWorkload.DEFAULTS);
        assertEquals(List.of(64, 16, 2048, 128, 256, 1.0), List.copyOf(w.parameters().values()).subList(0, 6));
        assertEquals(64 * 16, w.size());
        assertEquals("generated-shared-prefix", w.name());
    }

    @Test
    void outOfRangeParametersAreRefusedByName() {
        assertEquals("generated-shared-prefix: range_ratio must be a number in [0, 1], was 1.5",
                Drain.refusal(() -> GeneratedSharedPrefixWorkload.of(Map.of("range_ratio", 1.5))));
        assertEquals("generated-shared-prefix: num_groups must be an integer in [1, 1000000], was 0",
                Drain.refusal(() -> GeneratedSharedPrefixWorkload.of(Map.of("num_groups", 0))));
        assertEquals("generated-shared-prefix: system_prompt_len must be an integer in [1, 131072], was 200000",
                Drain.refusal(() -> GeneratedSharedPrefixWorkload.of(Map.of("system_prompt_len", 200_000))));
        assertEquals("generated-shared-prefix: num_groups x prompts_per_group must be at most 10000000, was 16000000",
                Drain.refusal(() -> GeneratedSharedPrefixWorkload.of(Map.of("num_groups", 1_000_000))));
    }
}
