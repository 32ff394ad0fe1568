package dev.hearth.enginesim.server;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Faults injected by tests through the loopback-only admin route: fail the next N requests with a
 * status, add latency before each request, stall a stream after its first chunk, drop the connection
 * mid-stream, report unhealthy, or stop publishing KV events (the engine goes on serving; its
 * subscribers hear nothing, as when vLLM's publisher thread dies). Thread-safe; counts are consumed
 * as requests arrive.
 */
public final class Faults {
    private int failNext;
    private int failStatus = 503;
    private long latencyMs;
    private long stallMs;
    private int dropAfterChunks = -1;
    private boolean unhealthy;
    private boolean kvEvents = true;

    /** Applies a JSON-like settings map; unknown keys and bad values are rejected whole. */
    public synchronized void apply(Map<String, Object> settings) {
        Faults next = copy();
        for (var e : settings.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "fail_next" -> next.failNext = nonNegative(e.getKey(), v);
                case "fail_status" -> {
                    int s = nonNegative(e.getKey(), v);
                    if (s < 400 || s > 599) {
                        throw ApiError.validation("fail_status must be an HTTP error status (400-599), got " + s);
                    }
                    next.failStatus = s;
                }
                case "latency_ms" -> next.latencyMs = nonNegative(e.getKey(), v);
                case "stall_ms" -> next.stallMs = nonNegative(e.getKey(), v);
                case "drop_after_chunks" -> next.dropAfterChunks = v == null ? -1 : nonNegative(e.getKey(), v);
                case "unhealthy" -> {
                    if (!(v instanceof Boolean b)) {
                        throw ApiError.validation("unhealthy must be true or false");
                    }
                    next.unhealthy = b;
                }
                case "kv_events" -> {
                    if (!(v instanceof Boolean b)) {
                        throw ApiError.validation("kv_events must be true or false");
                    }
                    next.kvEvents = b;
                }
                default -> throw ApiError.validation("unknown fault '" + e.getKey()
                        + "'; known: fail_next, fail_status, latency_ms, stall_ms, drop_after_chunks, unhealthy, kv_events");
            }
        }
        failNext = next.failNext;
        failStatus = next.failStatus;
        latencyMs = next.latencyMs;
        stallMs = next.stallMs;
        dropAfterChunks = next.dropAfterChunks;
        unhealthy = next.unhealthy;
        kvEvents = next.kvEvents;
    }

    public synchronized void clear() {
        failNext = 0;
        failStatus = 503;
        latencyMs = 0;
        stallMs = 0;
        dropAfterChunks = -1;
        unhealthy = false;
        kvEvents = true;
    }

    /** Called as an inference request arrives: sleeps the injected latency, then maybe fails it. */
    public void beforeRequest() {
        long sleep;
        ApiError fail = null;
        synchronized (this) {
            sleep = latencyMs;
            if (failNext > 0) {
                failNext--;
                fail = new ApiError(failStatus, failStatus == 503 ? "ServiceUnavailableError" : "InternalServerError",
                        "injected fault: the simulator was told to fail this request", null);
            }
        }
        if (sleep > 0) {
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fail != null) {
            throw fail;
        }
    }

    public synchronized long stallMs() {
        return stallMs;
    }

    public synchronized int dropAfterChunks() {
        return dropAfterChunks;
    }

    public synchronized boolean unhealthy() {
        return unhealthy;
    }

    /** Whether KV events are published (false: batches are dropped before the socket). */
    public synchronized boolean kvEvents() {
        return kvEvents;
    }

    public synchronized Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fail_next", failNext);
        m.put("fail_status", failStatus);
        m.put("latency_ms", latencyMs);
        m.put("stall_ms", stallMs);
        m.put("drop_after_chunks", dropAfterChunks < 0 ? null : dropAfterChunks);
        m.put("unhealthy", unhealthy);
        m.put("kv_events", kvEvents);
        return m;
    }

    private Faults copy() {
        Faults f = new Faults();
        f.failNext = failNext;
        f.failStatus = failStatus;
        f.latencyMs = latencyMs;
        f.stallMs = stallMs;
        f.dropAfterChunks = dropAfterChunks;
        f.unhealthy = unhealthy;
        f.kvEvents = kvEvents;
        return f;
    }

    private static int nonNegative(String key, Object v) {
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()) || n.longValue() < 0
                || n.longValue() > Integer.MAX_VALUE) {
            throw ApiError.validation(key + " must be a whole number of at least 0, got " + v);
        }
        return n.intValue();
    }
}
