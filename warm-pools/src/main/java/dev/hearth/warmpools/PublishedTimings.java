package dev.hearth.warmpools;

/**
 * Cold-start times from published measurements (none were measured here: no GPU, no cloud):
 * <ul>
 * <li>Node: 90 s on a cloud, the top of "Kubernetes cluster autoscaler adds a new node with a GPU:
 *     1-1.5min" (Anyscale, anyscale.com/blog/autoscale-large-ai-models-faster); 0 on-prem, where
 *     the machines exist already. GPUs may take about a minute more to be allocatable
 *     (cloudpilot-ai/karpenter-provider-gcp PR 148); not counted.</li>
 * <li>Image: 270 s, the middle of "Container image (~12 GB including CUDA and vLLM dependencies) is
 *     pulled from container registry: 4-5min" (Anyscale, same post).</li>
 * <li>Weights: download at 263 MB/s and load at 487 MB/s on one-GPU nodes, from Llama-3.1-8B (16.06
 *     GB) on an L40S, "Model download | 61 seconds | Weight loading | 33 seconds"; from a local cache
 *     "Weight loading | 18 seconds", 892 MB/s (Tensorfuse, tensorfuse.io/docs/blogs/reducing_gpu_cold_start).
 *     Nodes of 4 or more GPUs download at 519 MB/s: "vLLM loads the model (~140 GB in FP16) from
 *     cloud storage: 4-5min" (Anyscale, same post).</li>
 * </ul>
 */
public final class PublishedTimings implements TimingModel {
    static final long CLOUD_PROVISION_MS = 90_000;
    static final long IMAGE_PULL_MS = 270_000;
    static final double DOWNLOAD_BYTES_PER_MS_SMALL = 16.06e9 / 61_000;
    static final double DOWNLOAD_BYTES_PER_MS_LARGE = 140e9 / 270_000;
    static final double LOAD_BYTES_PER_MS = 16.06e9 / 33_000;
    static final double CACHED_LOAD_BYTES_PER_MS = 16.06e9 / 18_000;

    /** Placeholders cache weights on warm nodes, so a replica there loads from the node's disk. */
    @Override
    public ColdStart coldStart(NodePool pool, long weightBytes) {
        boolean onPrem = pool.instanceType() != null && pool.instanceType().startsWith("onprem");
        double download = pool.gpusPerNode() >= 4 ? DOWNLOAD_BYTES_PER_MS_LARGE : DOWNLOAD_BYTES_PER_MS_SMALL;
        return new ColdStart(onPrem ? 0 : CLOUD_PROVISION_MS, IMAGE_PULL_MS, (long) (weightBytes / download),
                (long) (weightBytes / LOAD_BYTES_PER_MS), (long) (weightBytes / CACHED_LOAD_BYTES_PER_MS));
    }
}
