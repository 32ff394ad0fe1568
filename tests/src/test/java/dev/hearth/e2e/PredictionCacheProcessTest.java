package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The prediction cache over real processes: one simulator, a redis-server of the test's own, and
 * two {@code hearth serve} gateways sharing it. A hit costs the engine nothing; Redis going away
 * costs no request.
 */
class PredictionCacheProcessTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private static URI gateway(Process serve) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
        String line;
        URI url = null;
        StringBuilder printed = new StringBuilder();
        while ((line = out.readLine()) != null && !line.startsWith("Press Ctrl-C")) {
            printed.append(line).append('\n');
            Matcher g = Pattern.compile("^Gateway\\s+(http://\\S+)\\s.*").matcher(line);
            if (g.matches()) {
                url = URI.create(g.group(1));
            }
        }
        HearthProcess.drain(out);
        assertNotNull(url, "hearth serve printed no gateway:\n" + printed);
        return url;
    }

    private double engineTokens(URI sim) throws Exception {
        String m = http.send(HttpRequest.newBuilder(sim.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher x = Pattern.compile("(?m)^vllm:prompt_tokens_total\\{[^}]*\\} (\\S+)$").matcher(m);
        assertTrue(x.find());
        return Double.parseDouble(x.group(1));
    }

    private HttpResponse<String> ask(URI gateway, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(gateway.resolve("/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    @Test
    void twoGatewaysShareHitsThroughRedisAndOutliveIt() throws Exception {
        int redisPort;
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        Process redis = new ProcessBuilder(List.of("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", Files.createTempDirectory("redis").toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) { // the gateways must find Redis up, or their first answers go unstored
            try (var probe = new java.net.Socket("127.0.0.1", redisPort)) {
                break;
            } catch (IOException e) {
                assertTrue(System.currentTimeMillis() < deadline, "redis-server did not start");
                Thread.sleep(20);
            }
        }
        SimProcess simProcess = SimProcess.start("--time-scale", "10");
        URI sim = simProcess.url();
        String redisUrl = "redis://127.0.0.1:" + redisPort;
        Process a = new ProcessBuilder(HearthProcess.command("serve", "--port", "0", "--engine-url", sim.toString(),
                "--redis", redisUrl, "--state-dir", Files.createTempDirectory("hearth-a").toString())).redirectErrorStream(true).start();
        Process b = new ProcessBuilder(HearthProcess.command("serve", "--port", "0", "--engine-url", sim.toString(),
                "--redis", redisUrl, "--state-dir", Files.createTempDirectory("hearth-b").toString())).redirectErrorStream(true).start();
        try {
            URI ga = gateway(a);
            URI gb = gateway(b);
            String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"shared answer\"}],\"max_tokens\":8,\"temperature\":0}";
            HttpResponse<String> first = ask(ga, body);
            assertEquals("miss", first.headers().firstValue("x-hearth-cache").orElseThrow());
            double tokens = engineTokens(sim);
            HttpResponse<String> second = ask(gb, body);
            assertEquals("hit", second.headers().firstValue("x-hearth-cache").orElseThrow(), "gateway B sees A's answer");
            assertEquals(first.body(), second.body(), "byte-identical");
            assertEquals(tokens, engineTokens(sim), "the engine was not called for the hit");
            String stream = body.replace("\"temperature\":0", "\"temperature\":0,\"stream\":true");
            HttpResponse<String> sse = ask(gb, stream);
            assertEquals("hit", sse.headers().firstValue("x-hearth-cache").orElseThrow());
            assertTrue(sse.body().startsWith("data: {") && sse.body().endsWith("data: [DONE]\n\n"), sse.body());

            // 50 concurrent identical misses: the engine process sees one request's prompt, once.
            String fresh = body.replace("shared answer", "fifty at once");
            double beforeBurst = engineTokens(sim);
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                var all = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
                for (int i = 0; i < 50; i++) {
                    all.add(pool.submit(() -> ask(ga, fresh)));
                }
                for (var f : all) {
                    f.get();
                }
            }
            double oneRequest = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(ask(ga, fresh).body()).at("/usage/prompt_tokens").asDouble();
            assertEquals(beforeBurst + oneRequest, engineTokens(sim), "one engine call for 50 identical requests");

            redis.destroyForcibly(); // Redis stops mid-test
            redis.waitFor(5, TimeUnit.SECONDS);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = ask(i % 2 == 0 ? ga : gb, body.replace("shared answer", "after redis " + i));
                assertEquals("miss", r.headers().firstValue("x-hearth-cache").orElseThrow());
            }
            String metrics = http.send(HttpRequest.newBuilder(ga.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains("hearth_prediction_cache_available 0"), "metrics say the cache is gone");
        } finally {
            for (Process p : List.of(a, b)) {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
            simProcess.close();
            redis.destroyForcibly();
        }
    }
}
