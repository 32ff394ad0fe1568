package dev.hearth.enginesim.server;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hearth.enginesim.engine.EngineLimits;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The simulator-only {@code /_sim/traces}: the trace headers each inference request arrived with, in order. */
class TraceHeadersRouteTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void inferenceRequestsAreRecordedWithTheTraceHeadersTheyCarried() throws Exception {
        try (SimFixture sim = SimFixture.vllm()) {
            HttpResponse<String> traced = sim.http.send(HttpRequest.newBuilder(sim.uri("/v1/chat/completions"))
                    .header("Content-Type", "application/json").header("traceparent", TRACEPARENT)
                    .header("tracestate", "a=1").header("X-Request-Id", "req-7").header("baggage", "k=v")
                    .POST(HttpRequest.BodyPublishers.ofString(SimFixture.chat("system", "hello", 2))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, traced.statusCode(), traced.body());
            assertEquals(200, sim.post("/v1/completions", "{\"model\":\"" + SimFixture.MODEL
                    + "\",\"prompt\":\"hi\",\"max_tokens\":2}").statusCode());
            sim.get("/v1/models"); // not an inference request: not recorded

            JsonNode data = SimFixture.json(sim.get("/_sim/traces")).get("data");
            assertEquals(2, data.size(), data.toString());
            assertEquals("/v1/chat/completions", data.get(0).get("path").asText());
            assertEquals("req-7", data.get(0).get("request_id").asText());
            assertEquals(TRACEPARENT, data.get(0).at("/trace_headers/traceparent").asText());
            assertEquals("a=1", data.get(0).at("/trace_headers/tracestate").asText());
            assertEquals(2, data.get(0).get("trace_headers").size(), "only traceparent and tracestate, as vLLM keeps");
            assertEquals("/v1/completions", data.get(1).get("path").asText());
            assertTrue(data.get(1).get("trace_headers").isEmpty());

            sim.http.send(HttpRequest.newBuilder(sim.uri("/_sim/traces")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(SimFixture.json(sim.get("/_sim/traces")).get("data").isEmpty());
        }
    }

    @Test
    void sglangsGenerateIsRecordedToo() throws Exception {
        try (SimFixture sim = new SimFixture(Flavor.SGLANG, new EngineLimits(1, 100_000, 8_192, 64, 8_192), 50, null, null)) {
            HttpResponse<String> r = sim.http.send(HttpRequest.newBuilder(sim.uri("/generate"))
                    .header("Content-Type", "application/json").header("traceparent", TRACEPARENT)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"hi\",\"sampling_params\":{\"max_new_tokens\":2}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            JsonNode data = SimFixture.json(sim.get("/_sim/traces")).get("data");
            assertEquals("/generate", data.get(0).get("path").asText());
            assertEquals(TRACEPARENT, data.get(0).at("/trace_headers/traceparent").asText());
        }
    }
}
