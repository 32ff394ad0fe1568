package dev.hearth.e2e;

import static dev.hearth.e2e.CliProcessTest.assertOneLineError;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth bench} as a user runs it, on the real Mooncake trace's first requests: the JSON
 * report's invariants hold, its ceiling equals a count made here straight from the trace file, the
 * files written to {@code --out} are the same report and well-formed SVG, and bad input is one line.
 */
class BenchProcessTest {
    private static final Path TRACE = Path.of("../../shared/traces/mooncake_conversation_trace.jsonl.gz");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 300;

    /** The unlimited ceiling counted independently: leading blocks seen before, in tokens, over prompt tokens. */
    static double unlimitedCeiling(Path trace, int requests) throws Exception {
        Set<Long> seen = new HashSet<>();
        long hit = 0;
        long prompt = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(trace)),
                StandardCharsets.UTF_8))) {
            for (int n = 0; n < requests; n++) {
                JsonNode r = JSON.readTree(in.readLine());
                int length = r.get("input_length").asInt();
                boolean leading = true;
                for (int i = 0; i < r.get("hash_ids").size(); i++) {
                    long id = r.get("hash_ids").get(i).asLong();
                    leading &= seen.contains(id);
                    if (leading) {
                        hit += Math.min(512, length - i * 512);
                    }
                    seen.add(id);
                }
                prompt += length;
            }
        }
        return (double) hit / prompt;
    }

    @Test
    void theJsonReportKeepsItsInvariants(@TempDir Path out) throws Exception {
        // Ample KV (400,000 blocks a replica): the pooled cache then holds everything, so it is a true ceiling.
        HearthProcess.Exit run = HearthProcess.run("bench", "--trace", TRACE.toString(), "--limit", String.valueOf(REQUESTS),
                "--replicas", "4", "--kv-blocks", "400000", "--saturation-requests", "150", "--format", "json",
                "--out", out.toString());
        assertEquals(0, run.code(), String.join("\n", run.stderr()));
        JsonNode report = JSON.readTree(String.join("\n", run.stdout()));

        assertEquals("mooncake_conversation_trace.jsonl.gz", report.at("/workload/name").asText());
        assertEquals(REQUESTS, report.at("/workload/requests").asInt());
        double ceiling = report.at("/ceiling/hit_ratio").asDouble();
        double unlimited = report.at("/ceiling/unlimited_hit_ratio").asDouble();
        assertEquals(unlimitedCeiling(TRACE, REQUESTS), unlimited, 1e-12, "the ceiling is the trace's own count");
        assertEquals(unlimited, ceiling, 1e-12, "a pool larger than the whole workload holds everything");

        List<String> names = new ArrayList<>();
        for (JsonNode p : report.get("policies")) {
            String name = p.get("name").asText();
            names.add(name);
            double hit = p.get("hit_ratio").asDouble();
            assertTrue(hit >= 0 && hit <= ceiling + 1e-12, name + " hit " + hit + " within [0, " + ceiling + "]");
            assertEquals(hit / ceiling, p.get("hit_ratio_of_ceiling").asDouble(), 1e-9, name);
            assertEquals((double) p.get("cached_tokens").asLong() / p.get("prompt_tokens").asLong(), hit, 1e-12, name);
            double mean = p.get("ttft_mean_ms").asDouble();
            double p50 = p.get("ttft_p50_ms").asDouble();
            double p99 = p.get("ttft_p99_ms").asDouble();
            assertTrue(mean > 0 && p50 > 0 && p50 <= p99 && p99 <= p.get("ttft_max_ms").asDouble(), name + " TTFT ordered");
            assertTrue(p.get("e2e_p50_ms").asDouble() <= p.get("e2e_p99_ms").asDouble(), name);
            assertTrue(p.get("e2e_p99_ms").asDouble() >= p99, name + ": each request's e2e is at least its TTFT");
            assertEquals(REQUESTS, p.get("completed").asInt(), name + " completes every request");
            double imbalance = p.get("imbalance").asDouble();
            assertTrue(imbalance >= 1 && imbalance <= 4, name + " imbalance " + imbalance);
            long prefill = 0;
            long most = 0;
            for (JsonNode t : p.get("prefill_tokens_per_replica")) {
                prefill += t.asLong();
                most = Math.max(most, t.asLong());
            }
            assertEquals(p.get("prompt_tokens").asLong() - p.get("cached_tokens").asLong(), prefill, name);
            assertEquals(most / (prefill / 4.0), imbalance, 1e-9, name + ": max over mean prefill work");
            assertTrue(p.get("throughput_rps").asDouble() > 0, name + " sustains some rate within the SLO");
            assertTrue(p.at("/saturation/probes").asInt() >= 2, name + " searched");
        }
        assertEquals(List.of("hearth", "cost", "round-robin", "random", "least-load", "power-of-two", "sglang-cache-aware", "llm-d",
                "dynamo"), names);
        assertTrue(report.get("goals").size() == 4, report.get("goals").toString());
        JsonNode hearth = report.get("policies").get(0);
        JsonNode roundRobin = report.get("policies").get(2);
        assertTrue(hearth.get("hit_ratio").asDouble() > roundRobin.get("hit_ratio").asDouble(), "prefix-aware beats round-robin");

        assertEquals(report, JSON.readTree(out.resolve("report.json").toFile()), "the file is the printed report");
        assertTrue(Files.readString(out.resolve("report.txt")).contains("goals for hearth"));
        for (String svg : List.of("hit-ratio.svg", "ttft-p99.svg", "ttft-distribution.svg")) {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve(svg).toFile());
            assertEquals("svg", doc.getDocumentElement().getTagName(), svg);
            assertTrue(Files.readString(out.resolve(svg)).contains("hearth"), svg + " names the policies");
        }
    }

    @Test
    void aGeneratedWorkloadSweptOverReplicasPrintsOnePointPerValue(@TempDir Path out) throws Exception {
        HearthProcess.Exit run = HearthProcess.run("bench", "--workload", "generated-shared-prefix:num_groups=8,prompts_per_group=8",
                "--sweep", "replicas=1,2", "--policies", "hearth,round-robin", "--format", "json", "--out", out.toString());
        assertEquals(0, run.code(), String.join("\n", run.stderr()));
        JsonNode sweep = JSON.readTree(String.join("\n", run.stdout()));
        assertEquals("replicas", sweep.get("sweep").asText());
        assertEquals(2, sweep.get("points").size());
        for (int i = 0; i < 2; i++) {
            JsonNode point = sweep.get("points").get(i);
            assertEquals(i + 1, point.at("/cluster/replicas").asInt());
            assertEquals("generated-shared-prefix", point.at("/workload/name").asText());
            assertEquals(8, point.at("/workload/num_groups").asInt(), "the generator's parameters are printed");
            assertEquals(64, point.at("/policies/0/completed").asInt());
            assertTrue(point.at("/policies/0/throughput_rps").isNull(), "a sweep makes no saturation search");
            // 8 groups of 8 sharing a 2,048-token system prompt: at most 56 of 64 prompts can reuse it.
            assertTrue(point.at("/ceiling/unlimited_hit_ratio").asDouble() > 0.5, point.get("ceiling").toString());
        }
        JsonNode one = sweep.at("/points/0/policies");
        assertEquals(one.get(0).get("hit_ratio").asDouble(), one.get(1).get("hit_ratio").asDouble(), 1e-12,
                "on one replica every policy makes the same choice");
        for (String f : List.of("sweep-replicas.json", "sweep-replicas.txt", "sweep-replicas-hit-ratio.svg", "sweep-replicas-ttft-p99.svg")) {
            assertTrue(Files.size(out.resolve(f)) > 200, f);
        }
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) throws Exception {
        assertOneLineError(HearthProcess.run("bench"), 1, "give --trace FILE");
        assertOneLineError(HearthProcess.run("bench", "--trace", "no-such.jsonl"), 1, "--trace no-such.jsonl: no such file");
        String t = TRACE.toString();
        assertOneLineError(HearthProcess.run("bench", "--trace", t, "--policies", "hearth,best"), 1, "--policies takes names from");
        assertOneLineError(HearthProcess.run("bench", "--trace", t, "--workload", "rag"), 1, "give --trace or --workload, not both");
        assertOneLineError(HearthProcess.run("bench", "--workload", "chat"), 1, "system-prompt");
        assertOneLineError(HearthProcess.run("bench", "--workload", "rag", "--sweep", "kv=10"), 1, "at least 8192");
        assertOneLineError(HearthProcess.run("bench", "--workload", "rag", "--sweep", "colour=1"), 1, "--sweep varies one of");
        assertOneLineError(HearthProcess.run("bench", "--trace", t, "--rate", "0"), 1, "--rate must be a positive number");
        assertOneLineError(HearthProcess.run("bench", "--trace", t, "--rate", "2", "--rate-scale", "3"), 2, "mutually exclusive");
        assertOneLineError(HearthProcess.run("bench", "--trace", t, "--format", "xml"), 1, "--format must be table or json");
        assertOneLineError(HearthProcess.run("bench", "--trace", t, "--kv-blocks", "10"), 1, "--kv-blocks must be at least 8192");
        assertOneLineError(HearthProcess.run("bench", "--trace", t, "--replicas", "0"), 1, "--replicas must be between 1 and 64");
        assertOneLineError(HearthProcess.run("bench", "--trace", t, "--slo-ttft-p99", "-1"), 1, "--slo-ttft-p99 must be a positive");
        Path broken = Files.writeString(dir.resolve("broken.jsonl"),
                "{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 1, \"hash_ids\": [0]}\n{\"timestamp\": 1}\n");
        assertOneLineError(HearthProcess.run("bench", "--trace", broken.toString()), 1, "broken.jsonl:2: needs timestamp");
    }
}
