package dev.hearth.enginesim.server;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The W3C trace headers of the last inference requests received, as an engine started with
 * {@code --otlp-traces-endpoint} extracts them: vLLM keeps {@code traceparent} and {@code tracestate}
 * as given and only those (vllm/tracing.py, {@code extract_trace_headers} over {@code TRACE_HEADERS}),
 * then parents its request span on them. The simulator makes no spans; it keeps what it would have
 * parented on, for tests to read at the simulator-only {@code GET /_sim/traces}. Thread-safe.
 */
public final class TraceHeaders {
    /** Requests remembered; older ones are forgotten first. */
    public static final int KEPT = 256;
    private static final List<String> NAMES = List.of("traceparent", "tracestate");

    /** One request: where it went, its X-Request-Id if any, and the trace headers it carried (possibly none). */
    public record Received(String path, String requestId, Map<String, String> headers, Instant at) {}

    private final Deque<Received> last = new ArrayDeque<>();

    /** Records the trace headers of a request to {@code path}; {@code header} reads its headers case-insensitively. */
    public void record(String path, Function<String, String> header) {
        Map<String, String> found = new LinkedHashMap<>();
        for (String name : NAMES) {
            String v = header.apply(name);
            if (v != null) {
                found.put(name, v);
            }
        }
        Received r = new Received(path, header.apply("X-Request-Id"), Map.copyOf(found), Instant.now());
        synchronized (last) {
            if (last.size() == KEPT) {
                last.removeFirst();
            }
            last.addLast(r);
        }
    }

    /** What was recorded, oldest first. */
    public List<Received> received() {
        synchronized (last) {
            return new ArrayList<>(last);
        }
    }

    public void clear() {
        synchronized (last) {
            last.clear();
        }
    }

    /** The JSON body of {@code GET /_sim/traces}. */
    Map<String, Object> snapshot() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (Received r : received()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", r.path());
            m.put("request_id", r.requestId());
            m.put("trace_headers", new LinkedHashMap<>(r.headers()));
            m.put("received_at", r.at().toString());
            data.add(m);
        }
        return Map.of("object", "list", "data", data);
    }
}
