package dev.hearth.platform.tracing;

import dev.hearth.router.Router;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's tracing seam. On, an OpenTelemetry SDK makes a SERVER span per inference request
 * (its parent extracted from the client's W3C {@code traceparent}/{@code tracestate}; a malformed
 * header starts a new trace), with children for routing, each prediction cache lookup and each
 * upstream call (CLIENT), and the engine is sent a {@code traceparent} whose parent is that upstream
 * span (W3C Trace Context, https://www.w3.org/TR/trace-context/). Off, nothing is recorded and the
 * client's trace headers reach the engine unchanged. Attribute names follow the OpenTelemetry
 * semantic conventions for HTTP spans and GenAI where one exists, {@code hearth.*} otherwise.
 * The span calls take their parent from the current {@link Context}: a request is served on one
 * (virtual) thread, inside {@link RequestSpan}'s scope.
 */
public final class Tracing implements AutoCloseable {
    static final AttributeKey<String> DEPLOYMENT = AttributeKey.stringKey("hearth.deployment");
    static final AttributeKey<String> REPLICA = AttributeKey.stringKey("hearth.replica");
    static final AttributeKey<String> ROUTE_REASON = AttributeKey.stringKey("hearth.route.reason");
    static final AttributeKey<Long> CACHED_BLOCKS = AttributeKey.longKey("hearth.route.cached_blocks");
    static final AttributeKey<Long> PROMPT_BLOCKS = AttributeKey.longKey("hearth.route.blocks");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("hearth.attempt");
    static final AttributeKey<Boolean> CACHE_HIT = AttributeKey.booleanKey("hearth.cache.hit");
    static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");

    /** The W3C headers a request carries its trace in, and that an engine extracts (vLLM's vllm/tracing.py TRACE_HEADERS). */
    static final List<String> TRACE_HEADERS = List.of("traceparent", "tracestate");
    /** How long closing waits for the last spans to be exported. */
    private static final Duration FLUSH = Duration.ofSeconds(5);

    private static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return TRACE_HEADERS;
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };

    private final SdkTracerProvider provider;
    private final Tracer tracer;

    private Tracing(SdkTracerProvider provider) {
        this.provider = provider;
        this.tracer = provider == null ? null : provider.get("dev.hearth.gateway");
    }

    /** No spans; the client's trace headers pass through to the engine unchanged. */
    public static Tracing off() {
        return new Tracing(null);
    }

    /** Spans batched to an OTLP/HTTP collector; off when {@code settings} is empty. */
    public static Tracing of(Optional<TracingSettings> settings) {
        return settings.map(Tracing::otlp).orElseGet(Tracing::off);
    }

    /** Spans exported over OTLP/HTTP (protobuf) to {@code settings.tracesEndpoint()} in batches, about once a second. */
    public static Tracing otlp(TracingSettings settings) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(settings.tracesEndpoint().toString())
                .build();
        return over(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(1)).build(),
                settings.sampleRatio(), settings.serviceName());
    }

    /** Spans handed to {@code processor} (an in-memory exporter in tests); new traces sampled at {@code sampleRatio}. */
    public static Tracing over(SpanProcessor processor, double sampleRatio, String serviceName) {
        return new Tracing(SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)))
                .addSpanProcessor(processor)
                .build());
    }

    public boolean on() {
        return provider != null;
    }

    /**
     * Starts the SERVER span of one inference request and makes it current until the returned span
     * is closed. {@code header} reads the request's headers (case-insensitively).
     */
    public RequestSpan request(String method, String route, Function<String, String> header) {
        if (!on()) {
            return RequestSpan.NONE;
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), header, HEADERS);
        Span span = tracer.spanBuilder(method + " " + route).setParent(parent).setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .setAttribute(ROUTE, route)
                .setAttribute(URL_PATH, route)
                .setAttribute(OPERATION, route.endsWith("/chat/completions") ? "chat" : "text_completion")
                .startSpan();
        return new RequestSpan(span, span.storeInContext(parent).makeCurrent());
    }

    /** The deployment a request named and the model its engines serve, on the current request's span. */
    public void model(String deployment, String model) {
        Span.current().setAttribute(DEPLOYMENT, deployment).setAttribute(REQUEST_MODEL, model);
    }

    /** Starts the span of one routing decision ({@code router.route}); end it with {@link #routed}. */
    public Span routing(String deployment, int attempt) {
        if (!on()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder("router.route").setAttribute(DEPLOYMENT, deployment).setAttribute(ATTEMPT, attempt)
                .startSpan();
    }

    /** Ends a routing span with what was decided; a null ticket: no replica could take the request. */
    public void routed(Span span, Router.Ticket ticket) {
        if (ticket == null) {
            span.setAttribute(ROUTE_REASON, "none").setStatus(StatusCode.ERROR, "no replica can take the request");
        } else {
            span.setAttribute(REPLICA, ticket.replica())
                    .setAttribute(ROUTE_REASON, ticket.decision().reason())
                    .setAttribute(PROMPT_BLOCKS, ticket.blocks())
                    .setAttribute(CACHED_BLOCKS, ticket.blocks() - ticket.uncachedBlocks());
        }
        span.end();
    }

    /** Starts the span of one prediction cache lookup; end it with {@link #looked} or {@link #failed}. */
    public Span cacheLookup() {
        return on() ? tracer.spanBuilder("prediction_cache.lookup").startSpan() : Span.getInvalid();
    }

    /** Ends a lookup span, hit or miss; returns what was found. */
    public Optional<byte[]> looked(Span span, Optional<byte[]> found) {
        span.setAttribute(CACHE_HIT, found.isPresent()).end();
        return found;
    }

    /** Ends a span whose work failed. */
    public void failed(Span span, Exception e) {
        span.recordException(e);
        span.setAttribute(ERROR_TYPE, e.getClass().getName()).setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
        span.end();
    }

    /**
     * Starts the CLIENT span of one call to an engine ({@code attempt} 1 is the first, later ones are
     * retries on another replica). The call's {@link UpstreamCall#headers()} are the trace headers to
     * send: this span's context when tracing is on, else the client's own, unchanged.
     */
    public UpstreamCall upstream(String method, String path, String replica, URI base, int attempt,
                                 Function<String, String> clientHeader) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!on()) {
            for (String h : TRACE_HEADERS) {
                String v = clientHeader.apply(h);
                if (v != null) {
                    headers.put(h, v);
                }
            }
            return new UpstreamCall(Span.getInvalid(), headers);
        }
        var builder = tracer.spanBuilder(method + " " + path).setSpanKind(SpanKind.CLIENT)
                .setAttribute(METHOD, method)
                .setAttribute(URL_FULL, base.resolve(path).toString())
                .setAttribute(SERVER_ADDRESS, base.getHost())
                .setAttribute(SERVER_PORT, (long) (base.getPort() > 0 ? base.getPort()
                        : "https".equalsIgnoreCase(base.getScheme()) ? 443 : 80))
                .setAttribute(REPLICA, replica)
                .setAttribute(ATTEMPT, attempt);
        if (attempt > 1) {
            builder.setAttribute(RESEND_COUNT, attempt - 1L);
        }
        Span span = builder.startSpan();
        W3CTraceContextPropagator.getInstance().inject(Context.current().with(span), headers, Map::put);
        return new UpstreamCall(span, headers);
    }

    /** Exports what is still buffered (waiting up to 5 s) and stops. */
    @Override
    public void close() {
        if (provider != null) {
            provider.shutdown().join(FLUSH.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
