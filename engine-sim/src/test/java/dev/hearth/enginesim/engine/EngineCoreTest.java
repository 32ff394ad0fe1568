package dev.hearth.enginesim.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.router.tokens.SimTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class EngineCoreTest {
    private final SimTokenizer tokenizer = new SimTokenizer();

    private static EngineCore engine(EngineLimits limits, boolean reasoning) {
        return new EngineCore(Profiles.H100_LLAMA3_8B, limits, reasoning, new SimTokenizer(), false);
    }

    private static int[] prompt(int shared, int unique, int seed) {
        int[] p = new int[shared + unique];
        for (int i = 0; i < shared; i++) {
            p[i] = 100 + i;
        }
        for (int i = shared; i < p.length; i++) {
            p[i] = 50_000 + seed * 10_000 + i;
        }
        return p;
    }

    /** Collects every output of every request. */
    static final class Sink implements OutputListener {
        final Map<String, List<Output>> outputs = new ConcurrentHashMap<>();

        @Override
        public void onOutput(Output o) {
            outputs.computeIfAbsent(o.requestId(), k -> new ArrayList<>()).add(o);
        }

        Output last(String id) {
            List<Output> l = outputs.get(id);
            return l.get(l.size() - 1);
        }

        double ttft(String id, double arrival) {
            return outputs.get(id).get(0).time() - arrival;
        }
    }

    @Test
    void sharedPrefixIsReusedAndCutsTimeToFirstToken() {
        EngineCore e = engine(new EngineLimits(16, 1_000, 8_192, 256, 8_192), false);
        Sink sink = new Sink();
        double end = new Replay(e).run(List.of(
                new Replay.Arrival(0, "a", prompt(2_000, 30, 1), null, Sampling.maxTokens(8), sink),
                new Replay.Arrival(10, "b", prompt(2_000, 30, 2), null, Sampling.maxTokens(8), sink)));
        assertTrue(end > 10);
        assertEquals(0, sink.last("a").cachedTokens());
        assertEquals(2_000, sink.last("b").cachedTokens(), "the 125 full blocks of the 2,000 shared tokens");
        assertTrue(sink.ttft("a", 0) > 3 * sink.ttft("b", 10),
                sink.ttft("a", 0) + " vs " + sink.ttft("b", 10));
        assertEquals(FinishReason.LENGTH, sink.last("b").finish());
        assertEquals(8, sink.outputs.get("b").size());
        assertEquals(4_060, e.stats().prefixQueries.sum());
        assertEquals(2_000, e.stats().prefixHits.sum());
        assertEquals(16, e.stats().generationTokens.sum());
        assertEquals(e.pool().numBlocks(), e.pool().freeBlocks(), "finished requests hold no block");
    }

    @Test
    void aFullyCachedPromptStillRecomputesItsLastBlock() {
        EngineCore e = engine(new EngineLimits(16, 100, 1_024, 8, 8_192), false);
        Sink sink = new Sink();
        int[] p = prompt(64, 0, 0);
        new Replay(e).run(List.of(new Replay.Arrival(0, "a", p, null, Sampling.maxTokens(1), sink),
                new Replay.Arrival(1, "b", p, null, Sampling.maxTokens(1), sink)));
        assertEquals(48, sink.last("b").cachedTokens(), "at most prompt-1 tokens, whole blocks: 3 of 4");
    }

    @Test
    void saltsSeparatePrefixCaches() {
        EngineCore e = engine(new EngineLimits(16, 1_000, 8_192, 256, 8_192), false);
        Sink sink = new Sink();
        int[] p = prompt(512, 8, 0);
        new Replay(e).run(List.of(
                new Replay.Arrival(0, "a", p, "tenant-a", Sampling.maxTokens(2), sink),
                new Replay.Arrival(1, "b", p, "tenant-b", Sampling.maxTokens(2), sink),
                new Replay.Arrival(2, "c", p, "tenant-a", Sampling.maxTokens(2), sink)));
        assertEquals(0, sink.last("b").cachedTokens(), "another salt sees nothing");
        assertEquals(512, sink.last("c").cachedTokens(), "the same salt reuses its own blocks");
    }

    @Test
    void overloadQueuesBeyondMaxNumSeqsAndServesInArrivalOrder() {
        EngineCore e = engine(new EngineLimits(16, 10_000, 8_192, 2, 8_192), false);
        Sink sink = new Sink();
        for (int i = 0; i < 6; i++) {
            e.submit("r" + i, prompt(0, 100, i), null, Sampling.maxTokens(20), sink, 0);
        }
        EngineCore.StepResult first = e.step(0);
        assertEquals(2, e.running());
        assertEquals(4, e.waiting());
        first.deliveries().forEach(EngineCore.Delivery::deliver);
        double now = first.duration();
        while (!e.idle()) {
            EngineCore.StepResult s = e.step(now);
            now += s.duration();
            s.deliveries().forEach(EngineCore.Delivery::deliver);
            assertTrue(e.running() <= 2);
        }
        for (int i = 1; i < 6; i++) {
            assertTrue(sink.outputs.get("r" + i).get(0).time() >= sink.outputs.get("r" + (i - 1)).get(0).time());
        }
        assertTrue(sink.ttft("r5", 0) > 3 * sink.ttft("r0", 0), "queued requests wait for slots");
        assertEquals(6, e.stats().finished(FinishReason.LENGTH));
    }

    @Test
    void tokenBudgetChunksLongPrefills() {
        EngineCore e = engine(new EngineLimits(16, 10_000, 16_384, 8, 1_024), false);
        Sink sink = new Sink();
        e.submit("long", prompt(0, 5_000, 1), null, Sampling.maxTokens(1), sink, 0);
        int steps = 0;
        double now = 0;
        while (!e.idle()) {
            EngineCore.StepResult s = e.step(now);
            now += s.duration();
            s.deliveries().forEach(EngineCore.Delivery::deliver);
            steps++;
        }
        assertEquals(5, steps, "5,000 tokens in chunks of at most 1,024");
    }

    @Test
    void runningOutOfBlocksPreemptsAndEveryRequestStillCompletes() {
        // 40 blocks of 16 = 640 tokens for 6 requests of 200 prompt + 100 output tokens each.
        EngineCore e = engine(new EngineLimits(16, 40, 600, 8, 8_192), false);
        Sink sink = new Sink();
        List<Replay.Arrival> arrivals = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            arrivals.add(new Replay.Arrival(0, "r" + i, prompt(0, 200, i), null, Sampling.maxTokens(100), sink));
        }
        new Replay(e).run(arrivals);
        for (int i = 0; i < 6; i++) {
            assertEquals(100, sink.outputs.get("r" + i).size(), "r" + i + " streams each token once");
            assertEquals(FinishReason.LENGTH, sink.last("r" + i).finish());
        }
        assertEquals(40, e.pool().freeBlocks());
    }

    @Test
    void stopStringsNaturalEndAndAbort() {
        EngineCore e = engine(new EngineLimits(16, 1_000, 1_024, 8, 8_192), false);
        Sink sink = new Sink();
        int[] p = prompt(0, 40, 3);
        new Replay(e).run(List.of(new Replay.Arrival(0, "probe", p, null, Sampling.maxTokens(30), sink)));
        String word = sink.outputs.get("probe").get(5).text();
        new Replay(e).run(List.of(
                new Replay.Arrival(0, "stop", p, null, new Sampling(30, List.of(word), 0, null, false), sink),
                new Replay.Arrival(0, "free", prompt(0, 40, 4), null, new Sampling(null, List.of(), 0, null, false), sink)));
        Output stop = sink.last("stop");
        assertEquals(FinishReason.STOP, stop.finish());
        assertEquals(word, stop.stopReason());
        assertTrue(sink.outputs.get("stop").size() <= 6);
        StringBuilder text = new StringBuilder();
        sink.outputs.get("stop").forEach(o -> text.append(o.text()));
        assertFalse(text.toString().contains(word), "the stop string is not returned");

        Output free = sink.last("free");
        assertEquals(FinishReason.STOP, free.finish(), "no max_tokens: the model ends by itself");
        assertEquals(SimTokenizer.IM_END, free.tokenId());
        assertTrue(sink.outputs.get("free").size() >= 24);

        e.submit("gone", p, null, Sampling.maxTokens(1_000), sink, 0);
        e.step(0);
        assertEquals(1, e.running());
        e.abort("gone");
        assertEquals(0, e.running());
        assertEquals(e.pool().numBlocks(), e.pool().freeBlocks());
        assertEquals(1, e.stats().finished(FinishReason.ABORT));
    }

    @Test
    void sameRequestGivesSameTextAndReasoningModelsThinkFirst() {
        Sink a = new Sink();
        Sink b = new Sink();
        int[] p = tokenizer.encode("<|im_start|>user\nWhy is the sky blue?<|im_end|>\n<|im_start|>assistant\n");
        new Replay(engine(new EngineLimits(16, 100, 1_024, 8, 8_192), true))
                .run(List.of(new Replay.Arrival(0, "x", p, null, Sampling.maxTokens(40), a)));
        new Replay(engine(new EngineLimits(16, 100, 1_024, 8, 8_192), true))
                .run(List.of(new Replay.Arrival(0, "x", p, null, Sampling.maxTokens(40), b)));
        List<Output> out = a.outputs.get("x");
        assertEquals(out.stream().map(Output::tokenId).toList(), b.outputs.get("x").stream().map(Output::tokenId).toList());
        assertEquals(SimTokenizer.THINK, out.get(0).tokenId());
        assertEquals(FillerText.Part.REASONING, out.get(1).part());
        assertEquals(SimTokenizer.END_THINK, out.get(9).tokenId());
        assertEquals(FillerText.Part.CONTENT, out.get(10).part());
        StringBuilder content = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        for (Output o : out.subList(10, out.size())) {
            content.append(o.text());
            ids.add(o.tokenId());
        }
        assertEquals(ids, java.util.Arrays.stream(tokenizer.encode(content.toString())).boxed().toList(),
                "generated text re-tokenizes to the generated ids");
    }

    @Test
    void limitsRejectAModelLengthTheCacheCannotHold() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EngineLimits(16, 10, 4_096, 8, 8_192));
        assertTrue(e.getMessage().contains("--kv-blocks"));
    }
}
