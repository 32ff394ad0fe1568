package dev.hearth.enginesim.workload;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recorded trace as a workload: arrivals at the trace's own timestamps, prompts from
 * {@link TracePrompts}, and sessions from {@link TraceSessions}.
 */
public final class TraceWorkload implements Workload {
    private final String name;
    private final List<TraceRequest> trace;
    private final String[] sessions;

    /** The first {@code limit} requests of {@code trace} (all of it when {@code limit} is 0 or more than it holds). */
    public TraceWorkload(String name, List<TraceRequest> trace, int limit) {
        if (trace.isEmpty()) {
            throw new IllegalArgumentException(name + " holds no requests");
        }
        this.name = name;
        this.trace = limit > 0 && limit < trace.size() ? List.copyOf(trace.subList(0, limit)) : List.copyOf(trace);
        this.sessions = TraceSessions.of(this.trace, 1);
    }

    public List<TraceRequest> trace() {
        return trace;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("requests", trace.size());
        p.put("block_size", trace.get(0).blockSize());
        p.put("duration_s", (trace.get(trace.size() - 1).timestampMillis() - trace.get(0).timestampMillis()) / 1000.0);
        p.put("conversations", java.util.Arrays.stream(sessions).distinct().count());
        return p;
    }

    @Override
    public int size() {
        return trace.size();
    }

    @Override
    public Iterator<WorkloadRequest> requests() {
        long start = trace.get(0).timestampMillis();
        return new Iterator<>() {
            int next;

            @Override
            public boolean hasNext() {
                return next < trace.size();
            }

            @Override
            public WorkloadRequest next() {
                TraceRequest t = trace.get(next);
                WorkloadRequest r = new WorkloadRequest((t.timestampMillis() - start) / 1000.0, "req-" + next,
                        TracePrompts.tokens(t), Math.max(1, t.outputLength()), sessions[next]);
                next++;
                return r;
            }
        };
    }
}
