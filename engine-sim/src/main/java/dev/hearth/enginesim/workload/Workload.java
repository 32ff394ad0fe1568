package dev.hearth.enginesim.workload;

import java.util.Iterator;
import java.util.Map;

/**
 * Requests to replay, in arrival order. Every call to {@link #requests()} yields the same requests
 * (generators are seeded), so every policy in a comparison sees identical arrivals; prompts are
 * made as the iterator reaches them, since a whole trace's tokens would not fit comfortably in memory.
 */
public interface Workload {
    /** A short name: the trace's file name or the generator's. */
    String name();

    /** What shaped it (seed included), printed with every report so a run can be repeated. */
    Map<String, Object> parameters();

    /** How many requests {@link #requests()} yields. */
    int size();

    Iterator<WorkloadRequest> requests();

    /** The first {@code n} requests (all when there are fewer), for runs that need fewer than the whole. */
    default Workload first(int n) {
        Workload whole = this;
        int size = Math.min(n, whole.size());
        return new Workload() {
            @Override
            public String name() {
                return whole.name();
            }

            @Override
            public Map<String, Object> parameters() {
                Map<String, Object> p = new java.util.LinkedHashMap<>(whole.parameters());
                p.put("first_requests", size);
                return p;
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<WorkloadRequest> requests() {
                Iterator<WorkloadRequest> all = whole.requests();
                return new Iterator<>() {
                    int left = size;

                    @Override
                    public boolean hasNext() {
                        return left > 0 && all.hasNext();
                    }

                    @Override
                    public WorkloadRequest next() {
                        left--;
                        return all.next();
                    }
                };
            }
        };
    }
}
