package dev.hearth.e2e;

import static dev.hearth.e2e.CliProcessTest.assertOneLineError;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth bench gateways} as a user runs it, on the Mooncake trace's first requests: every
 * contender behind every setup completes every request, each shortfall is computed against the
 * contender's own one-gateway run, only shared setups publish (every decision, none from KV events),
 * the files are the printed report, and bad input is one line.
 */
class GatewayBenchProcessTest {
    private static final Path TRACE = Path.of("../../shared/traces/mooncake_conversation_trace.jsonl.gz");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 300;

    @Test
    void theReportMeasuresEverySetupAgainstOneGateway(@TempDir Path out) throws Exception {
        HearthProcess.Exit run = HearthProcess.run("bench", "gateways", "--trace", TRACE.toString(), "--limit",
                String.valueOf(REQUESTS), "--gateways", "2,4", "--share-batch-ms", "20", "--format", "json", "--out", out.toString());
        assertEquals(0, run.code(), String.join("\n", run.stderr()));
        assertTrue(run.stderr().stream().anyMatch(l -> l.contains("bench gateways 100%")), "progress on stderr: " + run.stderr());
        JsonNode report = JSON.readTree(String.join("\n", run.stdout()));
        assertEquals(REQUESTS, report.at("/workload/requests").asInt());
        assertEquals(4, report.at("/cluster/replicas").asInt());
        assertEquals(20, report.at("/gateways/share_batch_ms").asInt());
        assertEquals(1, report.at("/gateways/share_delivery_ms").asInt());

        Map<String, Double> reference = new HashMap<>(); // each policy's one gateway learning from its own decisions
        for (JsonNode r : report.get("runs")) {
            if (r.get("gateways").asInt() == 1 && !r.get("kv_events").asBoolean()) {
                reference.put(r.get("policy").asText(), r.get("hit_ratio").asDouble());
                assertEquals(1.0, r.get("hit_ratio_of_one_gateway").asDouble(), 1e-12);
            }
        }
        assertEquals(Set.of("cost", "hearth"), reference.keySet());
        List<String> rows = new ArrayList<>();
        for (JsonNode r : report.get("runs")) {
            int gateways = r.get("gateways").asInt();
            boolean events = r.get("kv_events").asBoolean();
            boolean shared = r.get("shared_decisions").asBoolean();
            String row = r.get("policy").asText() + " " + gateways + (events ? " events" : shared ? " shared" : " own");
            rows.add(row);
            assertEquals(REQUESTS, r.get("completed").asInt(), row);
            double hit = r.get("hit_ratio").asDouble();
            assertEquals((double) r.get("cached_tokens").asLong() / r.get("prompt_tokens").asLong(), hit, 1e-12, row);
            double of = hit / reference.get(r.get("policy").asText());
            assertEquals(of, r.get("hit_ratio_of_one_gateway").asDouble(), 1e-9, row + " against its own reference");
            assertEquals(1 - of, r.get("shortfall").asDouble(), 1e-9, row);
            assertTrue(r.get("ttft_p50_ms").asDouble() <= r.get("ttft_p99_ms").asDouble(), row);
            long decisions = r.get("decisions_shared").asLong();
            long batches = r.get("batches").asLong();
            if (shared) {
                assertEquals(REQUESTS, decisions, row + ": without events every decision is learned, and shared");
                assertTrue(batches > 0 && batches <= decisions, row + " batches " + batches);
            } else {
                assertEquals(0, decisions, row);
                assertEquals(0, batches, row);
            }
        }
        assertEquals(List.of("cost 1 events", "cost 1 own", "cost 2 own", "cost 4 own", "cost 2 shared", "cost 4 shared",
                "cost 2 events", "cost 4 events", "hearth 1 events", "hearth 1 own", "hearth 2 own", "hearth 4 own", "hearth 2 shared",
                "hearth 4 shared", "hearth 2 events", "hearth 4 events"), rows);

        assertEquals(report, JSON.readTree(out.resolve("report.json").toFile()), "the file is the printed report");
        assertTrue(Files.readString(out.resolve("report.txt")).contains("4 gateways, shared decisions"));
        for (String svg : List.of("hit-ratio-cost.svg", "hit-ratio-hearth.svg")) {
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve(svg).toFile());
            assertEquals("svg", doc.getDocumentElement().getTagName(), svg);
        }
    }

    @Test
    void badInputIsOneLine() throws Exception {
        String t = TRACE.toString();
        assertOneLineError(HearthProcess.run("bench", "gateways"), 1, "give --trace FILE");
        assertOneLineError(HearthProcess.run("bench", "gateways", "--trace", t, "--gateways", "2,0"), 1,
                "--gateways takes counts between 1 and 64, was 0");
        assertOneLineError(HearthProcess.run("bench", "gateways", "--trace", t, "--gateways", "two"), 2,
                "Invalid value for option '--gateways'");
        assertOneLineError(HearthProcess.run("bench", "gateways", "--trace", t, "--share-batch-ms", "-5"), 1,
                "--share-batch-ms must not be negative, was -5");
        assertOneLineError(HearthProcess.run("bench", "gateways", "--trace", t, "--share-delay-ms", "-1"), 1,
                "--share-delay-ms must not be negative, was -1");
        assertOneLineError(HearthProcess.run("bench", "gateways", "--trace", t, "--policies", "best"), 1, "--policies takes names from");
        assertOneLineError(HearthProcess.run("bench", "gateways", "--trace", t, "--format", "xml"), 1, "--format must be table or json");
        assertOneLineError(HearthProcess.run("bench", "gateways", "--trace", t, "--threads", "0"), 1, "--threads must be at least 1");
        assertOneLineError(HearthProcess.run("bench", "gateways", "--trace", "no-such.jsonl"), 1, "--trace no-such.jsonl: no such file");
    }
}
