package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replicas that hang, over real HTTP on loopback: a request gets no first byte within the upstream
 * timeout and is retried elsewhere, a stream that goes quiet ends with an error event at the idle
 * timeout, and a replica that keeps timing out has its circuit opened (nothing sent there though its
 * /health passes) until a probe after the cool-down succeeds.
 */
class HangProtectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODEL = "Qwen/Qwen3-0.6B";
    private static final Duration TIMEOUT = Duration.ofMillis(600);
    private static final Duration COOL_DOWN = Duration.ofMillis(1_500);
    private final HttpClient http = HttpClient.newHttpClient();
    private GatewayFixture fixture;

    @BeforeEach
    void start() {
        fixture = new GatewayFixture(3, i -> new SimSettings("127.0.0.1", 0, Flavor.VLLM, MODEL, Profiles.H100_QWEN3_0_6B,
                new EngineLimits(16, 20_000, 16_384, 64, 8_192), 50, null, null),
                GatewayConfig.open("127.0.0.1", 0, MODEL, MODEL, 16_384, Duration.ofMillis(100)).withUpstream(
                        new UpstreamLimits(TIMEOUT, TIMEOUT, new CircuitBreaker.Settings(2, COOL_DOWN))), null);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void fault(int replica, String json) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + fixture.sims.get(replica).port() + "/_sim/faults");
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        http.send((json == null ? b.DELETE() : b.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> complete(String prompt, boolean stream) throws Exception {
        return http.send(HttpRequest.newBuilder(fixture.uri("/v1/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"" + prompt + "\",\"max_tokens\":4,\"stream\":"
                        + stream + "}")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private double metric(String name, String replica) throws Exception {
        String text = http.send(HttpRequest.newBuilder(fixture.uri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String prefix = name + "{deployment=\"" + MODEL + "\"" + (replica == null ? "" : ",replica=\"" + replica + "\"") + "} ";
        return text.lines().filter(l -> l.startsWith(prefix)).mapToDouble(l -> Double.parseDouble(l.substring(prefix.length())))
                .findFirst().orElse(Double.NaN);
    }

    private int received(int replica) {
        return fixture.sims.get(replica).traces().received().size();
    }

    @Test
    void aHungReplicaTimesOutItsRequestsOpensItsCircuitAndClosesItOnceItAnswersAgain() throws Exception {
        fault(0, "{\"latency_ms\":5000}");
        int retried = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (metric("hearth_replica_circuit_open", "replica-0") != 1) {
            assertTrue(System.nanoTime() < deadline, "the circuit of the hung replica never opened");
            long t0 = System.nanoTime();
            HttpResponse<String> r = complete("hang " + retried + " " + System.nanoTime(), retried % 2 == 0);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, r.statusCode(), r.body());
            String route = r.headers().firstValue("x-hearth-route").orElseThrow();
            assertNotEquals("replica-0", r.headers().firstValue("x-hearth-replica").orElseThrow());
            if (route.contains("retried=")) {
                retried++;
                assertTrue(ms >= TIMEOUT.toMillis() - 50 && ms < TIMEOUT.toMillis() + 3_000,
                        "timed out at the timeout, then answered elsewhere: " + ms + " ms");
            }
        }
        assertTrue(retried >= 2, "two timeouts opened it: " + retried);
        assertEquals(retried, metric("hearth_upstream_timeouts_total", null));
        assertEquals(1, metric("hearth_circuit_opens_total", null));
        // Open: the replica passes /health (the prober says healthy) and still gets nothing.
        int before = received(0);
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = complete("while open " + i, false);
            assertEquals(200, r.statusCode());
            assertFalse(r.headers().firstValue("x-hearth-route").orElseThrow().contains("retried="));
        }
        assertEquals(1, metric("hearth_replica_healthy", "replica-0"), "its /health passes all along");
        assertEquals(before, received(0), "nothing was sent to the open circuit");
        assertEquals(1, metric("hearth_replica_circuit_open", "replica-0"), "the prober did not close it");
        // Lifted: after the cool-down one probe goes; it answers, the circuit closes and traffic returns.
        fault(0, null);
        Thread.sleep(COOL_DOWN.toMillis());
        deadline = System.nanoTime() + 10_000_000_000L;
        boolean back = false;
        for (int i = 0; !back; i++) { // concurrent requests spread by load, so replica-0 is chosen as soon as it may be
            assertTrue(System.nanoTime() < deadline, "replica-0 never took a request again");
            List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
            for (int k = 0; k < 6; k++) {
                batch.add(http.sendAsync(HttpRequest.newBuilder(fixture.uri("/v1/completions"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"prompt\":\"after " + i + " " + k + "\",\"max_tokens\":64,\"ignore_eos\":true}")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (var f : batch) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertEquals(200, r.statusCode());
                back |= r.headers().firstValue("x-hearth-replica").orElseThrow().equals("replica-0");
            }
        }
        assertEquals(0, metric("hearth_replica_circuit_open", "replica-0"));
    }

    @Test
    void aStreamThatGoesQuietEndsWithAnErrorEventAtTheIdleTimeout() throws Exception {
        for (int i = 0; i < 3; i++) {
            fault(i, "{\"stall_ms\":10000}");
        }
        long t0 = System.nanoTime();
        HttpResponse<String> r = complete("go quiet", true);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, r.statusCode(), "the stream had started");
        String[] events = r.body().split("\n\n");
        String last = events[events.length - 1];
        assertTrue(last.startsWith("data: {\"error\""), "ends with an error event: " + r.body());
        JsonNode error = JSON.readTree(last.substring(6)).get("error");
        assertEquals("upstream_timeout", error.get("code").asText());
        assertTrue(error.get("message").asText().contains("stopped mid-stream (it sent nothing for 0.6 s)"),
                error.toString());
        assertTrue(ms >= TIMEOUT.toMillis() && ms < TIMEOUT.toMillis() + 2_000, "ended at the idle timeout: " + ms + " ms");
        assertEquals(1, metric("hearth_upstream_timeouts_total", null));
    }

    @Test
    void whenEveryReplicaHangsTheClientGetsA504AndOpenCircuitsAreStillTried() throws Exception {
        for (int i = 0; i < 3; i++) {
            fault(i, "{\"latency_ms\":5000}");
        }
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = complete("nobody answers " + round, false);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(504, r.statusCode(), r.body());
            JsonNode error = JSON.readTree(r.body()).get("error");
            assertEquals("upstream_timeout", error.get("code").asText(), r.body());
            assertTrue(ms < 3 * TIMEOUT.toMillis() + 2_000, "three attempts at most, each bounded: " + ms + " ms");
        }
        assertEquals(3, (int) (metric("hearth_replica_circuit_open", "replica-0") + metric("hearth_replica_circuit_open",
                "replica-1") + metric("hearth_replica_circuit_open", "replica-2")), "every circuit opened");
        // All open: requests are still sent (panic routing), not refused with "no healthy replica".
        int before = received(0) + received(1) + received(2);
        HttpResponse<String> r = complete("still tried", false);
        assertEquals(504, r.statusCode(), r.body());
        assertTrue(received(0) + received(1) + received(2) > before);
    }
}
