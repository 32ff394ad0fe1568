package dev.hearth.platform.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;

/**
 * The SERVER span of one inference request, current on the serving thread until closed. Its
 * status follows the HTTP server span convention: a 5xx answer is an error, a 4xx is the
 * client's (opentelemetry semantic-conventions, docs/http/http-spans.md, "Status").
 */
public final class RequestSpan implements AutoCloseable {
    /** Tracing off: records nothing. */
    static final RequestSpan NONE = new RequestSpan(Span.getInvalid(), Scope.noop());

    private final Span span;
    private final Scope scope;

    RequestSpan(Span span, Scope scope) {
        this.span = span;
        this.scope = scope;
    }

    /**
     * A {@code hearth.*} attribute from the answer's headers: {@code replica}, {@code route.decision}
     * ({@code x-hearth-route}), {@code cache.result} ({@code x-hearth-cache}); null is skipped.
     */
    public RequestSpan answer(String name, String value) {
        if (value != null) {
            span.setAttribute("hearth." + name, value);
        }
        return this;
    }

    /** The status the client got, and the exception that produced it, if any. */
    public void status(int status, Exception error) {
        span.setAttribute(Tracing.STATUS, (long) status);
        if (error != null) {
            span.recordException(error);
        }
        if (status >= 500) {
            span.setAttribute(Tracing.ERROR_TYPE, String.valueOf(status)).setStatus(StatusCode.ERROR);
        }
    }

    @Override
    public void close() {
        scope.close();
        span.end();
    }
}
