package dev.hearth.platform.gpus;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class MemoryEstimateTest {
    private static KnownModel model(String id) {
        return KnownModels.find(id).orElseThrow();
    }

    @Test
    void weightsMatchVllmsOwnStartUpLogForLlama8B() {
        // vllm-project/vllm issue 10517: "Loading model weights took 14.9888 GB" (GiB) for Llama-3.1-8B in BF16.
        double gib = (double) model("meta-llama/Llama-3.1-8B-Instruct").weightBytes(2) / MemoryEstimate.GIB;
        assertEquals(14.9888, gib, 14.9888 * 0.01, "within 1%");
    }

    @Test
    void kvPerTokenMatchesTensorRtLlmsAllocationForLlama8B() {
        // NVIDIA/TensorRT-LLM issue 6294: 52.51 GiB for 860,320 tokens with an FP8 KV cache: 64 KiB a token.
        long fp8 = model("meta-llama/Llama-3.1-8B-Instruct").kvBytesPerToken(1);
        assertEquals(52.51 * MemoryEstimate.GIB / 860_320, fp8, fp8 * 0.01);
        assertEquals(128 * 1024, model("meta-llama/Llama-3.1-8B-Instruct").kvBytesPerToken(2), "128 KiB in BF16");
        assertEquals(112 * 1024, model("Qwen/Qwen3-0.6B").kvBytesPerToken(2), "112 KiB: 28 layers, 8 KV heads of 128");
    }

    /** vLLM logs "GB" but divides by 2^30 (vllm-project/vllm issue 14979): these are GiB. */
    @Test
    void weightsMatchVllmsLogsForQwenModels() {
        // llm-d/llm-d-benchmark config_explorer/empirical-vllm-memory-results.md, one H100, BF16:
        // "Model loading took: 1.12 GiB memory".
        assertEquals(1.12, gib(model("Qwen/Qwen3-0.6B").weightBytes(2)), 1.12 * 0.01);
        // vllm-project/vllm-ascend issue 2725, --dtype float16, TP 1: "Loading model weights took 14.2488 GB".
        assertEquals(14.2488, gib(model("Qwen/Qwen2.5-7B-Instruct").weightBytes(2)), 14.2488 * 0.01);
    }

    /** LMCache's FAQ table (docs.lmcache.ai, getting_started/faq): KV cache "GB per 1000 tokens" in BF16. */
    @Test
    void kvPerTokenMatchesLmcachesTableForQwenAndLlama70B() {
        assertEquals(0.1373, gib(1_000 * model("Qwen/Qwen3-8B").kvBytesPerToken(2)), 0.1373 * 0.01);
        // Qwen3-32B at TP 2: "33.66 GB x 2 (or 275,760 tokens)"; 0.2441 GB per 1000 tokens across both GPUs.
        assertEquals(0.2441, gib(1_000 * model("Qwen/Qwen3-32B").kvBytesPerToken(2)), 0.2441 * 0.01);
        assertEquals(33.66 * 2 * MemoryEstimate.GIB / 275_760, model("Qwen/Qwen3-32B").kvBytesPerToken(2),
                model("Qwen/Qwen3-32B").kvBytesPerToken(2) * 0.01);
        // Llama-3.1-70B at TP 4: "0.3052 GB" per 1000 tokens, "32.06 GB x 4 (or 420,208 tokens)".
        long llama70 = model("meta-llama/Llama-3.1-70B-Instruct").kvBytesPerToken(2);
        assertEquals(0.3052, gib(1_000 * llama70), 0.3052 * 0.01);
        assertEquals(32.06 * 4 * MemoryEstimate.GIB / 420_208, llama70, llama70 * 0.01);
    }

    @Test
    void kvPerTokenMatchesTheVllmPaperForOpt13B() {
        // Kwon et al., "Efficient Memory Management for LLM Serving with PagedAttention" (SOSP 2023), section 3:
        // "the KV cache of a single token demands 800 KB ... 2 x 5120 (hidden state size) x 40 (layers) x 2 (bytes per FP16)".
        KnownModel opt13b = new KnownModel("facebook/opt-13b", 12.9, 40, 40, 128, 2_048, false);
        assertEquals(800 * 1024, opt13b.kvBytesPerToken(2));
    }

    private static double gib(long bytes) {
        return (double) bytes / MemoryEstimate.GIB;
    }

    @Test
    void smallModelsFitSmallCardsAndSeventyBillionDoesNot() {
        MemoryEstimate qwen = MemoryEstimate.of(model("Qwen3-0.6B"), 8_192);
        assertTrue(qwen.fits(1, 16), qwen.requiredGib() + " GiB on a 16 GB T4");
        MemoryEstimate llama8 = MemoryEstimate.of(model("llama-3.1-8b-instruct"), 8_192);
        assertFalse(llama8.fits(1, 16), "16 GB of weights do not fit a 16 GB card");
        assertTrue(llama8.fits(1, 24), llama8.requiredGib() + " GiB on a 24 GB L4");
        MemoryEstimate llama70 = MemoryEstimate.of(model("Llama-3.1-70B-Instruct"), 8_192);
        assertFalse(llama70.fits(1, 80));
        assertTrue(llama70.fits(2, 80), llama70.requiredGib() + " GiB on 2 x H100 80GB");
        // The full 128k context of the 8B model adds 16 GiB of KV cache for one sequence.
        assertEquals(16.0, (double) MemoryEstimate.of(model("Llama-3.1-8B-Instruct"), 0).kvBytes() / MemoryEstimate.GIB, 0.01);
    }

    @Test
    void unknownModelsAreNotGuessed() {
        assertTrue(KnownModels.find("acme/secret-model").isEmpty());
        assertEquals("Qwen/Qwen3-8B", KnownModels.find("qwen/qwen3-8b").orElseThrow().id());
    }
}
