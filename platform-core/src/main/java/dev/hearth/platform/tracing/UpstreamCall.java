package dev.hearth.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.Map;

/**
 * One call to an engine as a CLIENT span, with the W3C trace headers to send with it. Ended once:
 * by {@link #failed}, or by {@link #end} after the response was relayed (later calls do nothing).
 */
public final class UpstreamCall {
    private final Span span;
    private final Map<String, String> headers;
    private boolean ended;

    UpstreamCall(Span span, Map<String, String> headers) {
        this.span = span;
        this.headers = Map.copyOf(headers);
    }

    /** {@code traceparent} (and {@code tracestate}) for the engine; empty when there is nothing to propagate. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The engine's status; 4xx and 5xx mark the call failed, as the HTTP client span convention says. */
    public void status(int status) {
        span.setAttribute(Tracing.STATUS, (long) status);
        if (status >= 400) {
            span.setAttribute(Tracing.ERROR_TYPE, String.valueOf(status)).setStatus(StatusCode.ERROR);
        }
    }

    /** The call broke (no answer, or the answer stopped part-way); ends the span. */
    public void failed(Exception e) {
        if (!ended) {
            span.recordException(e);
            span.setAttribute(Tracing.ERROR_TYPE, e.getClass().getName()).setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            end();
        }
    }

    public void end() {
        if (!ended) {
            ended = true;
            span.end();
        }
    }
}
