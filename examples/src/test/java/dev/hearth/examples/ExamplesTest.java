package dev.hearth.examples;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.examples.support.EmbeddedHearth;
import dev.hearth.examples.support.ScriptRun;
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
import org.junit.jupiter.api.TestFactory;

/**
 * Every example against one embedded Hearth ({@code hearth serve --replicas 2} from the shaded jar):
 * each script found under {@code examples/} runs as a user would run it, its printed output checked.
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
            assertEquals("session", turns.get(0)[1], out);
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
        return scripts.stream().map(script -> DynamicTest.dynamicTest(EXAMPLES.relativize(script).toString(), () -> {
            ScriptRun.Result r = ScriptRun.run(script, hearth.environment(), SCRIPT_TIMEOUT);
            assertFalse(r.timedOut(), r.describe());
            assertEquals(0, r.exitCode(), r.describe());
            assertFalse(r.stdout().isBlank(), "an example shows something: " + r.describe());
            assertFalse((r.stdout() + r.stderr()).contains("\tat "), "no stack trace: " + r.describe());
            Check facts = FACTS.get(EXAMPLES.relativize(script).toString());
            if (facts != null) {
                try {
                    facts.verify(r.stdout());
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "\n" + r.describe(), e);
                }
            }
        }));
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
