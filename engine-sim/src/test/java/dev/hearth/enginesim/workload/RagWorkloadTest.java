package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RagWorkloadTest {
    /** The token run at document slot {@code slot} of a prompt, as a key: equal keys, equal documents. */
    private static List<Integer> document(int[] prompt, int instructionLen, int documentLen, int slot) {
        int from = instructionLen + slot * documentLen;
        return Arrays.stream(prompt, from, from + documentLen).boxed().toList();
    }

    @Test
    void theSameSeedYieldsTheSameRequestsAndAnotherSeedOthers() {
        List<WorkloadRequest> a = Drain.all(RagWorkload.of(Map.of("documents", 2000, "zipf", 1.1, "seed", 7L)));
        Drain.assertSame(a, Drain.all(RagWorkload.of(Map.of("seed", 7L))));
        List<WorkloadRequest> b = Drain.all(RagWorkload.of(Map.of("seed", 8L)));
        assertEquals(a.size(), Drain.differentPrompts(a, b));
        Drain.assertTokensInRange(a);
        Drain.assertUniqueIds(a);
    }

    @Test
    void arrivalsAreAPoissonProcessAtTheRate() {
        List<WorkloadRequest> r = Drain.all(new RagWorkload(20_000, 4.0, 10, 1, 1, 1.1, 1, 1, 1, 3));
        Drain.assertArrivalsInOrderFromZero(r);
        double[] gaps = Drain.gaps(r);
        assertEquals(4.0, 1 / Drain.mean(gaps), 4.0 * 0.03, "mean rate");
        assertEquals(1.0, Drain.coefficientOfVariation(gaps), 0.03, "exponential gaps");
    }

    @Test
    void promptsAreTheInstructionThenDistinctDocumentsThenAQuestion() {
        RagWorkload w = new RagWorkload(500, 10.0, 50, 32, 3, 1.1, 16, 8, 5, 1);
        List<WorkloadRequest> r = Drain.all(w);
        Set<List<Integer>> corpus = new HashSet<>();
        for (WorkloadRequest x : r) {
            assertEquals(16 + 3 * 32 + 8, x.prompt().length);
            assertEquals(5, x.outputTokens());
            assertNull(x.sessionKey());
            assertTrue(Drain.startsWith(x.prompt(), Arrays.copyOf(r.get(0).prompt(), 16)), "the shared instruction");
            Set<List<Integer>> docs = new HashSet<>();
            for (int slot = 0; slot < 3; slot++) {
                docs.add(document(x.prompt(), 16, 32, slot));
            }
            assertEquals(3, docs.size(), "a request's documents are distinct");
            corpus.addAll(docs);
        }
        assertTrue(corpus.size() <= 50, "documents come from the corpus of 50: " + corpus.size());
        // Two prompts share the instruction, then exactly the documents they have in the same leading slots.
        for (int i = 1; i < r.size(); i++) {
            int[] p = r.get(i).prompt();
            int[] q = r.get(i - 1).prompt();
            int same = 0;
            while (same < 3 && document(p, 16, 32, same).equals(document(q, 16, 32, same))) {
                same++;
            }
            assertEquals(16 + same * 32, Drain.commonPrefix(p, q), "shared prefix of requests " + (i - 1) + " and " + i);
        }
    }

    @Test
    void theMostPopularDocumentAppearsFarMoreOftenThanTheMedianOne() {
        RagWorkload w = RagWorkload.of(Map.of());
        Map<List<Integer>, Integer> uses = new HashMap<>();
        int leadingTop = 0;
        List<WorkloadRequest> r = Drain.all(w);
        for (WorkloadRequest x : r) {
            for (int slot = 0; slot < 4; slot++) {
                uses.merge(document(x.prompt(), 64, 512, slot), 1, Integer::sum);
            }
        }
        int[] counts = new int[2000]; // every document of the corpus, the unused ones at 0
        int k = 0;
        for (int c : uses.values()) {
            counts[k++] = c;
        }
        Arrays.sort(counts);
        int top = counts[counts.length - 1];
        int median = counts[counts.length / 2];
        assertTrue(top > 50 * Math.max(1, median), "top " + top + " vs median " + median);
        // Zipf(1.1) over 2000 documents gives the first 17% of draws; it leads about that share of prompts.
        List<Integer> topDocument = uses.entrySet().stream().filter(e -> e.getValue() == top).findFirst().orElseThrow().getKey();
        for (WorkloadRequest x : r) {
            leadingTop += document(x.prompt(), 64, 512, 0).equals(topDocument) ? 1 : 0;
        }
        assertEquals(new Zipf(2000, 1.1).probability(0), leadingTop / 1000.0, 0.04, "prompts led by the top document");
    }

    @Test
    void parametersListEveryDefault() {
        RagWorkload w = RagWorkload.of(Map.of());
        Drain.assertParametersAreTheDefaults(w, RagWorkload.DEFAULTS);
        assertEquals(1000, w.size());
        assertEquals("rag", w.name());
    }

    @Test
    void outOfRangeParametersAreRefusedByName() {
        assertEquals("rag: top_k must be an integer in [1, 10], was 11",
                Drain.refusal(() -> RagWorkload.of(Map.of("documents", 10, "top_k", 11))));
        assertEquals("rag: documents must be an integer in [1, 1000000], was 0",
                Drain.refusal(() -> RagWorkload.of(Map.of("documents", 0))));
        assertEquals("rag: zipf must be a number in [0, 10], was 11.0",
                Drain.refusal(() -> RagWorkload.of(Map.of("zipf", 11.0))));
        assertEquals("rag has no parameter 'docs'; its parameters: requests, rate, documents, document_len, top_k, zipf, "
                + "instruction_len, question_len, output_len, seed", Drain.refusal(() -> RagWorkload.of(Map.of("docs", 3))));
    }
}
