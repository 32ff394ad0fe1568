package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import dev.hearth.enginesim.server.TraceHeaders;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.platform.tracing.Tracing;
import dev.hearth.router.Router;
import dev.hearth.router.cache.MemoryPredictionStore;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Spans of requests through a real gateway over two simulators, exported to memory: their names,
 * tree and attributes, the trace continued from the client's {@code traceparent}, and what each
 * simulator received as its parent; with tracing off, the client's headers reach the engine as sent.
 */
class GatewayTracingTest {
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CLIENT_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01";

    private final HttpClient http = HttpClient.newHttpClient();
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final List<SimServer> sims = new ArrayList<>();
    private Gateway gateway;

    private void start(Tracing tracing) {
        Router router = Router.withDefaults();
        ReplicaGroup group = new ReplicaGroup("m", new ReplicaGroup.Served("m", "v1", 8_192), router,
                new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16), System::currentTimeMillis);
        for (int i = 0; i < 2; i++) {
            SimServer sim = SimServer.start(new SimSettings("127.0.0.1", 0, Flavor.VLLM, "m", Profiles.H100_QWEN3_0_6B,
                    new EngineLimits(16, 4_000, 8_192, 64, 8_192), 50, null, null));
            sims.add(sim);
            router.addReplica("replica-" + i, sim.settings().limits().kvBlocks());
            group.add(new Backend("replica-" + i, new EngineClient(URI.create("http://127.0.0.1:" + sim.port()),
                    Duration.ofSeconds(2), Duration.ofSeconds(2)), null), true);
        }
        ReplicaGroups groups = new ReplicaGroups();
        groups.add(group);
        gateway = new Gateway(GatewayConfig.open("127.0.0.1", 0, "m", "v1", 8_192, Duration.ofMillis(200)), groups,
                new MemoryPredictionStore(16 << 20, Duration.ofMinutes(5)), System::currentTimeMillis, List.of(), null,
                SharedState.local(0), tracing).start();
    }

    private Tracing traced() {
        return Tracing.over(SimpleSpanProcessor.create(exported), 1.0, "hearth");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        sims.forEach(SimServer::close);
    }

    private HttpResponse<String> chat(String content, Map<String, String> headers, String extra) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\""
                        + content + "\"}],\"max_tokens\":4" + extra + "}"));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The spans of one trace once its SERVER span has ended (it ends just after the response is written). */
    private List<SpanData> trace(String traceId) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<SpanData> spans = exported.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId)).toList();
            if (spans.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER)) {
                return spans;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no server span for trace " + traceId + " in " + exported.getFinishedSpanItems());
    }

    private static SpanData only(List<SpanData> spans, String name) {
        List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, named.size(), name + " in " + spans);
        return named.get(0);
    }

    private static SpanData only(List<SpanData> spans, SpanKind kind) {
        List<SpanData> of = spans.stream().filter(s -> s.getKind() == kind).toList();
        assertEquals(1, of.size(), kind + " in " + spans);
        return of.get(0);
    }

    private static <T> T attr(SpanData s, AttributeKey<T> key) {
        return s.getAttributes().get(key);
    }

    private TraceHeaders.Received lastReceived(String replica) {
        List<TraceHeaders.Received> got = sims.get(Integer.parseInt(replica.substring("replica-".length()))).traces().received();
        assertFalse(got.isEmpty(), replica + " received nothing");
        return got.get(got.size() - 1);
    }

    @Test
    void aRequestIsOneServerSpanWithRoutingCacheAndUpstreamChildrenUnderTheClientsParent() throws Exception {
        start(traced());
        HttpResponse<String> r = chat("trace me", Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc"),
                ",\"temperature\":0");
        assertEquals(200, r.statusCode(), r.body());
        String replica = r.headers().firstValue("x-hearth-replica").orElseThrow();

        List<SpanData> spans = trace(TRACE_ID);
        SpanData server = only(spans, SpanKind.SERVER);
        assertEquals("POST /v1/chat/completions", server.getName());
        assertEquals(CLIENT_SPAN, server.getParentSpanId(), "continues the client's trace under its span");
        assertTrue(server.getParentSpanContext().isRemote());
        assertEquals(200L, attr(server, AttributeKey.longKey("http.response.status_code")));
        assertEquals("/v1/chat/completions", attr(server, AttributeKey.stringKey("http.route")));
        assertEquals("m", attr(server, AttributeKey.stringKey("gen_ai.request.model")));
        assertEquals("chat", attr(server, AttributeKey.stringKey("gen_ai.operation.name")));
        assertEquals("m", attr(server, AttributeKey.stringKey("hearth.deployment")));
        assertEquals(replica, attr(server, AttributeKey.stringKey("hearth.replica")));
        assertEquals("miss", attr(server, AttributeKey.stringKey("hearth.cache.result")));
        assertEquals(r.headers().firstValue("x-hearth-route").orElseThrow(),
                attr(server, AttributeKey.stringKey("hearth.route.decision")));
        assertEquals("hearth", server.getResource().getAttribute(AttributeKey.stringKey("service.name")));

        SpanData routing = only(spans, "router.route");
        assertEquals(server.getSpanId(), routing.getParentSpanId());
        assertEquals(replica, attr(routing, AttributeKey.stringKey("hearth.replica")));
        assertEquals(r.headers().firstValue("x-hearth-route").orElseThrow(),
                attr(routing, AttributeKey.stringKey("hearth.route.reason")));
        assertEquals(0L, attr(routing, AttributeKey.longKey("hearth.route.cached_blocks")), "a first prompt is cached nowhere");
        assertEquals(1L, attr(routing, AttributeKey.longKey("hearth.attempt")));

        List<SpanData> lookups = spans.stream().filter(s -> s.getName().equals("prediction_cache.lookup")).toList();
        assertFalse(lookups.isEmpty());
        lookups.forEach(l -> {
            assertEquals(server.getSpanId(), l.getParentSpanId());
            assertEquals(false, attr(l, AttributeKey.booleanKey("hearth.cache.hit")));
        });

        SpanData upstream = only(spans, SpanKind.CLIENT);
        assertEquals("POST /v1/chat/completions", upstream.getName());
        assertEquals(server.getSpanId(), upstream.getParentSpanId());
        assertEquals(replica, attr(upstream, AttributeKey.stringKey("hearth.replica")));
        assertEquals("127.0.0.1", attr(upstream, AttributeKey.stringKey("server.address")));
        assertEquals(200L, attr(upstream, AttributeKey.longKey("http.response.status_code")));
        assertNull(attr(upstream, AttributeKey.longKey("http.request.resend_count")));
        assertFalse(upstream.getEndEpochNanos() < routing.getEndEpochNanos(), "routing comes before the call");

        TraceHeaders.Received received = lastReceived(replica);
        assertEquals("00-" + TRACE_ID + "-" + upstream.getSpanId() + "-01", received.headers().get("traceparent"),
                "the engine's parent is the upstream span");
        assertEquals("vendor=abc", received.headers().get("tracestate"));

        // The same deterministic request again: answered from the cache, no engine call in its trace.
        String second = "4bf92f3577b34da6a3ce929d0e0e4737";
        HttpResponse<String> hit = chat("trace me", Map.of("traceparent", "00-" + second + "-" + CLIENT_SPAN + "-01"),
                ",\"temperature\":0");
        assertEquals("hit", hit.headers().firstValue("x-hearth-cache").orElseThrow());
        List<SpanData> cached = trace(second);
        assertEquals(true, attr(only(cached, "prediction_cache.lookup"), AttributeKey.booleanKey("hearth.cache.hit")));
        assertTrue(cached.stream().noneMatch(s -> s.getKind() == SpanKind.CLIENT || s.getName().equals("router.route")),
                cached.toString());
        assertEquals("hit", attr(only(cached, SpanKind.SERVER), AttributeKey.stringKey("hearth.cache.result")));
    }

    @Test
    void aRetryIsASecondRoutingAndUpstreamSpanAndEachEngineSeesItsOwnParent() throws Exception {
        start(traced());
        HttpResponse<String> first = chat("retry me", Map.of("X-Session-Id", "s1"), "");
        assertEquals(200, first.statusCode(), first.body());
        String bound = first.headers().firstValue("x-hearth-replica").orElseThrow();
        SimServer boundSim = sims.get(Integer.parseInt(bound.substring("replica-".length())));
        HttpResponse<String> fault = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + boundSim.port()
                + "/_sim/faults")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"fail_next\":1,\"fail_status\":503}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, fault.statusCode(), fault.body());

        HttpResponse<String> r = chat("retry me again", Map.of("X-Session-Id", "s1", "traceparent", TRACEPARENT), "");
        assertEquals(200, r.statusCode(), r.body());
        String other = r.headers().firstValue("x-hearth-replica").orElseThrow();
        assertNotEquals(bound, other);

        List<SpanData> spans = trace(TRACE_ID);
        List<SpanData> calls = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT)
                .sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
        assertEquals(2, calls.size(), spans.toString());
        assertEquals(bound, attr(calls.get(0), AttributeKey.stringKey("hearth.replica")));
        assertEquals(503L, attr(calls.get(0), AttributeKey.longKey("http.response.status_code")));
        assertEquals(StatusCode.ERROR, calls.get(0).getStatus().getStatusCode());
        assertEquals(other, attr(calls.get(1), AttributeKey.stringKey("hearth.replica")));
        assertEquals(2L, attr(calls.get(1), AttributeKey.longKey("hearth.attempt")));
        assertEquals(1L, attr(calls.get(1), AttributeKey.longKey("http.request.resend_count")));
        assertEquals(2, spans.stream().filter(s -> s.getName().equals("router.route")).count());

        assertEquals("00-" + TRACE_ID + "-" + calls.get(0).getSpanId() + "-01", lastReceived(bound).headers().get("traceparent"));
        assertEquals("00-" + TRACE_ID + "-" + calls.get(1).getSpanId() + "-01", lastReceived(other).headers().get("traceparent"));
    }

    @Test
    void aMalformedTraceparentStartsANewTraceAndTheRequestIsServed() throws Exception {
        start(traced());
        HttpResponse<String> r = chat("malformed", Map.of("traceparent", "00-not-a-trace-01"), "");
        assertEquals(200, r.statusCode(), r.body());
        String replica = r.headers().firstValue("x-hearth-replica").orElseThrow();
        String sent = lastReceived(replica).headers().get("traceparent");
        assertNotNull(sent);
        String traceId = sent.split("-")[1];
        List<SpanData> spans = trace(traceId);
        SpanData server = only(spans, SpanKind.SERVER);
        assertEquals(SpanId.getInvalid(), server.getParentSpanId(), "a root span");
        SpanData upstream = only(spans, SpanKind.CLIENT);
        assertTrue(sent.startsWith("00-" + traceId + "-" + upstream.getSpanId() + "-"), sent);
        assertEquals(1, Integer.parseInt(sent.substring(53), 16) & 1, "sampled (a new trace also says its id is random: 03)");
    }

    @Test
    void aCallerThatDidNotSampleIsFollowedYetItsTraceStillReachesTheEngine() throws Exception {
        start(traced());
        HttpResponse<String> r = chat("unsampled", Map.of("traceparent", "00-" + TRACE_ID + "-" + CLIENT_SPAN + "-00"), "");
        assertEquals(200, r.statusCode(), r.body());
        String sent = lastReceived(r.headers().firstValue("x-hearth-replica").orElseThrow()).headers().get("traceparent");
        assertTrue(sent.startsWith("00-" + TRACE_ID + "-") && sent.endsWith("-00"), sent);
        assertNotEquals(CLIENT_SPAN, sent.split("-")[2], "the gateway's own (unrecorded) span is the parent");
        Thread.sleep(200);
        assertTrue(exported.getFinishedSpanItems().isEmpty(), exported.getFinishedSpanItems().toString());
    }

    @Test
    void withTracingOffTheClientsHeadersReachTheEngineUnchanged() throws Exception {
        start(Tracing.off());
        HttpResponse<String> r = chat("untraced", Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc"), "");
        assertEquals(200, r.statusCode(), r.body());
        TraceHeaders.Received got = lastReceived(r.headers().firstValue("x-hearth-replica").orElseThrow());
        assertEquals(Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=abc"), got.headers());

        HttpResponse<String> malformed = chat("untraced 2", Map.of("traceparent", "garbage"), "");
        assertEquals(200, malformed.statusCode(), malformed.body());
        assertEquals(Map.of("traceparent", "garbage"),
                lastReceived(malformed.headers().firstValue("x-hearth-replica").orElseThrow()).headers(), "passed as sent");

        HttpResponse<String> none = chat("untraced 3", Map.of(), "");
        assertEquals(Map.of(), lastReceived(none.headers().firstValue("x-hearth-replica").orElseThrow()).headers());
        assertTrue(exported.getFinishedSpanItems().isEmpty());
    }
}
