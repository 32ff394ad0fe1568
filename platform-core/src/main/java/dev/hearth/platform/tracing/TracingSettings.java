package dev.hearth.platform.tracing;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how the gateway exports its spans: the OTLP/HTTP traces URL, the share of new traces
 * sampled (a parent's decision is followed), and the service name. The endpoint comes from
 * {@code --otlp-endpoint}, else from the OpenTelemetry exporter variables as the SDK specification
 * reads them (opentelemetry-specification, protocol/exporter.md): {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
 * is the full URL, {@code OTEL_EXPORTER_OTLP_ENDPOINT} a base to which {@code v1/traces} is added.
 * {@code OTEL_SERVICE_NAME} names the service (default {@code hearth}).
 */
public record TracingSettings(URI tracesEndpoint, double sampleRatio, String serviceName) {

    public static final String DEFAULT_SERVICE_NAME = "hearth";

    public TracingSettings {
        if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
            throw new IllegalArgumentException("--trace-sample-ratio must be between 0 and 1, was " + sampleRatio);
        }
    }

    /**
     * The settings in force, or empty when no endpoint is configured (tracing off).
     *
     * @param option the {@code --otlp-endpoint} value, or null
     * @param env    the process environment
     * @throws IllegalArgumentException naming the option or variable when a URL is not an http(s) URL,
     *                                  or when the variables ask for a protocol other than http/protobuf
     */
    public static Optional<TracingSettings> resolve(String option, double sampleRatio, Map<String, String> env) {
        URI endpoint;
        if (option != null) {
            URI base = url("--otlp-endpoint", option);
            endpoint = base.getPath().endsWith("/v1/traces") ? base : withTracesPath(base);
        } else if (set(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) {
            endpoint = url("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        } else if (set(env, "OTEL_EXPORTER_OTLP_ENDPOINT")) {
            endpoint = withTracesPath(url("OTEL_EXPORTER_OTLP_ENDPOINT", env.get("OTEL_EXPORTER_OTLP_ENDPOINT")));
        } else {
            return Optional.empty();
        }
        for (String protocol : new String[] {"OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"}) {
            if (set(env, protocol) && !env.get(protocol).trim().equals("http/protobuf")) {
                throw new IllegalArgumentException("Hearth exports traces over OTLP/HTTP (http/protobuf) only; " + protocol
                        + " asks for " + env.get(protocol).trim());
            }
        }
        String service = set(env, "OTEL_SERVICE_NAME") ? env.get("OTEL_SERVICE_NAME").trim() : DEFAULT_SERVICE_NAME;
        return Optional.of(new TracingSettings(endpoint, sampleRatio, service));
    }

    private static boolean set(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }

    private static URI url(String source, String value) {
        String hint = source + " must be an http(s) URL such as http://127.0.0.1:4318, was '" + value + "'";
        URI u;
        try {
            u = new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(hint);
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getRawQuery() != null
                || u.getRawFragment() != null) {
            throw new IllegalArgumentException(hint);
        }
        return u;
    }

    /** A base URL with {@code v1/traces} appended to its path, as the specification does for the generic endpoint. */
    private static URI withTracesPath(URI base) {
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        return URI.create(base.getScheme() + "://" + base.getRawAuthority() + (path.endsWith("/") ? path : path + "/")
                + "v1/traces");
    }
}
