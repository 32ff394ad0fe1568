package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
    @Test
    void everyNameParsesToItsGeneratorWithItsDefaults() {
        assertEquals(List.of("system-prompt", "rag", "multi-turn", "generated-shared-prefix", "multi-round-qa"), Workloads.NAMES);
        for (String name : Workloads.NAMES) {
            Workload w = Workloads.parse(name);
            assertEquals(name, w.name());
            Drain.assertParametersAreTheDefaults(w, Workloads.defaults(name));
            assertTrue(w.parameters().containsKey("seed"), name + " prints its seed");
            assertTrue(w.parameters().keySet().stream().allMatch(k -> k.matches("[a-z]+(_[a-z]+)*")), "snake_case keys");
            assertTrue(w.size() >= 300 && w.size() <= 2000, name + " has a few hundred to 2000 requests: " + w.size());
            Drain.assertSame(Drain.all(w), Drain.all(Workloads.parse(name + ":")));
        }
    }

    @Test
    void givenParametersOverrideTheDefaultsAndTheRestStay() {
        Workload rag = Workloads.parse("rag:documents=2000,zipf=1.1,seed=7");
        assertEquals(2000, rag.parameters().get("documents"));
        assertEquals(1.1, rag.parameters().get("zipf"));
        assertEquals(7L, rag.parameters().get("seed"));
        assertEquals(RagWorkload.DEFAULTS.get("top_k"), rag.parameters().get("top_k"));
        Drain.assertSame(Drain.all(rag), Drain.all(RagWorkload.of(Map.of("seed", 7L))));

        Workload chat = Workloads.parse("multi-turn:conversations=200,turns=6");
        assertEquals(1200, chat.size());
        Workload spaced = Workloads.parse(" multi-turn : conversations = 20 , think-time=3 ");
        assertEquals(20, spaced.parameters().get("conversations"));
        assertEquals(3.0, spaced.parameters().get("think_time"), "a hyphen reads as an underscore");
        assertEquals(2.0, Workloads.parse("rag:rate=2").parameters().get("rate"), "an integer is a number");
    }

    @Test
    void anUnknownNameIsRefusedWithTheNames() {
        assertEquals("unknown workload 'chat'; one of: system-prompt, rag, multi-turn, generated-shared-prefix, multi-round-qa",
                Drain.refusal(() -> Workloads.parse("chat:turns=3")));
        assertEquals("no workload named; one of: system-prompt, rag, multi-turn, generated-shared-prefix, multi-round-qa",
                Drain.refusal(() -> Workloads.parse(" ")));
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKeys() {
        assertEquals("generated-shared-prefix has no parameter 'groups'; its parameters: num_groups, prompts_per_group, "
                + "system_prompt_len, question_len, output_len, range_ratio, rate, seed",
                Drain.refusal(() -> Workloads.parse("generated-shared-prefix:groups=4")));
        assertEquals("rag: expected key=value, got 'documents'; parameters: requests, rate, documents, document_len, top_k, "
                + "zipf, instruction_len, question_len, output_len, seed", Drain.refusal(() -> Workloads.parse("rag:documents")));
        assertEquals("rag: documents is given twice", Drain.refusal(() -> Workloads.parse("rag:documents=5,documents=6")));
    }

    @Test
    void aValueThatIsNotANumberIsRefused() {
        assertEquals("rag: documents must be an integer, was 'many'", Drain.refusal(() -> Workloads.parse("rag:documents=many")));
        assertEquals("rag: documents must be an integer, was '2.5'", Drain.refusal(() -> Workloads.parse("rag:documents=2.5")));
        assertEquals("rag: zipf must be a number, was 'steep'", Drain.refusal(() -> Workloads.parse("rag:zipf=steep")));
        assertEquals("rag: zipf must be a number, was 'NaN'", Drain.refusal(() -> Workloads.parse("rag:zipf=NaN")));
        assertEquals("multi-round-qa: seed must be an integer, was '1.5'",
                Drain.refusal(() -> Workloads.parse("multi-round-qa:seed=1.5")));
        assertEquals("rag: documents is out of range, was '99999999999'",
                Drain.refusal(() -> Workloads.parse("rag:documents=99999999999")));
    }

    @Test
    void aValueOutOfRangeIsRefusedWithTheRange() {
        assertEquals("rag: documents must be an integer in [1, 1000000], was 0", Drain.refusal(() -> Workloads.parse("rag:documents=0")));
        assertEquals("multi-turn: rate must be a number in (0, 1000000], was -2.0",
                Drain.refusal(() -> Workloads.parse("multi-turn:rate=-2")));
        assertEquals("generated-shared-prefix: range_ratio must be a number in [0, 1], was 2.0",
                Drain.refusal(() -> Workloads.parse("generated-shared-prefix:range_ratio=2")));
        assertEquals("system-prompt: question_len_max must be an integer in [1, 131072], was 0",
                Drain.refusal(() -> Workloads.parse("system-prompt:question_len_max=0")));
        assertEquals("multi-round-qa: num_users must be an integer in [1, 1000000], was -1",
                Drain.refusal(() -> Workloads.parse("multi-round-qa:num_users=-1")));
    }
}
