package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Tracing across real processes: {@code hearth serve} over a simulated replica (a child process)
 * exports its spans over OTLP/HTTP to a collector run by this test (the JDK's HttpServer taking
 * {@code POST /v1/traces}, protobuf bodies), and the replica records the {@code traceparent} it was
 * sent ({@code GET /_sim/traces}), as vLLM started with {@code --otlp-traces-endpoint} would take it.
 */
class TracingProcessTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
    private static final String CLIENT_SPAN = "b7ad6b7169203331";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";
    private final HttpClient http = HttpClient.newHttpClient();

    /** A span as exported, with its resource's service name. */
    private record Exported(String service, Span span) {
        String id() {
            return HexFormat.of().formatHex(span.getSpanId().toByteArray());
        }

        String parent() {
            return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
        }

        String attr(String key) {
            for (KeyValue kv : span.getAttributesList()) {
                if (kv.getKey().equals(key)) {
                    var v = kv.getValue();
                    return v.hasStringValue() ? v.getStringValue() : v.hasIntValue() ? String.valueOf(v.getIntValue())
                            : v.hasBoolValue() ? String.valueOf(v.getBoolValue()) : v.toString();
                }
            }
            return null;
        }
    }

    /** An OTLP/HTTP traces receiver on a loopback port. */
    private static final class Collector implements AutoCloseable {
        final List<Exported> spans = new CopyOnWriteArrayList<>();
        final HttpServer server;

        Collector() throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    if (!exchange.getRequestMethod().equals("POST")) {
                        exchange.sendResponseHeaders(405, -1);
                        return;
                    }
                    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                    for (ResourceSpans rs : request.getResourceSpansList()) {
                        String service = rs.getResource().getAttributesList().stream()
                                .filter(kv -> kv.getKey().equals("service.name")).map(kv -> kv.getValue().getStringValue())
                                .findFirst().orElse(null);
                        for (ScopeSpans ss : rs.getScopeSpansList()) {
                            ss.getSpansList().forEach(s -> spans.add(new Exported(service, s)));
                        }
                    }
                    byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
                    exchange.getResponseBody().write(ok);
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        /** The spans of a trace, once its SERVER span arrived (batches leave hearth about once a second). */
        List<Exported> trace(String traceId) throws InterruptedException {
            for (int i = 0; i < 300; i++) {
                List<Exported> of = spans.stream()
                        .filter(e -> HexFormat.of().formatHex(e.span().getTraceId().toByteArray()).equals(traceId)).toList();
                if (of.stream().anyMatch(e -> e.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)) {
                    return of;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("no server span of trace " + traceId + " exported; got " + spans);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private HttpResponse<String> chat(URI gateway, String content, String traceparent) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"" + content
                        + "\"}],\"max_tokens\":4,\"temperature\":0}"));
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    /** The trace headers the (only) replica of the served deployment received last. */
    private Map<String, String> lastTraceHeaders(URI gateway) throws Exception {
        JsonNode d = JSON.readTree(http.send(HttpRequest.newBuilder(gateway.resolve("/api/v1/deployments/qwen3-0-6b")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        JsonNode replicas = d.path("replica_statuses");
        assertEquals(1, replicas.size(), d.toString());
        URI replica = URI.create(replicas.get(0).path("url").asText());
        JsonNode data = JSON.readTree(http.send(HttpRequest.newBuilder(replica.resolve("/_sim/traces")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("data");
        assertFalse(data.isEmpty(), "the replica recorded no request");
        JsonNode last = data.get(data.size() - 1);
        assertEquals("/v1/chat/completions", last.path("path").asText());
        return JSON.convertValue(last.path("trace_headers"), JSON.getTypeFactory().constructMapType(Map.class, String.class,
                String.class));
    }

    @Test
    void spansAreExportedUnderTheClientsSpanAndTheEngineIsParentedOnTheUpstreamSpan() throws Exception {
        try (Collector collector = new Collector();
             HearthProcess.Serving serve = HearthProcess.serve("--replicas", "1", "--port", "0", "--time-scale", "10",
                     "--state-dir", Files.createTempDirectory("hearth-trace").toString(), "--otlp-endpoint", collector.url())) {
            assertTrue(serve.printed().contains("Tracing  spans over OTLP/HTTP to " + collector.url() + "/v1/traces"),
                    serve.printed());
            HttpResponse<String> r = chat(serve.gateway(), "where does this go", TRACEPARENT);
            String replica = r.headers().firstValue("x-hearth-replica").orElseThrow();

            String sent = lastTraceHeaders(serve.gateway()).get("traceparent");
            assertNotNull(sent, "the engine was sent a traceparent");
            String[] parts = sent.split("-");
            assertEquals(TRACE_ID, parts[1], "the client's trace continues into the engine");
            assertNotEquals(CLIENT_SPAN, parts[2], "the engine's parent is the gateway's span, not the client's");

            List<Exported> spans = collector.trace(TRACE_ID);
            assertTrue(spans.stream().allMatch(e -> "hearth".equals(e.service())), spans.toString());
            List<Exported> servers = spans.stream().filter(e -> e.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER).toList();
            assertEquals(1, servers.size(), spans.toString());
            Exported server = servers.get(0);
            assertEquals("POST /v1/chat/completions", server.span().getName());
            assertEquals(CLIENT_SPAN, server.parent(), "the server span is the client span's child");
            assertEquals("200", server.attr("http.response.status_code"));
            assertEquals("Qwen/Qwen3-0.6B", server.attr("gen_ai.request.model"));
            assertEquals(replica, server.attr("hearth.replica"));

            List<Exported> clients = spans.stream().filter(e -> e.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT).toList();
            assertEquals(1, clients.size(), spans.toString());
            Exported upstream = clients.get(0);
            assertEquals(parts[2], upstream.id(), "the engine's traceparent names the exported upstream span as parent");
            assertEquals(server.id(), upstream.parent());
            assertEquals(replica, upstream.attr("hearth.replica"));
            assertEquals("200", upstream.attr("http.response.status_code"));

            Exported routing = spans.stream().filter(e -> e.span().getName().equals("router.route")).findFirst().orElseThrow();
            assertEquals(server.id(), routing.parent());
            assertEquals(replica, routing.attr("hearth.replica"));
            assertNotNull(routing.attr("hearth.route.reason"));
            List<Exported> lookups = spans.stream().filter(e -> e.span().getName().equals("prediction_cache.lookup")).toList();
            assertFalse(lookups.isEmpty(), spans.toString());
            lookups.forEach(l -> {
                assertEquals(server.id(), l.parent());
                assertEquals("false", l.attr("hearth.cache.hit"));
            });
            assertEquals(3 + lookups.size(), spans.size(), "server, routing, lookups and the call: " + spans);
        }
    }

    @Test
    void withoutAnEndpointTheEngineGetsTheClientsTraceparentUnchanged() throws Exception {
        try (HearthProcess.Serving serve = HearthProcess.serve("--replicas", "1", "--port", "0", "--time-scale", "10",
                "--state-dir", Files.createTempDirectory("hearth-notrace").toString())) {
            assertFalse(serve.printed().contains("Tracing"), serve.printed());
            chat(serve.gateway(), "untraced", TRACEPARENT);
            assertEquals(Map.of("traceparent", TRACEPARENT), lastTraceHeaders(serve.gateway()));
        }
    }

    @Test
    void aBadEndpointIsAOneLineUsageError() throws Exception {
        // --engine-url that nothing answers: were the endpoint not checked first, serve would fail later with exit 1.
        CliProcessTest.assertOneLineError(HearthProcess.run("serve", "--engine-url", "http://127.0.0.1:9",
                "--otlp-endpoint", "127.0.0.1:4318"), 2,
                "hearth serve: --otlp-endpoint must be an http(s) URL such as http://127.0.0.1:4318, was '127.0.0.1:4318'");
        CliProcessTest.assertOneLineError(HearthProcess.run(List.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4318"),
                "serve", "--engine-url", "http://127.0.0.1:9"), 2, "OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL");
        CliProcessTest.assertOneLineError(HearthProcess.run("serve", "--engine-url", "http://127.0.0.1:9",
                "--otlp-endpoint", "http://127.0.0.1:4318", "--trace-sample-ratio", "2"), 2,
                "--trace-sample-ratio must be between 0 and 1, was 2.0");
    }
}
