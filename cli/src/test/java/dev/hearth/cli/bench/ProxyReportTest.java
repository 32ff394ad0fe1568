package dev.hearth.cli.bench;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's arithmetic against the direct baseline, and its two shapes. */
class ProxyReportTest {
    private static final ProxyBench.Settings SETTINGS = new ProxyBench.Settings(2, 8, 300, 100, false, "cost");

    private static TargetResult target(String name, double p50, double p99, double rps, long errors, String... firstErrors) {
        return new TargetResult(name, List.of(URI.create("http://127.0.0.1:1")),
                new LoadResult(300 - errors, errors, p50, p99, rps, Duration.ofSeconds(1), List.of(firstErrors)));
    }

    private static ProxyReport report() {
        return new ProxyReport(SETTINGS, List.of(target("direct", 2.0, 8.0, 4000, 0), target("hearth", 2.5, 12.0, 3000, 0),
                target("haproxy", 2.1, 8.0, 5000, 2, "HTTP 502: bad gateway")),
                List.of(new ProxyReport.Skipped("nginx", PlainProxy.NGINX.notInstalled())));
    }

    @Test
    void addedLatencyAndRatiosAreAgainstDirect() {
        ProxyReport r = report();
        TargetResult hearth = r.targets().get(1);
        assertEquals(0.5, r.addedP50Ms(hearth), 1e-9);
        assertEquals(4.0, r.addedP99Ms(hearth), 1e-9);
        assertEquals(0.75, r.rpsRatio(hearth), 1e-9);
        assertEquals(1.5, r.p99Ratio(hearth), 1e-9);
        assertEquals(0.0, r.addedP50Ms(r.direct()), 0);
        assertEquals(1.0, r.rpsRatio(r.direct()), 0);
        assertEquals(1.25, r.rpsRatio(r.targets().get(2)), 1e-9, "a faster proxy shows above 1");
        assertEquals(2, r.errors());
    }

    @Test
    void ratiosAreUndefinedWhenDirectAnsweredNothing() {
        ProxyReport r = new ProxyReport(SETTINGS, List.of(target("direct", 0, 0, 0, 300), target("hearth", 2, 3, 10, 0)), List.of());
        assertTrue(Double.isNaN(r.rpsRatio(r.targets().get(1))));
        assertTrue(r.table().contains("-"), r.table());
        JsonNode hearth = json(r).path("targets").get(1);
        assertTrue(hearth.path("rps_ratio").isNull());
        assertTrue(hearth.path("p99_ratio").isNull());
    }

    @Test
    void directMustComeFirst() {
        assertThrows(IllegalArgumentException.class, () -> new ProxyReport(SETTINGS, List.of(target("hearth", 1, 2, 3, 0)), List.of()));
    }

    @Test
    void tableNamesEveryTargetTheProxiesLeftOutAndTheErrors() {
        String table = report().table();
        assertTrue(table.startsWith("2 simulated engines (time scale 100000, 8 output tokens); 300 non-streaming requests "
                + "per target in 5 interleaved rounds, 8 concurrent, after 100 warm-up requests each\n"), table);
        assertTrue(table.contains("\nhearth         300      0     2.500    12.000     3000.0        0.500        4.000       "
                + "0.75x     1.50x\n"), table);
        assertTrue(table.contains("\nnginx: not installed (apt-get install nginx-light)\n"), table);
        assertTrue(table.contains("\nhaproxy error: HTTP 502: bad gateway\n"), table);
    }

    @Test
    void jsonHasTheSettingsAndEveryFigure() {
        JsonNode root = json(report());
        assertEquals(2, root.path("replicas").asInt());
        assertEquals(8, root.path("concurrency").asInt());
        assertEquals(300, root.path("requests").asInt());
        assertEquals(5, root.path("rounds").asInt());
        JsonNode hearth = root.path("targets").get(1);
        assertEquals("hearth", hearth.path("name").asText());
        assertEquals(300, hearth.path("completed").asLong());
        assertEquals(0, hearth.path("errors").asLong());
        assertEquals(2.5, hearth.path("p50_ms").asDouble());
        assertEquals(12.0, hearth.path("p99_ms").asDouble());
        assertEquals(3000.0, hearth.path("rps").asDouble());
        assertEquals(0.5, hearth.path("added_p50_ms").asDouble());
        assertEquals(4.0, hearth.path("added_p99_ms").asDouble());
        assertEquals(0.75, hearth.path("rps_ratio").asDouble());
        assertEquals(1.5, hearth.path("p99_ratio").asDouble());
        assertEquals("http://127.0.0.1:1", hearth.path("urls").get(0).asText());
        assertEquals("HTTP 502: bad gateway", root.path("targets").get(2).path("first_errors").get(0).asText());
        assertEquals("nginx", root.path("skipped").get(0).path("name").asText());
        assertEquals("not installed (apt-get install nginx-light)", root.path("skipped").get(0).path("reason").asText());
    }

    private static JsonNode json(ProxyReport r) {
        try {
            return new ObjectMapper().readTree(r.json());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
