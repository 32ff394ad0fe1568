package dev.hearth.enginesim.workload;

/**
 * One request of a workload: when it arrives (seconds from the workload's start), its prompt as
 * token ids, how many tokens it generates, and its session key (null when it belongs to none).
 */
public record WorkloadRequest(double arrival, String id, int[] prompt, int outputTokens, String sessionKey) {
    public WorkloadRequest {
        if (!(arrival >= 0) || Double.isInfinite(arrival)) {
            throw new IllegalArgumentException("arrival must be a finite time >= 0, was " + arrival);
        }
        if (prompt.length == 0 || outputTokens < 1) {
            throw new IllegalArgumentException("a request needs a prompt and at least one output token");
        }
    }

    public WorkloadRequest at(double newArrival) {
        return new WorkloadRequest(newArrival, id, prompt, outputTokens, sessionKey);
    }
}
