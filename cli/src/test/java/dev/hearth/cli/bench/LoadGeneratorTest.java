package dev.hearth.cli.bench;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The closed loop against a small in-process server: every request sent once, errors counted apart, runs summed. */
class LoadGeneratorTest {

    @Test
    void everyRequestIsSentOnceAndFailuresAreCountedNotTimed() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        Set<String> bodies = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(ChatRequests.PATH, x -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            boolean fail = seen.incrementAndGet() % 10 == 0;
            byte[] answer = (fail ? "{\"error\":\"busy\"}" : "{\"choices\":[{\"index\":0}]}").getBytes(StandardCharsets.UTF_8);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            x.sendResponseHeaders(fail ? 503 : 200, answer.length);
            x.getResponseBody().write(answer);
            x.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
            AtomicLong done = new AtomicLong();
            LoadGenerator load = new LoadGenerator(4, new ChatRequests("m", 8, false), Duration.ofSeconds(10));
            LoadRun first = load.run(List.of(base, base), 100, done);
            LoadRun second = load.run(List.of(base), 100, done);
            assertEquals(90, first.micros().getTotalCount());
            assertEquals(10, first.errors());
            LoadResult r = LoadResult.of(List.of(first, second));
            assertEquals(200, seen.get());
            assertEquals(100, bodies.size(), "each request of a run once, the same in every run");
            assertEquals(200, done.get());
            assertEquals(180, r.completed());
            assertEquals(20, r.errors());
            assertEquals(List.of("HTTP 503: {\"error\":\"busy\"}"), r.firstErrors());
            assertTrue(r.p50Ms() >= 2.0 && r.p99Ms() >= r.p50Ms(), r.toString());
            assertTrue(r.rps() > 0);
            assertEquals(first.elapsed().plus(second.elapsed()), r.elapsed(), "the rate is over both runs' time");
            assertTrue(mostInFlight.get() <= 4, "at most the concurrency in flight: " + mostInFlight.get());
        } finally {
            server.stop(0);
        }
    }
}
