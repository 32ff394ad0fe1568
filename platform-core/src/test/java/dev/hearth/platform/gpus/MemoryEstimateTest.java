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
