package dev.hearth.e2e;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard at {@code /} of a running {@code hearth serve} (with {@code --api-keys}), loaded in
 * Debian's headless Chromium after traffic: every number it shows is the one the APIs give
 * (requests, cache hit ratios, latency, replicas and their health, warm pools by node state, the
 * latest routing decisions, the charts' last points); without a key it says one is needed; when the
 * API cannot be reached it says so; an unknown dashboard file is a 404.
 */
class DashboardBrowserTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "dashboard-test-key";
    private static final String SYSTEM = "You are a careful assistant for a team that runs language models on its own GPUs; "
            + "answer briefly, name the configuration key to change, and never invent numbers you were not given.";

    @Test
    void showsWhatTheApisReport() throws Exception {
        HeadlessChromium chromium = HeadlessChromium.find();
        Path dir = Files.createTempDirectory("hearth-dashboard");
        Path keys = Files.writeString(dir.resolve("keys"), KEY + " team-a admin\n");
        try (HearthProcess.Serving serve = HearthProcess.serve("--replicas", "2", "--port", "0", "--time-scale", "10",
                "--api-keys", keys.toString(), "--state-dir", dir.resolve("state").toString())) {
            Api api = new Api(serve.gateway());
            api.post("/api/v1/nodepools", "{\"name\": \"warm-a\", \"warm_target\": 2, \"max_nodes\": 4, \"priority\": 50}", 201);
            String deployment = api.get("/v1/models").path("data").get(0).path("root").asText();
            sendTraffic(api);
            awaitSettled(api, deployment);

            HeadlessChromium.Dump dump = chromium.dumpDom(serve.gateway().resolve("/#key=" + KEY).toString(), 6_000);
            RenderedPage page = RenderedPage.parse(dump.dom());
            RenderedPage.Element body = page.one("data-state", "ready");
            assertEquals("body", body.tag(), dump.dom());
            assertTrue(Integer.parseInt(body.attr("data-refreshes")) >= 2, "the page refreshed itself: " + body);
            assertFalse(dump.log().contains("Uncaught"), "the page's console:\n" + dump.log());

            JsonNode metrics = api.get("/api/v1/deployments/" + deployment + "/metrics");
            checkDeployment(page, deployment, metrics, api.get("/api/v1/deployments/" + deployment));
            checkCharts(page, deployment, api.get("/api/v1/deployments/" + deployment + "/history"));
            checkPools(page, api);
            checkDecisions(page, deployment, api.get("/api/v1/deployments/" + deployment + "/decisions?limit=15"));
            assertEquals(metrics.path("requests").asLong(), (long) page.metric("requests_total").number());
            assertEquals(2, (int) page.metric("replicas").number());
            assertEquals(2, (int) page.metric("replicas_healthy").number());

            // No key: the page says one is needed, and shows no numbers.
            HeadlessChromium.Dump locked = chromium.dumpDom(serve.gateway().resolve("/").toString(), 3_000);
            RenderedPage lockedPage = RenderedPage.parse(locked.dom());
            assertEquals("body", lockedPage.one("data-state", "unauthorized").tag(), locked.dom());
            RenderedPage.Element banner = lockedPage.one("data-error", "unauthorized");
            assertTrue(banner.text().contains("This Hearth requires an API key"), banner.text());
            assertTrue(lockedPage.all("data-metric", "requests").isEmpty(), "no figures without a key");

            // The dashboard's own files; an unknown one is a 404 with a JSON error.
            HttpResponse<String> index = api.raw("/");
            assertEquals(200, index.statusCode());
            assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
            assertEquals(200, api.raw("/dashboard/dashboard.js").statusCode());
            HttpResponse<String> missing = api.raw("/dashboard/nope.js");
            assertEquals(404, missing.statusCode());
            assertEquals("not_found_error", JSON.readTree(missing.body()).path("error").path("type").asText(), missing.body());
            HttpResponse<String> unknown = api.raw("/api/v1/deployments/nope/history");
            assertEquals(404, unknown.statusCode(), unknown.body());
            assertEquals("not_found", JSON.readTree(unknown.body()).path("error").path("code").asText(), unknown.body());
        } finally {
            HeadlessChromium.deleteTree(dir);
        }
        checkUnreachable(chromium);
    }

    /** Repeated deterministic questions (prediction-cache hits) and two conversations sharing a system prompt. */
    private static void sendTraffic(Api api) throws Exception {
        for (int round = 0; round < 2; round++) {
            for (int q = 0; q < 3; q++) {
                api.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"What is cached? " + q
                        + "\"}], \"temperature\": 0, \"max_tokens\": 4}", 200);
            }
        }
        for (int turn = 0; turn < 3; turn++) {
            for (int session = 0; session < 2; session++) {
                api.post("/v1/chat/completions", "{\"messages\": [{\"role\": \"system\", \"content\": \"" + SYSTEM + "\"}, "
                        + "{\"role\": \"user\", \"content\": \"Conversation " + session + ", turn " + turn + "\"}], "
                        + "\"max_tokens\": 4, \"user\": \"user-" + session + "\"}", 200);
            }
        }
    }

    /** Until a history sample has counted every request and the warm pool holds its two warm nodes. */
    private static void awaitSettled(Api api, String deployment) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            long requests = api.get("/api/v1/deployments/" + deployment + "/metrics").path("requests").asLong();
            long sampled = 0;
            for (JsonNode s : api.get("/api/v1/deployments/" + deployment + "/history").path("samples")) {
                sampled += s.path("requests").asLong();
            }
            int warm = 0;
            for (JsonNode p : api.get("/api/v1/nodepools").path("nodepools")) {
                if (p.path("name").asText().equals("warm-a")) {
                    warm = p.path("nodes").path("warm").asInt();
                }
            }
            if (requests == 12 && sampled == requests && warm == 2) {
                return;
            }
            assertTrue(System.currentTimeMillis() < deadline, "requests " + requests + ", sampled " + sampled + ", warm " + warm);
            Thread.sleep(250);
        }
    }

    private static void checkDeployment(RenderedPage page, String d, JsonNode m, JsonNode managed) {
        RenderedPage.Element requests = page.metric("requests", "data-deployment", d);
        assertEquals(12, m.path("requests").asLong());
        assertEquals(m.path("requests").asLong(), (long) requests.number());
        assertEquals(String.valueOf(m.path("requests").asLong()), requests.text());
        JsonNode cache = m.path("prediction_cache");
        assertEquals(0.5, cache.path("hit_ratio").asDouble(), 1e-9, "3 of 6 deterministic questions were repeats: " + cache);
        ratio(page.metric("prediction_cache_hit_ratio", "data-deployment", d), cache.path("hit_ratio").asDouble());
        assertEquals(cache.path("hits").asLong(), (long) page.metric("prediction_cache_hits", "data-deployment", d).number());
        assertEquals(cache.path("hits").asLong() + cache.path("misses").asLong(),
                (long) page.metric("prediction_cache_lookups", "data-deployment", d).number());
        double prefix = m.path("prefix_cache_hit_ratio_estimated").asDouble();
        assertTrue(prefix > 0, "the conversations share a system prompt: " + m);
        ratio(page.metric("prefix_cache_hit_ratio_estimated", "data-deployment", d), prefix);
        JsonNode ttfb = m.path("time_to_first_byte_ms");
        assertEquals(ttfb.path("p50").asDouble(), page.metric("ttfb_p50_ms", "data-deployment", d).number());
        assertEquals(ttfb.path("p99").asDouble(), page.metric("ttfb_p99_ms", "data-deployment", d).number());
        assertEquals(managed.path("status").asText(), page.metric("status", "data-deployment", d).attr("data-value"));
        assertEquals(managed.path("ready_replicas").asInt(), (int) page.metric("ready_replicas", "data-deployment", d).number());

        Set<String> shown = new HashSet<>();
        for (RenderedPage.Element row : page.all("data-deployment", d)) {
            if (row.tag().equals("tr") && row.attributes().containsKey("data-replica") && row.attributes().containsKey("data-healthy")) {
                shown.add(row.attr("data-replica"));
            }
        }
        Set<String> listed = new HashSet<>();
        for (JsonNode r : m.path("replicas")) {
            String id = r.path("id").asText();
            listed.add(id);
            assertEquals(String.valueOf(r.path("healthy").asBoolean()), page.metric("healthy", "data-replica", id).attr("data-value"));
            assertEquals(r.path("in_flight").asInt(), (int) page.metric("in_flight", "data-replica", id).number());
            assertEquals(r.path("waiting").asInt(), (int) page.metric("waiting", "data-replica", id).number());
            assertEquals(r.path("kv_usage").asDouble(), page.metric("kv_usage", "data-replica", id).number(), 1e-9);
            assertEquals(r.path("indexed_blocks").asInt(), (int) page.metric("indexed_blocks", "data-replica", id).number());
            assertEquals(String.valueOf(r.path("kv_events").asBoolean()), page.metric("kv_events", "data-replica", id).attr("data-value"));
        }
        assertEquals(2, listed.size());
        assertEquals(listed, shown);
    }

    /** A ratio's exact value, and its text as a percentage with one decimal. */
    private static void ratio(RenderedPage.Element e, double expected) {
        assertEquals(expected, e.number(), 1e-9, e.toString());
        assertEquals(String.format(Locale.ROOT, "%.1f%%", expected * 100), e.text(), e.toString());
    }

    /** Each chart's last point is the API's sample of that time, and the charts hold every sample up to it. */
    private static void checkCharts(RenderedPage page, String d, JsonNode history) {
        RenderedPage.Element last = page.metric("history_requests_per_second", "data-deployment", d);
        String time = last.attr("data-time");
        List<JsonNode> upTo = new ArrayList<>();
        JsonNode sample = null;
        for (JsonNode s : history.path("samples")) {
            upTo.add(s);
            if (s.path("time").asText().equals(time)) {
                sample = s;
                break;
            }
        }
        assertNotNull(sample, "the chart's last point " + time + " is a sample of " + history);
        assertEquals(sample.path("requests_per_second").asDouble(), last.number());
        for (RenderedPage.Element chart : page.all("data-deployment", d)) {
            if (chart.tag().equals("svg")) {
                assertEquals(upTo.size(), Integer.parseInt(chart.attr("data-points")), chart.toString());
            }
        }
        // The lines stop at the last sample that had something to show: match each legend with that sample.
        legend(page, d, "history_prediction_cache_hit_ratio", history, s -> s.path("prediction_cache").path("hit_ratio"));
        legend(page, d, "history_prefix_cache_hit_ratio_estimated", history, s -> s.path("prefix_cache_hit_ratio_estimated"));
        legend(page, d, "history_ttfb_p50_ms", history, s -> s.path("time_to_first_byte_ms").path("p50"));
        legend(page, d, "history_ttfb_p99_ms", history, s -> s.path("time_to_first_byte_ms").path("p99"));
        double sampled = 0;
        for (JsonNode s : upTo) {
            sampled += s.path("requests").asLong();
        }
        assertEquals(12, sampled, "every request is in some interval: " + history);
    }

    private static void legend(RenderedPage page, String d, String metric, JsonNode history,
                               java.util.function.Function<JsonNode, JsonNode> value) {
        RenderedPage.Element e = page.metric(metric, "data-deployment", d);
        for (JsonNode s : history.path("samples")) {
            if (s.path("time").asText().equals(e.attr("data-time"))) {
                assertFalse(value.apply(s).isNull(), metric + " shows a sample with a value: " + s);
                assertEquals(value.apply(s).asDouble(), e.number(), metric);
                return;
            }
        }
        fail(metric + " at " + e.attr("data-time") + " is no sample of " + history);
    }

    private static void checkPools(RenderedPage page, Api api) throws Exception {
        JsonNode pools = api.get("/api/v1/nodepools").path("nodepools");
        assertEquals(2, pools.size(), pools.toString());
        int warm = 0;
        for (JsonNode p : pools) {
            String name = p.path("name").asText();
            p.path("nodes").fields().forEachRemaining(s -> assertEquals(s.getValue().asInt(),
                    (int) page.metric("nodes", "data-pool", name, "data-state", s.getKey()).number(), name + " " + s.getKey()));
            warm += p.path("nodes").path("warm").asInt();
            assertEquals(p.path("warm_target").asInt(), (int) page.metric("warm_target", "data-pool", name).number());
            Set<String> nodes = new HashSet<>();
            api.get("/api/v1/nodepools/" + name).path("node_list").forEach(n ->
                    nodes.add(n.path("id").asText() + " " + n.path("state").asText()));
            Set<String> shown = new HashSet<>();
            for (RenderedPage.Element n : page.all("data-pool", name)) {
                if (n.attributes().containsKey("data-node")) {
                    shown.add(n.attr("data-node") + " " + n.attr("data-state"));
                }
            }
            assertEquals(nodes, shown, name);
        }
        assertEquals(2, (int) page.metric("nodes", "data-pool", "warm-a", "data-state", "warm").number());
        assertEquals(2, (int) page.metric("nodes", "data-pool", "local", "data-state", "allocated").number());
        assertEquals(warm, (int) page.metric("warm_nodes").number());
    }

    /** A score as text, numbers compared as numbers (the page prints 4, the API 4.0). */
    private static String score(String v) {
        return v.isEmpty() || v.equals("infinity") ? v : Double.toString(Double.parseDouble(v));
    }

    /** The table shows the API's latest decisions, newest first, each with its blocks and candidates. */
    private static void checkDecisions(RenderedPage page, String d, JsonNode api) {
        List<JsonNode> latest = new ArrayList<>();
        api.path("decisions").forEach(x -> latest.add(0, x));
        List<RenderedPage.Element> rows = page.all("data-deployment", d).stream().filter(e -> e.tag().equals("tr")
                && e.attributes().containsKey("data-reason")).toList();
        assertEquals(9, latest.size(), "12 requests, 3 of them answered by the prediction cache: " + api);
        assertEquals(latest.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode x = latest.get(i);
            RenderedPage.Element row = rows.get(i);
            String time = x.path("time").asText();
            assertEquals(time, row.attr("data-time"), "row " + i);
            assertEquals(x.path("replica").asText(), row.attr("data-replica"), "row " + i);
            assertEquals(x.path("reason").asText(), row.attr("data-reason"), "row " + i);
        }
        for (JsonNode x : latest) {
            String time = x.path("time").asText();
            List<RenderedPage.Element> cached = page.all("data-metric", "cached_blocks", "data-time", time);
            List<RenderedPage.Element> blocks = page.all("data-metric", "prompt_blocks", "data-time", time);
            List<Integer> expectedCached = latest.stream().filter(y -> y.path("time").asText().equals(time))
                    .map(y -> y.path("cached_blocks").asInt()).toList();
            assertEquals(expectedCached, cached.stream().map(e -> (int) e.number()).toList(), time);
            assertEquals(latest.stream().filter(y -> y.path("time").asText().equals(time)).map(y -> y.path("prompt_blocks").asInt())
                    .toList(), blocks.stream().map(e -> (int) e.number()).toList(), time);
        }
        long candidates = page.elements().stream().filter(e -> e.attributes().containsKey("data-candidate")).count();
        assertEquals(latest.stream().mapToInt(x -> x.path("candidates").size()).sum(), candidates);
        // Each candidate's score under the policy, as the decision log has it.
        List<String> scores = page.elements().stream().filter(e -> e.attributes().containsKey("data-candidate"))
                .map(e -> score(e.attr("data-score"))).sorted().toList();
        List<String> apiScores = new ArrayList<>();
        latest.forEach(x -> x.path("candidates").forEach(c -> apiScores.add(score(c.path("score").isNull() ? "" : c.path("score").asText()))));
        assertEquals(apiScores.stream().sorted().toList(), scores);
        assertTrue(scores.stream().anyMatch(v -> !v.isEmpty()), "the cost policy scores its candidates");
        assertTrue(latest.stream().anyMatch(x -> x.path("cached_blocks").asInt() > 0), "a conversation's later turn hit its prefix");
    }

    /**
     * The page's own files opened where no API answers (from disk, so every call fails before any
     * HTTP): it says it cannot reach Hearth instead of showing stale or empty figures.
     */
    private static void checkUnreachable(HeadlessChromium chromium) throws Exception {
        Path site = Files.createTempDirectory("hearth-dashboard-site");
        try {
            Files.createDirectories(site.resolve("dashboard"));
            for (String f : List.of("index.html", "dashboard/dashboard.js", "dashboard/dashboard.css")) {
                try (var in = dev.hearth.platform.dashboard.Dashboard.class.getResourceAsStream(f.replace("dashboard/", ""))) {
                    Files.write(site.resolve(f), in.readAllBytes());
                }
            }
            HeadlessChromium.Dump dump = chromium.dumpDom(site.resolve("index.html").toUri().toString(), 3_000);
            RenderedPage page = RenderedPage.parse(dump.dom());
            assertEquals("body", page.one("data-state", "unreachable").tag(), dump.dom());
            assertTrue(page.one("data-error", "unreachable").text().startsWith("Cannot reach Hearth's API"), dump.dom());
        } finally {
            HeadlessChromium.deleteTree(site);
        }
    }

    /** The running Hearth's APIs, with the test's key. */
    private record Api(URI base, HttpClient http) {
        Api(URI base) {
            this(base, HttpClient.newHttpClient());
        }

        JsonNode get(String path) throws Exception {
            HttpResponse<String> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), path + ": " + r.body());
            return JSON.readTree(r.body());
        }

        void post(String path, String body, int status) throws Exception {
            HttpResponse<String> r = http.send(request(path).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(status, r.statusCode(), path + ": " + r.body());
        }

        HttpResponse<String> raw(String path) throws Exception {
            return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        }

        private HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + KEY);
        }
    }
}
