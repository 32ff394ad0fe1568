package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpServer;
import dev.hearth.platform.engines.EngineClient;
import dev.hearth.router.Router;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The prober's verdicts against a real HTTP server on loopback standing in for an engine: an
 * engine answering /health late keeps its standing for {@value ReplicaGroup#SLOW_PROBES} probes in
 * a row (load, not death), one answering 503 or refusing connections is out at the first probe.
 */
class ReplicaProbeTest {
    private final AtomicLong delayMs = new AtomicLong();
    private final AtomicInteger status = new AtomicInteger(200);
    private HttpServer engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.stop(0);
        }
    }

    private ReplicaGroup group() throws Exception {
        engine = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        engine.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        engine.createContext("/", x -> {
            try {
                Thread.sleep(delayMs.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.sendResponseHeaders(x.getRequestURI().getPath().equals("/health") ? status.get() : 404, -1);
            x.close();
        });
        engine.start();
        ReplicaGroup group = new ReplicaGroup("d", new ReplicaGroup.Served("m", "m", 4096), Router.withDefaults(),
                new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16), System::currentTimeMillis);
        group.add(new Backend("r", new EngineClient(URI.create("http://127.0.0.1:" + engine.getAddress().getPort()),
                Duration.ofMillis(500), Duration.ofMillis(200)), null), false);
        group.probe();
        assertTrue(healthy(group), "an engine answering 200 is healthy");
        return group;
    }

    private static boolean healthy(ReplicaGroup group) {
        return group.replicas().get(0).healthy();
    }

    @Test
    void aSlowHealthCheckIsToleratedForAFewProbes() throws Exception {
        ReplicaGroup group = group();
        delayMs.set(600);
        for (int i = 1; i < ReplicaGroup.SLOW_PROBES; i++) {
            group.probe();
            assertTrue(healthy(group), "still routed to after " + i + " late answer(s)");
        }
        group.probe();
        assertFalse(healthy(group), "out after " + ReplicaGroup.SLOW_PROBES + " late answers in a row");
        delayMs.set(0);
        group.probe();
        assertTrue(healthy(group), "back once it answers in time");
        delayMs.set(600);
        group.probe();
        assertTrue(healthy(group), "the count starts again after a good answer");
    }

    @Test
    void aFailingOrGoneEngineIsOutAtOnce() throws Exception {
        ReplicaGroup group = group();
        status.set(503);
        group.probe();
        assertFalse(healthy(group), "a 503 is a verdict");
        status.set(200);
        group.probe();
        assertTrue(healthy(group));
        engine.stop(0);
        group.probe();
        assertFalse(healthy(group), "a refused connection is a verdict");
    }
}
