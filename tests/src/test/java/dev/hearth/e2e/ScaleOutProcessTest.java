package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two {@code hearth serve} gateways and one redis-server of the test's own in front of the same four
 * simulators, all separate processes: conversations, cached answers, tenant limits and learned
 * routing decisions are shared, and stopping Redis mid-traffic costs no request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutProcessTest {
    private static final String KEY = "sk-scale-out-test";
    private static final String ONLY_A = "sk-in-gateway-a-file-only";
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<SimProcess> sims = new ArrayList<>();
    private int redisPort;
    private Process redis;
    private HearthProcess.Serving a;
    private HearthProcess.Serving b;
    private Path keysOfA;

    @BeforeAll
    void start() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        redis = startRedis(redisPort);
        for (int i = 0; i < 4; i++) {
            sims.add(SimProcess.start("--time-scale", "4"));
        }
        keysOfA = Files.createTempFile("keys-a", ".txt");
        Files.writeString(keysOfA, KEY + " acme\n" + ONLY_A + " globex\n");
        Path keysOfB = Files.createTempFile("keys-b", ".txt");
        Files.writeString(keysOfB, KEY + " acme\n");
        a = serve(keysOfA);
        b = serve(keysOfB);
    }

    private HearthProcess.Serving serve(Path keys) throws IOException {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--redis", "redis://127.0.0.1:" + redisPort,
                "--api-keys", keys.toString(), "--tenant-concurrency", "2",
                "--state-dir", Files.createTempDirectory("hearth-gw").toString()));
        for (SimProcess s : sims) {
            args.add("--engine-url");
            args.add(s.url().toString());
        }
        return HearthProcess.serve(args.toArray(String[]::new));
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        sims.forEach(SimProcess::close);
        if (redis != null) {
            redis.destroyForcibly();
        }
    }

    /** A redis-server of the test's own on loopback, keeping nothing on disk; {@code extra}: more of its flags. */
    static Process startRedis(int port, String... extra) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", Files.createTempDirectory("redis").toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (var probe = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException e) {
                assertTrue(System.currentTimeMillis() < deadline, "redis-server did not start");
                Thread.sleep(20);
            }
        }
    }

    private HttpResponse<String> chat(URI gateway, String session, String content, String extra) throws Exception {
        return chat(gateway, KEY, session, content, extra);
    }

    private HttpResponse<String> chat(URI gateway, String key, String session, String content, String extra) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"" + content
                        + "\"}],\"max_tokens\":4" + extra + "}"));
        if (session != null) {
            r.header("X-Session-Id", session);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    private String metric(URI gateway, String name) throws Exception {
        String text = http.send(HttpRequest.newBuilder(gateway.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double v = PrometheusSamples.parse(text).value(name);
        return Double.isNaN(v) ? "absent" : v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** Sessions started on A continue on B, on the replica A bound them to, by B honouring A's binding. */
    @Test
    @Order(1)
    void aSessionStartedOnOneGatewayContinuesOnTheOther() throws Exception {
        for (int i = 0; i < 8; i++) {
            String session = "conversation-" + i;
            HttpResponse<String> first = chat(a.gateway(), session, "turn one of " + session + " " + "context ".repeat(40), "");
            assertEquals(200, first.statusCode(), first.body());
            String replica = header(first, "x-hearth-replica");
            HttpResponse<String> second = chat(b.gateway(), session, "turn two of " + session, "");
            assertEquals(200, second.statusCode(), second.body());
            assertEquals(replica, header(second, "x-hearth-replica"), session + " moved between gateways");
            assertEquals("session", header(second, "x-hearth-route"), "B honoured A's binding, not its own guess");
        }
    }

    /** An answer cached through A is a hit through B, byte for byte. */
    @Test
    @Order(2)
    void aPredictionCachedThroughOneGatewayIsAHitThroughTheOther() throws Exception {
        HttpResponse<String> miss = chat(a.gateway(), null, "what is shared", ",\"temperature\":0");
        assertEquals("miss", header(miss, "x-hearth-cache"), miss.body());
        HttpResponse<String> hit = chat(b.gateway(), null, "what is shared", ",\"temperature\":0");
        assertEquals("hit", header(hit, "x-hearth-cache"));
        assertEquals(miss.body(), hit.body());
    }

    /** A prompt A placed (and learned, no KV events here) is known to B through the batched decision feed. */
    @Test
    @Order(3)
    void aPromptPlacedThroughOneGatewayIsFoundThroughTheOther() throws Exception {
        String document = "the shared manual chapter " + "of rivers and stones ".repeat(60);
        Thread.sleep(300); // several batch intervals: the earlier tests' decisions are all published
        double sent = Double.parseDouble(metric(a.gateway(), "hearth_shared_decisions_published_total"));
        // What only a gateway sharing state serves, as the observability skill lists it (MetricsProcessTest checks the rest).
        java.util.Map<String, String> types = PrometheusSamples.parse(http.send(HttpRequest.newBuilder(a.gateway()
                .resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body()).types();
        assertEquals(java.util.Map.of("hearth_redis_available", "gauge", "hearth_redis_failures_total", "counter",
                "hearth_sessions_unshared", "gauge", "hearth_shared_decisions_published_total", "counter",
                "hearth_shared_decisions_received_total", "counter", "hearth_shared_decisions_dropped_total", "counter",
                "hearth_control_plane_leader", "gauge"), types.entrySet().stream().filter(e -> e.getKey().startsWith("hearth_redis")
                || e.getKey().startsWith("hearth_shared") || e.getKey().equals("hearth_sessions_unshared")
                || e.getKey().equals("hearth_control_plane_leader")).collect(java.util.stream.Collectors.toMap(
                java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
        HttpResponse<String> placed = chat(a.gateway(), null, document + " question one", "");
        assertEquals(200, placed.statusCode(), placed.body());
        String replica = header(placed, "x-hearth-replica");
        // A publishes this decision in its next batch; B has it once B has heard all A published (only A publishes to B).
        long deadline = System.currentTimeMillis() + 5_000;
        double published;
        while ((published = Double.parseDouble(metric(a.gateway(), "hearth_shared_decisions_published_total"))) <= sent) {
            assertTrue(System.currentTimeMillis() < deadline, "A published no decision");
            Thread.sleep(20);
        }
        while (Double.parseDouble(metric(b.gateway(), "hearth_shared_decisions_received_total")) < published) {
            assertTrue(System.currentTimeMillis() < deadline, "B heard no decision from A");
            Thread.sleep(20);
        }
        HttpResponse<String> found = chat(b.gateway(), null, document + " question two", "");
        assertEquals(replica, header(found, "x-hearth-replica"));
        assertTrue(header(found, "x-hearth-route").startsWith("prefix-hit"), header(found, "x-hearth-route"));
    }

    /** Two streams held through A fill the tenant's limit of 2: B refuses a third with OpenAI's 429. */
    @Test
    @Order(4)
    void aTenantsConcurrencyLimitHoldsAcrossGateways() throws Exception {
        List<InputStream> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(a.gateway().resolve("/v1/chat/completions"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + KEY)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"long story "
                                + i + "\"}],\"max_tokens\":4000,\"stream\":true,\"ignore_eos\":true}")).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, stream.statusCode());
                held.add(stream.body());
                assertTrue(stream.body().read() >= 0, "the stream started");
            }
            HttpResponse<String> third = chat(b.gateway(), null, "one too many", "");
            assertEquals(429, third.statusCode(), third.body());
            assertTrue(third.body().contains("\"code\":\"concurrency_limit\""), third.body());
            assertEquals("1", header(third, "retry-after"));
        } finally {
            for (InputStream s : held) {
                s.close();
            }
        }
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) { // the streams' slots come back once A sees its clients gone
            HttpResponse<String> again = chat(b.gateway(), null, "room again", "");
            if (again.statusCode() == 200) {
                break;
            }
            assertEquals(429, again.statusCode(), again.body());
            assertTrue(System.currentTimeMillis() < deadline, "the limit never freed");
            Thread.sleep(200);
        }
    }

    /**
     * Redis stops while requests flow through both gateways: none fails, the gateways say so in
     * metrics and keep binding sessions locally; when it returns they write those bindings and share again.
     */
    @Test
    @Order(5)
    void stoppingRedisMidTrafficLosesNoRequestAndRestartingItRestoresSharing() throws Exception {
        boolean longMode = Boolean.getBoolean("hearth.faults.long"); // FaultsProcessTest's longer manual run
        AtomicBoolean running = new AtomicBoolean(true);
        RequestTally tally = new RequestTally("redis stopped and restarted (ScaleOutProcessTest, 2 gateways)");
        AtomicInteger refused = new AtomicInteger();
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 2; t++) { // the tenant's limit is 2: two clients, each waiting for its answer
            int thread = t;
            load.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; running.get(); i++) {
                    URI g = (i + thread) % 2 == 0 ? a.gateway() : b.gateway();
                    try {
                        HttpResponse<String> r = chat(g, "load-" + thread + "-" + (i / 3), "load " + thread + " " + i, "");
                        while (r.statusCode() == 429) { // a slot freed after the answer arrived; a client retries
                            refused.incrementAndGet();
                            Thread.sleep(50);
                            r = chat(g, "load-" + thread + "-" + (i / 3), "load " + thread + " " + i, "");
                        }
                        if (r.statusCode() == 200) {
                            tally.answered();
                        } else {
                            tally.failed(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        tally.failed(e.toString());
                    }
                }
            }));
        }
        Thread.sleep(longMode ? 5_000 : 500);
        redis.destroyForcibly();
        redis.waitFor(5, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!metric(a.gateway(), "hearth_redis_available").equals("0")
                || !metric(b.gateway(), "hearth_redis_available").equals("0")) {
            assertTrue(System.currentTimeMillis() < deadline, "the gateways never noticed Redis was gone");
            Thread.sleep(100);
        }
        // A conversation that starts while Redis is away: bound on A alone for now.
        HttpResponse<String> during = chat(a.gateway(), "born-during-outage", "first turn while redis is away", "");
        assertEquals(200, during.statusCode(), during.body());
        Thread.sleep(longMode ? 10_000 : 1_000);

        redis = startRedis(redisPort);
        deadline = System.currentTimeMillis() + 15_000;
        while (!metric(a.gateway(), "hearth_redis_available").equals("1")
                || !metric(b.gateway(), "hearth_redis_available").equals("1")
                || !metric(a.gateway(), "hearth_sessions_unshared").equals("0")) {
            assertTrue(System.currentTimeMillis() < deadline, "the gateways never reconciled with the new Redis");
            Thread.sleep(100);
        }
        Thread.sleep(500);
        running.set(false);
        for (Thread t : load) {
            t.join(30_000);
        }
        System.out.println(tally.line() + " (and " + refused.get() + " 429s at the tenant's limit of 2, each retried)");
        assertTrue(tally.sent() > 20, "traffic flowed: " + tally.sent());
        assertTrue(refused.get() < tally.sent() / 4, "429s are rare retries, not the answer: " + refused.get());
        assertEquals(List.of(), tally.failures(), "no request failed while Redis was away");

        HttpResponse<String> later = chat(b.gateway(), "born-during-outage", "second turn", "");
        assertEquals(header(during, "x-hearth-replica"), header(later, "x-hearth-replica"),
                "the binding A made alone was written to Redis when it returned");
        assertEquals("session", header(later, "x-hearth-route"));
        for (int i = 0; i < 8; i++) { // bound before the outage; the new Redis started empty, the gateways wrote them back
            HttpResponse<String> onA = chat(a.gateway(), "conversation-" + i, "turn three", "");
            HttpResponse<String> onB = chat(b.gateway(), "conversation-" + i, "turn four", "");
            assertEquals(header(onA, "x-hearth-replica"), header(onB, "x-hearth-replica"), "conversation-" + i);
            assertEquals("session", header(onB, "x-hearth-route"));
        }
        HttpResponse<String> fresh = chat(a.gateway(), "after-return", "a new conversation", "");
        HttpResponse<String> next = chat(b.gateway(), "after-return", "its second turn", "");
        assertEquals(header(fresh, "x-hearth-replica"), header(next, "x-hearth-replica"));
        assertEquals("session", header(next, "x-hearth-route"));
    }

    /** A key in A's file alone works at B (its digest went through Redis); removed from A's file, it stops working at B. */
    @Test
    @Order(6)
    void anApiKeyAddedOrRevokedAtOneGatewayHoldsAtTheOther() throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (chat(b.gateway(), ONLY_A, null, "from globex", "").statusCode() != 200) { // republished to the new Redis
            assertTrue(System.currentTimeMillis() < deadline, "B never accepted the key from A's file");
            Thread.sleep(200);
        }
        assertEquals(401, chat(b.gateway(), "sk-nobody", null, "from nobody", "").statusCode());
        Files.writeString(keysOfA, KEY + " acme\n");
        Files.setLastModifiedTime(keysOfA, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5_000));
        deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            HttpResponse<String> r = chat(b.gateway(), ONLY_A, null, "from globex again", "");
            if (r.statusCode() == 401) {
                assertTrue(r.body().contains("invalid_api_key"), r.body());
                break;
            }
            assertTrue(System.currentTimeMillis() < deadline, "B still accepts a key A revoked");
            Thread.sleep(200);
        }
        assertEquals(200, chat(b.gateway(), null, "acme still welcome", "").statusCode());
    }
}
