package dev.hearth.enginesim.engine;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The shipped performance profiles, one per model class on an H100 80GB SXM, BF16, vLLM defaults. */
public final class Profiles {
    private Profiles() {}

    /**
     * Llama-3-8B: linear layers from Vidur's H100 kernel profiles (microsoft/vidur
     * data/profiling/compute/h100, Llama-2-7b scaled by the A100 Llama-3-8B ratio): 0.0215 ms/token,
     * about 650 TFLOPS; decode 7.2 ms/step at batch 10 and 12.5-14.8 ms at batch 250 measured with
     * vLLM 0.6 (LambdaLabsML/vllm-benchmark results/prompt_*, 1xH100-80GB-SXM); weight pass 16 GB at
     * 3.35 TB/s; KV 128 KiB/token, 0.9 x 80 GB less weights and activations = 27,000 blocks of 16.
     */
    public static final Profile H100_LLAMA3_8B = new Profile(
            "h100-llama3-8b", "meta-llama/Meta-Llama-3-8B-Instruct",
            "Vidur H100 kernel profiles; LambdaLabsML/vllm-benchmark 1xH100 vLLM runs; H100 SXM 3.35 TB/s, 989 TFLOPS",
            0.0015, 0.0055, 0.0215e-3, 1.17e-9, 0.012e-3, 0.045e-6,
            27_000, 8_192, 1_024, 8_192);

    /**
     * Qwen3-0.6B: derived, no H100 measurement is published. Prefill 0.0035 ms/token from vLLM on an
     * A100 (tenstorrent/tt-inference-server issue 340: TTFT 12.4 ms at 128 tokens, 21.0 ms at 1,024)
     * scaled by 2.5-3x for H100; weight pass 1.3 ms (28 layers, launch bound with CUDA graphs);
     * attention from 4 * 2048 * c(p + c/2) FLOPs per layer at 450 TFLOPS; KV 112 KiB/token
     * (28 layers, 8 KV heads, head_dim 128) leaves 39,000 blocks of 16.
     */
    public static final Profile H100_QWEN3_0_6B = new Profile(
            "h100-qwen3-0.6b", "Qwen/Qwen3-0.6B",
            "derived: vLLM A100 Qwen3-0.6B TTFT (tt-inference-server#340) scaled to H100; H100 roofline",
            0.0015, 0.0013, 0.0035e-3, 0.51e-9, 0.006e-3, 0.040e-6,
            39_000, 40_960, 1_024, 8_192);

    public static final List<Profile> ALL = List.of(H100_LLAMA3_8B, H100_QWEN3_0_6B);

    public static Optional<Profile> named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The profile for a model id: Qwen3-0.6B-class names get the small profile, anything else the 8B one. */
    public static Profile forModel(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        return m.contains("0.6b") || m.contains("0.5b") ? H100_QWEN3_0_6B : H100_LLAMA3_8B;
    }
}
