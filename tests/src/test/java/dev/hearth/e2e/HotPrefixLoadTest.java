package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One hot prefix at 20x the traffic of the others, from 32 concurrent clients through the gateway
 * of {@code hearth serve}: no placement may leave a replica above the load bound, and the hot
 * prefix must spread rather than pile onto the replica that holds it. Bounded: 640 requests.
 */
class HotPrefixLoadTest {
    private static final Pattern IN_FLIGHT = Pattern.compile("hearth_replica_in_flight\\{[^}]*replica=\"[^\"]+\"\\} ([0-9.]+)");

    @ParameterizedTest
    @ValueSource(strings = {"vllm", "sglang"})
    void aHotPrefixSpreadsWithinTheBound(String flavor) throws Exception {
        try (GatewayProcessTest.Serve serve = GatewayProcessTest.serve(flavor)) {
            HttpClient http = HttpClient.newHttpClient();
            String hot = GatewayProcessTest.system(7);
            Map<String, AtomicInteger> hotPerReplica = new ConcurrentHashMap<>();
            AtomicInteger ok = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            List<Double> imbalance = new ArrayList<>();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    try {
                        String m = http.send(HttpRequest.newBuilder(serve.gateway().resolve("/metrics")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        Matcher x = IN_FLIGHT.matcher(m);
                        List<Double> v = new ArrayList<>();
                        while (x.find()) {
                            v.add(Double.parseDouble(x.group(1)));
                        }
                        double sum = v.stream().mapToDouble(Double::doubleValue).sum();
                        if (sum >= 8) {
                            synchronized (imbalance) {
                                imbalance.add(v.stream().mapToDouble(Double::doubleValue).max().orElse(0) / (sum / v.size()));
                            }
                        }
                        Thread.sleep(20);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < 32; c++) {
                    int client = c;
                    clients.add(pool.submit(() -> {
                        for (int i = 0; i < 20; i++) {
                            int n = client * 20 + i;
                            boolean isHot = n % 21 != 20;
                            String system = isHot ? hot : GatewayProcessTest.system(n % 5);
                            String body = "{\"messages\":[{\"role\":\"system\",\"content\":\"" + system
                                    + "\"},{\"role\":\"user\",\"content\":\"q" + n + "\"}],\"max_tokens\":24}";
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(serve.gateway().resolve("/v1/chat/completions"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            assertEquals(200, r.statusCode(), r.body());
                            ok.incrementAndGet();
                            if (isHot) {
                                hotPerReplica.computeIfAbsent(r.headers().firstValue("x-hearth-replica").orElseThrow(),
                                        k -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : clients) {
                    f.get();
                }
            } finally {
                running.set(false);
                sampler.join();
            }
            String metrics = http.send(HttpRequest.newBuilder(serve.gateway().resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(640, ok.get());
            assertEquals(0.0, PrometheusSamples.parse(metrics).value("hearth_router_placements_over_bound_total"), metrics);
            assertTrue(hotPerReplica.size() >= 2, "the hot prefix spread over " + hotPerReplica);
            double worst = imbalance.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            double mean = imbalance.stream().mapToDouble(Double::doubleValue).average().orElse(1);
            System.out.printf(flavor + ": hot prefix 20:1, 32 clients: in-flight max/mean sampled %d times: mean %.2f, worst %.2f; "
                    + "hot requests per replica %s%n", imbalance.size(), mean, worst, hotPerReplica);
        }
    }
}
