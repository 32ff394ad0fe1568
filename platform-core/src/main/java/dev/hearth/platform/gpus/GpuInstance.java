package dev.hearth.platform.gpus;

import java.util.List;

/** One GPU instance type: its GPUs, interconnect, on-demand price (null when not priced, as on-prem) and regions. */
public record GpuInstance(String cloud, String type, String gpuModel, int gpuCount, int gpuMemoryGb,
                          String interconnect, Double hourlyUsd, List<String> regions, String source) {

    public int totalMemoryGb() {
        return gpuCount * gpuMemoryGb;
    }
}
