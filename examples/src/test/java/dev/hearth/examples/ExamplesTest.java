package dev.hearth.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.examples.support.EmbeddedHearth;
import dev.hearth.examples.support.ScriptRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example against one embedded Hearth ({@code hearth serve --replicas 2} from the shaded jar):
 * each script found under {@code examples/} runs as a user would run it, and each Java example's
 * body runs in-process; both have their printed output checked.
 */
class ExamplesTest {
    private static final String DEFAULT = "qwen3-0-6b";
    private static final Path EXAMPLES = Path.of(System.getProperty("hearth.examples.dir", ".")).toAbsolutePath().normalize();
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(60);
    private static EmbeddedHearth hearth;

    /** What each script must show, by its path under examples/; a script found but not listed still must succeed. */
    private static final Map<String, Check> FACTS = new LinkedHashMap<>();

    interface Check {
        void verify(String out) throws Exception;
    }

    static {
        FACTS.put("curl/chat.sh", out -> {
            assertTrue(out.contains("x-hearth-replica: " + DEFAULT + "-"), out);
            assertTrue(out.contains("x-hearth-cache: bypass"), "not deterministic, so not cached: " + out);
            assertTrue(out.contains("\"object\":\"chat.completion\""), out);
            assertTrue(out.matches("(?s).*\nanswer: \\S+.*"), out);
        });
        FACTS.put("curl/stream.sh", out -> {
            assertTrue(out.matches("(?s).*\nusage: \\{\"prompt_tokens\":\\d+,.*\"completion_tokens\":24,.*"), out);
            assertTrue(out.contains("\n[DONE]\n"), out);
            assertTrue(out.contains("x-hearth-replica: " + DEFAULT + "-"), out);
            assertTrue(out.indexOf("[DONE]") < out.indexOf("x-hearth-replica"), "headers after the stream: " + out);
        });
        FACTS.put("curl/session.sh", out -> {
            List<String[]> turns = matches(Pattern.compile("turn \\d: x-hearth-replica: (\\S+), x-hearth-route: (\\S+)"), out);
            assertEquals(2, turns.size(), out);
            assertEquals(turns.get(0)[0], turns.get(1)[0], "both turns on one replica: " + out);
            assertTrue(turns.get(0)[0].startsWith(DEFAULT + "-"), out);
            // The first turn is placed by the routing policy and binds the session there; the second follows it.
            assertFalse(turns.get(0)[1].startsWith("session"), out);
            assertEquals("session", turns.get(1)[1], out);
            assertTrue(out.matches("(?s).*usage: .*\"cached_tokens\":[1-9]\\d*.*"), "turn 2 reuses turn 1's blocks: " + out);
            assertTrue(out.contains("both turns on " + turns.get(0)[0]), out);
        });
        FACTS.put("curl/prediction-cache.sh", out -> {
            assertTrue(out.contains("first:  x-hearth-cache: miss, x-hearth-route: "), out);
            assertTrue(out.contains("second: x-hearth-cache: hit, x-hearth-route: prediction-cache"), out);
        });
        FACTS.put("curl/deployments.sh", out -> {
            assertTrue(out.contains("created example-small: status progressing, 1 replica(s) asked for"), out);
            assertTrue(out.contains("example-small is available with 1 replica(s) ready"), out);
            assertTrue(out.contains("scaled example-small to 2 replicas"), out);
            assertTrue(out.contains("example-small is available with 2 replica(s) ready"), out);
            assertTrue(out.matches("(?s).*\n  \\S+  -  Created  serving acme/small-1b.*"), out);
            assertTrue(out.matches("(?s).*\n  \\S+  -  Scaled  1 -> 2 replica\\(s\\).*"), out);
            assertTrue(out.matches("(?s).*\n  \\S+  example-small-1  ReplicaReady  .*"), out);
            assertTrue(out.contains("example-small is gone"), out);
            assertNull(hearth.api("/deployments/example-small"), "the script deleted what it created");
        });
        FACTS.put("deploy-from-config/deploy.sh", out -> {
            assertTrue(out.matches("(?s)Deployment qwen3-8b from \\S+/deploy-from-config/config\\.yaml: Qwen/Qwen3-8B on vllm "
                    + "\\(simulator\\), 1\\.\\.2 replica\\(s\\)\n.*"), out);
            assertTrue(out.contains("Created qwen3-8b (generation 1); waiting for 1 replica(s)"), out);
            assertTrue(out.contains("qwen3-8b is available: 1 replica(s) ready"), out);
            assertTrue(out.contains("x-hearth-replica: qwen3-8b-0"), out);
            assertTrue(out.matches("(?s).*\nanswer: \\S+.*"), out);
            assertTrue(out.contains("deleted qwen3-8b"), out);
            assertNull(hearth.api("/deployments/qwen3-8b"), "the script deleted what it deployed");
        });
    }

    @BeforeAll
    static void startHearth() throws Exception {
        hearth = EmbeddedHearth.start(Duration.ofSeconds(90), "--replicas", "2");
        hearth.awaitAvailable(DEFAULT, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopHearth() {
        if (hearth == null) {
            return;
        }
        List<ProcessHandle> started = hearth.descendants();
        assertTrue(started.size() >= 2, "the replicas run as Hearth's children: " + started);
        hearth.close();
        assertEquals(List.of(), started.stream().filter(ProcessHandle::isAlive).toList(), "nothing left running");
    }

    @TestFactory
    Stream<DynamicTest> everyScriptUnderExamplesRuns() throws Exception {
        List<Path> scripts = ScriptRun.discover(EXAMPLES);
        Set<String> found = scripts.stream().map(s -> EXAMPLES.relativize(s).toString()).collect(Collectors.toSet());
        assertTrue(scripts.size() >= 6, "six scripts at least, found " + found);
        assertTrue(found.containsAll(FACTS.keySet()), "a script with checks is gone: " + FACTS.keySet() + " vs " + found);
        return scripts.stream().map(script -> runs(script, EXAMPLES, FACTS));
    }

    /** A test that runs {@code script} against the embedded Hearth and checks what it shows, by its path under {@code base}. */
    private static DynamicTest runs(Path script, Path base, Map<String, Check> checks) {
        String name = base.relativize(script).toString();
        return DynamicTest.dynamicTest(name, () -> {
            ScriptRun.Result r = ScriptRun.run(script, hearth.environment(), SCRIPT_TIMEOUT);
            assertFalse(r.timedOut(), r.describe());
            assertEquals(0, r.exitCode(), r.describe());
            assertFalse(r.stdout().isBlank(), "an example shows something: " + r.describe());
            assertFalse((r.stdout() + r.stderr()).contains("\tat "), "no stack trace: " + r.describe());
            Check facts = checks.get(name);
            if (facts != null) {
                try {
                    facts.verify(r.stdout());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + r.describe(), e);
                }
            }
        });
    }

    /** What each skill's example must show, by SKILL/examples/NAME; every skill needs one example at least. */
    private static final Map<String, Check> SKILL_FACTS = new LinkedHashMap<>();

    static {
        SKILL_FACTS.put("hearth-cli/examples/tour.sh", out -> {
            assertTrue(out.contains("Plan for: Deploy Qwen3-0.6B with vLLM on 2 replicas"), out);
            assertTrue(out.contains("hearth gpus: --min-memory must be a size"), "the refusal is one line: " + out);
        });
        SKILL_FACTS.put("hearth-deploy/examples/plan.sh", out -> {
            assertTrue(out.contains("GPUs       8 x A100"), out);
            assertTrue(out.contains("refused, as it should be"), out);
        });
        SKILL_FACTS.put("hearth-deploy/examples/deploy-directory.sh", out -> {
            assertTrue(out.contains("example-directory is available: 1 replica(s) ready"), out);
            assertTrue(out.contains("deleted example-directory"), out);
            assertNull(hearth.api("/deployments/example-directory"));
        });
        SKILL_FACTS.put("hearth-deployment-lifecycle/examples/lifecycle.sh", out -> {
            assertTrue(out.contains("2 replicas ready"), out);
            assertTrue(out.contains("HTTP 400: \"message\":\"replicas 9 is outside replicas.min 1 .. replicas.max 2"), out);
            assertTrue(out.matches("(?s).*\\n +2 ReplicaStopped\\n.*"), "the rolling update replaced both: " + out);
            assertTrue(out.contains("example-lifecycle is gone"), out);
        });
        SKILL_FACTS.put("hearth-deployment-lifecycle/examples/warm-pool.sh", out -> {
            assertTrue(out.contains("1 \"state\":\"warm\""), out);
            assertTrue(out.contains("deleted nodepool example-burst"), out);
        });
        SKILL_FACTS.put("hearth-inference/examples/session.sh", out -> {
            assertTrue(out.contains("same replica on both turns"), out);
            assertTrue(out.matches("(?s).*turn 2: replica=\\S+ route=\"session\" cached_tokens=[1-9]\\d*.*"), out);
        });
        SKILL_FACTS.put("hearth-inference/examples/prediction-cache.sh", out -> {
            assertTrue(out.contains("first:            x-hearth-cache: miss"), out);
            assertTrue(out.contains("second:           x-hearth-cache: hit"), out);
            assertTrue(out.contains("with no-cache:    x-hearth-cache: bypass"), out);
        });
        SKILL_FACTS.put("hearth-inference/examples/stream.sh", out -> assertTrue(out.contains("ended with [DONE]"), out));
        SKILL_FACTS.put("hearth-routing/examples/shared-prefix.sh", out -> {
            List<String[]> seconds = matches(Pattern.compile("second: route=\"([^\"]*)\" cached_tokens=(\\d+)"), out);
            assertEquals(2, seconds.size(), out);
            assertTrue(seconds.get(0)[0].startsWith("prefix-hit") && Integer.parseInt(seconds.get(0)[1]) >= 320,
                    "the stable prefix is reused: " + out);
            assertTrue(Integer.parseInt(seconds.get(1)[1]) <= 16, "the timestamp breaks reuse: " + out);
        });
        SKILL_FACTS.put("hearth-observability/examples/diagnose.sh", out -> {
            assertTrue(out.contains("\"prefix_cache_hit_ratio_estimated\""), out);
            assertTrue(out.contains("\"reason\":\"prefix-hit blocks="), "same system prompt, so a prefix hit: " + out);
            assertTrue(out.contains("hearth_requests_total{"), out);
        });
        SKILL_FACTS.put("hearth-mcp/examples/mcp-over-http.sh", out -> {
            assertTrue(out.contains("\"serverInfo\":{\"name\":\"hearth\""), out);
            assertTrue(out.contains("deployments_list deployment_describe"), out);
            for (var skill : dev.hearth.skills.SkillSet.bundled().skills()) {
                assertTrue(out.contains("skill://" + skill.name() + "/SKILL.md"), skill.name() + " in " + out);
            }
            assertTrue(out.endsWith("session ended\n"), out);
        });
    }

    /**
     * Each bundled skill's examples, run from where an assistant would find them: the skills are
     * installed into a temporary project first, exactly as {@code hearth skills install} writes them.
     */
    @TestFactory
    Stream<DynamicTest> everySkillsExampleRunsAsInstalled() throws Exception {
        Path folder = Files.createTempDirectory("project").resolve(".agents/skills");
        var skills = dev.hearth.skills.SkillSet.bundled();
        dev.hearth.skills.SkillInstaller.install(skills, folder, "jar");
        List<Path> scripts = new java.util.ArrayList<>();
        for (var skill : skills.skills()) {
            Path examples = folder.resolve(skill.name()).resolve("examples");
            assertTrue(Files.isDirectory(examples), skill.name() + " has examples");
            List<Path> found = ScriptRun.discover(examples);
            assertFalse(found.isEmpty(), skill.name() + " has a runnable example");
            scripts.addAll(found);
        }
        Set<String> names = scripts.stream().map(s -> folder.relativize(s).toString()).collect(Collectors.toSet());
        assertTrue(names.containsAll(SKILL_FACTS.keySet()), "a skill example with checks is gone: " + names);
        return scripts.stream().map(script -> runs(script, folder, SKILL_FACTS));
    }

    /**
     * The Grafana dashboard: valid JSON Grafana imports (unique panel ids, a 24-column grid, every
     * query on the datasource variable), querying only metrics Hearth serves, as the observability
     * skill lists them (MetricsProcessTest checks that list against a live /metrics), and the ones
     * this embedded Hearth serves now are among them.
     */
    @Test
    void theGrafanaDashboardQueriesOnlyMetricsHearthServes() throws Exception {
        com.fasterxml.jackson.databind.JsonNode dash = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(EXAMPLES.resolve("grafana/hearth-dashboard.json").toFile());
        assertEquals("hearth-overview", dash.path("uid").asText());
        java.util.Set<String> listed = new java.util.TreeSet<>();
        Matcher names = Pattern.compile("(?m)^\\| `(hearth_[a-z0-9_]+)` \\|").matcher(new String(dev.hearth.skills.SkillSet
                .bundled().get("hearth-observability").files().stream().filter(f -> f.path().equals("references/metrics.md"))
                .findFirst().orElseThrow().bytes(), java.nio.charset.StandardCharsets.UTF_8));
        while (names.find()) {
            listed.add(names.group(1));
        }
        java.util.Set<Integer> ids = new java.util.HashSet<>();
        java.util.Set<String> queried = new java.util.TreeSet<>();
        int queries = 0;
        for (com.fasterxml.jackson.databind.JsonNode panel : dash.path("panels")) {
            assertTrue(ids.add(panel.path("id").asInt()), "unique id: " + panel.path("title"));
            var grid = panel.path("gridPos");
            assertTrue(grid.path("x").asInt() + grid.path("w").asInt() <= 24, panel.path("title").asText());
            for (com.fasterxml.jackson.databind.JsonNode t : panel.path("targets")) {
                assertEquals("${datasource}", t.at("/datasource/uid").asText(), panel.path("title").asText());
                Matcher m = Pattern.compile("hearth_[a-z0-9_]+").matcher(t.path("expr").asText());
                while (m.find()) {
                    queried.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
                }
                queries++;
            }
        }
        assertTrue(queries > 20, "a dashboard, not a stub: " + queries + " queries");
        assertTrue(listed.containsAll(queried), "queried but not served: "
                + queried.stream().filter(q -> !listed.contains(q)).toList());
        String served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(hearth.url().resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher types = Pattern.compile("(?m)^# TYPE (hearth_[a-z0-9_]+) ").matcher(served);
        int seen = 0;
        while (types.find()) {
            assertTrue(listed.contains(types.group(1)), types.group(1) + " is served but not in the skill's table");
            seen++;
        }
        assertTrue(seen > 10, served);
    }

    @Test
    void chatClientAnswersPlainlyThenStreamsTokensAsTheyArrive() throws Exception {
        ChatClient client = new ChatClient(hearth.url(), DEFAULT);
        List<String> pieces = new ArrayList<>();
        ChatClient.Answer a = client.stream(List.of(new ChatClient.Message("user", "count to three")), "chat-client-test",
                pieces::add);
        assertTrue(pieces.size() > 1, "tokens one by one: " + pieces);
        assertEquals(String.join("", pieces), a.text());
        assertFalse(a.route().startsWith("session"), "a new session's first request is placed by the policy: " + a.route());

        String out = printed(o -> ChatClient.run(hearth.url(), o));
        assertTrue(out.matches("(?s)chat: \\S+.*\n  replica " + DEFAULT + "-\\d, route [^,]+, prediction cache bypass, "
                + "\\d+ prompt tokens\nstream: \\S+.*\n  replica " + DEFAULT + "-\\d, route [^,]+, session java-example-\\S+, "
                + "\\d+ prompt tokens\n"), out);
    }

    @Test
    void sessionChatStaysOnOneReplicaAndReusesItsCacheTurnByTurn() throws Exception {
        List<SessionChat.Turn> turns = new ArrayList<>();
        String out = printed(o -> turns.addAll(SessionChat.converse(hearth.url(), o)));
        assertEquals(3, turns.size(), out);
        for (SessionChat.Turn t : turns) {
            assertEquals(turns.get(0).replica(), t.replica(), "one replica for the whole session: " + out);
            assertEquals(t == turns.get(0) ? turns.get(0).route() : "session", t.route(), "bound after its first turn: " + out);
        }
        for (int i = 1; i < turns.size(); i++) {
            // Each prompt starts with the previous one, whose whole blocks of 16 tokens the replica still holds.
            int previous = turns.get(i - 1).promptTokens();
            assertTrue(turns.get(i).cachedTokens() >= previous / 16 * 16, "turn " + (i + 1) + ": " + out);
            assertTrue(turns.get(i).promptTokens() > previous, out);
        }
        assertTrue(out.matches("(?s)session session-chat-\\S+\nturn 1 > Where should I start.*\n  < \\S+.*"
                + "\n  replica " + DEFAULT + "-\\d, route session, \\d+ prompt tokens, \\d+ cached\n.*turn 3 > .*"), out);
    }

    @Test
    void mcpClientListsToolsAndDeploymentsAndChats() throws Exception {
        String out = printed(o -> McpClientExample.run(hearth.url(), o));
        assertTrue(out.matches("(?s)connected to \\S+ \\S+ \\(MCP \\S+\\)\n\\d+ tools: .*"), out);
        assertTrue(out.matches("(?s).*tools: [^\n]*\\bdeployments_list\\b[^\n]*\n.*"), out);
        assertTrue(out.matches("(?s).*tools: [^\n]*\\bchat_completion\\b[^\n]*\n.*"), out);
        assertTrue(out.contains("deployments:\n  " + DEFAULT + ": Qwen/Qwen3-0.6B, available, 2 of 2 replicas ready\n"), out);
        assertTrue(out.matches("(?s).*\nchat_completion: \\S+.*\n  replica " + DEFAULT
                + "-\\d, route [^,]+, \\d+ cached tokens, prediction cache \\w+\n"), out);
    }

    @Test
    void anExampleThatCannotReachHearthSaysSoInOneLine() throws Exception {
        // Through the real mains, each in a JVM of its own (started together: JVM start-up dominates).
        Map<Class<?>, Process> runs = new LinkedHashMap<>();
        for (Class<?> example : List.of(ChatClient.class, SessionChat.class, McpClientExample.class)) {
            Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), example.getName(), "http://127.0.0.1:1")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            runs.put(example, p);
        }
        for (var run : runs.entrySet()) {
            String name = run.getKey().getSimpleName();
            String err = new String(run.getValue().getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(run.getValue().waitFor(30, java.util.concurrent.TimeUnit.SECONDS), name);
            assertEquals(1, run.getValue().exitValue(), name + ": " + err);
            assertTrue(err.matches(name + ": [^\n]*http://127\\.0\\.0\\.1:1[^\n]*is `hearth serve` running there\\?\n"), err);
        }
    }

    interface Printing {
        void run(PrintStream out) throws Exception;
    }

    private static String printed(Printing body) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            body.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static List<String[]> matches(Pattern p, String text) {
        List<String[]> all = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            String[] groups = new String[m.groupCount()];
            for (int i = 0; i < groups.length; i++) {
                groups[i] = m.group(i + 1);
            }
            all.add(groups);
        }
        return all;
    }
}
