package dev.hearth.platform.gpus;

/**
 * GPU memory a replica needs, as vLLM budgets it (vllm/v1/worker/gpu_worker.py determine_available_memory):
 * weights, plus the KV cache for at least one sequence of the full context, plus runtime overhead
 * (CUDA context, activations, CUDA graphs; about 1.5 GiB for 8B-class models in vLLM's own start-up
 * log), all within the {@code gpu_memory_utilization} share (0.9 by default) of the GPUs.
 */
public record MemoryEstimate(long weightBytes, long kvBytes, long overheadBytes, double utilization) {
    public static final long GIB = 1L << 30;
    private static final long OVERHEAD = (long) (1.5 * GIB);

    /** BF16 weights and KV cache, one full-context sequence, vLLM's default utilization. */
    public static MemoryEstimate of(KnownModel m, int contextLength) {
        int context = contextLength > 0 ? contextLength : m.contextLength();
        return new MemoryEstimate(m.weightBytes(2), (long) context * m.kvBytesPerToken(2), OVERHEAD, 0.9);
    }

    /** Total GPU memory to provide, across all GPUs of a replica. */
    public long requiredBytes() {
        return (long) ((weightBytes + kvBytes + overheadBytes) / utilization);
    }

    public double requiredGib() {
        return (double) requiredBytes() / GIB;
    }

    /** Whether {@code count} GPUs of {@code memoryGb} each hold it (GPU makers count GB as GiB-ish: 80 GB cards have 79.2 GiB usable). */
    public boolean fits(int count, int memoryGb) {
        return requiredBytes() <= (long) count * memoryGb * 0.99 * GIB;
    }
}
