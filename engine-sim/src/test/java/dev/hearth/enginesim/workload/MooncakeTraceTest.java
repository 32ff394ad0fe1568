package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.cluster.PooledCache;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Mooncake reader over the real conversation trace in ../shared/traces, checked against the
 * figures its README publishes; and bad lines refused with their number.
 */
class MooncakeTraceTest {
    static final Path TRACE = Path.of("../../shared/traces/mooncake_conversation_trace.jsonl.gz");

    static List<TraceRequest> trace() throws IOException {
        assertTrue(Files.isRegularFile(TRACE), TRACE.toAbsolutePath() + " is missing: ../shared must sit beside the checkout");
        return MooncakeTrace.read(TRACE, MooncakeTrace.MOONCAKE_BLOCK_SIZE);
    }

    @Test
    void theRealTraceReadsWhole() throws Exception {
        List<TraceRequest> t = trace();
        assertEquals(12_031, t.size());
        assertEquals(3_536_999, t.get(t.size() - 1).timestampMillis());
        double meanPrompt = t.stream().mapToInt(TraceRequest::inputLength).average().orElseThrow();
        assertEquals(12_035, meanPrompt, 1.0, "the README's mean prompt");
        assertTrue(t.stream().allMatch(r -> r.blockIds()[0] == 0), "block 0 starts every request");
    }

    @Test
    void theCeilingAndRoundRobinMatchTheReadmesFigures() throws Exception {
        List<TraceRequest> t = trace();
        PooledCache ceiling = PooledCache.unlimited();
        t.forEach(ceiling::serve);
        assertEquals(0.3664, ceiling.blockHitRatio(), 0.00005);
        assertTrue(ceiling.tokenHitRatio() > 0.3 && ceiling.tokenHitRatio() < 0.4, "tokens: " + ceiling.tokenHitRatio());
        for (int[] replicasAndPermille : new int[][] {{4, 192}, {8, 136}}) {
            PooledCache[] caches = new PooledCache[replicasAndPermille[0]];
            for (int i = 0; i < caches.length; i++) {
                caches[i] = PooledCache.unlimited();
            }
            long hit = 0;
            long blocks = 0;
            for (int i = 0; i < t.size(); i++) {
                hit += caches[i % caches.length].serve(t.get(i));
                blocks += t.get(i).blockIds().length;
            }
            assertEquals(replicasAndPermille[1] / 1000.0, (double) hit / blocks, 0.0005, replicasAndPermille[0] + " replicas");
        }
    }

    @Test
    void aSmallCacheReusesLessThanAnUnlimitedOne() throws Exception {
        List<TraceRequest> t = trace().subList(0, 3_000);
        PooledCache small = new PooledCache(2_000L * 512);
        PooledCache unlimited = PooledCache.unlimited();
        t.forEach(r -> {
            small.serve(r);
            unlimited.serve(r);
        });
        assertTrue(small.blockHitRatio() < unlimited.blockHitRatio(), small.blockHitRatio() + " vs " + unlimited.blockHitRatio());
        assertTrue(small.blockHitRatio() > 0);
    }

    @Test
    void badLinesAreRefusedWithTheirNumber() {
        String[][] cases = {
                {"{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 1, \"hash_ids\": [0]}\n{nope", "t.jsonl:2: "},
                {"{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 1}", "t.jsonl:1: needs timestamp"},
                {"{\"timestamp\": 0, \"input_length\": 1000, \"output_length\": 1, \"hash_ids\": [0]}", "2 expected"},
                {"{\"timestamp\": 0, \"input_length\": 10, \"output_length\": 1, \"hash_ids\": [\"a\"]}", "hash_ids[0] is not an integer"},
                {"{\"timestamp\": 5, \"input_length\": 1, \"output_length\": 1, \"hash_ids\": [0]}\n"
                        + "{\"timestamp\": 1, \"input_length\": 1, \"output_length\": 1, \"hash_ids\": [0]}", "not in timestamp order"},
                {"{\"timestamp\": 0, \"input_length\": -1, \"output_length\": 1, \"hash_ids\": []}", "must not be negative"}};
        for (String[] c : cases) {
            IOException e = assertThrows(IOException.class, () -> MooncakeTrace.read(
                    new ByteArrayInputStream(c[0].getBytes(StandardCharsets.UTF_8)), "t.jsonl", 512), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
    }
}
