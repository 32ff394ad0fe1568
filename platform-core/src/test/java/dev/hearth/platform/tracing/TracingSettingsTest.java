package dev.hearth.platform.tracing;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where spans go: the option first, then the OpenTelemetry exporter variables, as the specification reads them. */
class TracingSettingsTest {

    private static URI endpoint(String option, Map<String, String> env) {
        return TracingSettings.resolve(option, 1.0, env).orElseThrow().tracesEndpoint();
    }

    @Test
    void theOptionIsABaseUrlAndWinsOverTheVariables() {
        assertEquals(URI.create("http://127.0.0.1:4318/v1/traces"), endpoint("http://127.0.0.1:4318", Map.of()));
        assertEquals(URI.create("http://127.0.0.1:4318/v1/traces"), endpoint("http://127.0.0.1:4318/", Map.of()));
        assertEquals(URI.create("https://otel.example:443/v1/traces"), endpoint("https://otel.example:443/v1/traces", Map.of()));
        assertEquals(URI.create("http://a:1/v1/traces"), endpoint("http://a:1",
                Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:2/x", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:3")));
    }

    @Test
    void theTracesVariableIsUsedAsGivenAndTheGenericOneGetsV1Traces() {
        assertEquals(URI.create("http://b:2/custom"), endpoint(null,
                Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://b:2/custom", "OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:3")));
        assertEquals(URI.create("http://c:3/prefix/v1/traces"), endpoint(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:3/prefix")));
        assertEquals(URI.create("http://c:3/v1/traces"), endpoint(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:3")));
    }

    @Test
    void nothingConfiguredIsOffAndTheServiceNameDefaultsToHearth() {
        assertTrue(TracingSettings.resolve(null, 1.0, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " ")).isEmpty());
        assertEquals("hearth", TracingSettings.resolve("http://a:1", 1.0, Map.of()).orElseThrow().serviceName());
        assertEquals("edge-gw", TracingSettings.resolve("http://a:1", 1.0, Map.of("OTEL_SERVICE_NAME", "edge-gw"))
                .orElseThrow().serviceName());
    }

    @Test
    void badValuesAreNamedInOneMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> TracingSettings.resolve("127.0.0.1:4318", 1.0, Map.of()));
        assertEquals("--otlp-endpoint must be an http(s) URL such as http://127.0.0.1:4318, was '127.0.0.1:4318'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TracingSettings.resolve(null, 1.0,
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "grpc://x:4317")));
        assertTrue(e.getMessage().startsWith("OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TracingSettings.resolve("http://x:4317", 1.0,
                Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")));
        assertTrue(e.getMessage().contains("OTLP/HTTP (http/protobuf) only; OTEL_EXPORTER_OTLP_PROTOCOL asks for grpc"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TracingSettings.resolve("http://x:4318", 1.5, Map.of()));
        assertEquals("--trace-sample-ratio must be between 0 and 1, was 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TracingSettings.resolve("http:///nohost", 1.0, Map.of()));
    }
}
