package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.router.Router;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Each sample holds its own interval's figures, never the totals since the start; the ring keeps its window. */
class MetricHistoryTest {
    private final AtomicLong now = new AtomicLong(1_000_000);

    private ReplicaGroup group(String name) {
        Router router = Router.withDefaults();
        router.addReplica("replica-0", 10_000);
        router.addReplica("replica-1", 10_000);
        return new ReplicaGroup(name, new ReplicaGroup.Served("m", "v", 4096), router,
                new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16), now::get);
    }

    private static long[] prompt(int blocks) {
        long[] keys = new long[blocks];
        for (int i = 0; i < blocks; i++) {
            keys[i] = 7_000 + i;
        }
        return keys;
    }

    private void traffic(ReplicaGroup g, int requests, int hits, int misses, long firstByteMillis, long[] routed) {
        for (int i = 0; i < requests; i++) {
            g.stats().request(now.get());
            g.stats().firstByte(firstByteMillis * 1_000_000);
        }
        for (int i = 0; i < hits + misses; i++) {
            g.stats().cache(i < hits);
        }
        if (routed != null) {
            Router.Ticket t = g.router().route(new RouteRequest(routed, routed.length * 16, 16, "", null), now.get());
            g.router().firstToken(t);
            g.router().finished(t, true);
        }
    }

    @Test
    void eachSampleIsItsIntervalAlone() {
        ReplicaGroups groups = new ReplicaGroups();
        ReplicaGroup chat = group("chat");
        groups.add(chat);
        MetricHistory history = new MetricHistory(groups, now::get, Duration.ofSeconds(5), Duration.ofSeconds(20));

        now.addAndGet(5_000);
        history.sample();
        MetricHistory.Sample idle = history.samples("chat").get(0);
        assertEquals(0, idle.requests());
        assertNull(idle.cacheHitRatio(), "no lookups, no ratio");
        assertNull(idle.prefixHitRatioEstimated());
        assertNull(idle.firstByteP50Ms());

        traffic(chat, 4, 1, 3, 10, prompt(20));
        now.addAndGet(5_000);
        history.sample();
        MetricHistory.Sample first = history.samples("chat").get(1);
        assertEquals(now.get(), first.time());
        assertEquals(4, first.requests());
        assertEquals(0.8, first.requestsPerSecond(), 1e-9);
        assertEquals(4, first.cacheLookups());
        assertEquals(0.25, first.cacheHitRatio(), 1e-9);
        assertEquals(20, first.promptBlocks());
        assertEquals(0.0, first.prefixHitRatioEstimated(), 1e-9, "a new prompt: nothing cached");
        assertEquals(10, first.firstByteP50Ms(), 10 * 0.06, "within one bucket");

        traffic(chat, 1, 1, 0, 200, prompt(20));
        now.addAndGet(5_000);
        history.sample();
        MetricHistory.Sample second = history.samples("chat").get(2);
        assertEquals(1, second.requests());
        assertEquals(1.0, second.cacheHitRatio(), 1e-9, "the interval's one lookup hit, whatever came before");
        assertEquals(1.0, second.prefixHitRatioEstimated(), 1e-9, "the same prompt again: all of it where it went");
        assertEquals(200, second.firstByteP50Ms(), 200 * 0.06, "only this interval's first bytes");
        assertEquals(200, second.firstByteP99Ms(), 200 * 0.06);
        assertEquals(0.5, chat.router().estimatedHitRatio(), 1e-9, "since the start it is half");

        now.addAndGet(5_000);
        history.sample();
        now.addAndGet(5_000);
        history.sample();
        List<MetricHistory.Sample> kept = history.samples("chat");
        assertEquals(4, kept.size(), "20 s of 5 s samples");
        assertEquals(first.time(), kept.get(0).time(), "the oldest went first");
        assertEquals(0, kept.get(3).requests());
        assertNull(kept.get(3).firstByteP99Ms());
    }

    @Test
    void aReplacedGroupStartsAgainAndAGoneOneIsForgotten() {
        ReplicaGroups groups = new ReplicaGroups();
        ReplicaGroup chat = group("chat");
        groups.add(chat);
        MetricHistory history = new MetricHistory(groups, now::get, Duration.ofSeconds(5), Duration.ofMinutes(15));
        traffic(chat, 3, 0, 0, 10, null);
        now.addAndGet(5_000);
        history.sample();
        assertEquals(3, history.samples("chat").get(0).requests());

        ReplicaGroup taken = group("chat");
        groups.replace(taken);
        traffic(taken, 2, 0, 0, 10, null);
        now.addAndGet(5_000);
        history.sample();
        assertEquals(1, history.samples("chat").size(), "a new group under the name: its own history");
        assertEquals(2, history.samples("chat").get(0).requests(), "counted from its own zero, not against the old totals");

        groups.remove("chat");
        now.addAndGet(5_000);
        history.sample();
        assertEquals(List.of(), history.samples("chat"));
        assertEquals(List.of(), history.samples("never-served"));
    }

    @Test
    void samplesOnItsOwnUntilClosed() throws Exception {
        ReplicaGroups groups = new ReplicaGroups();
        groups.add(group("chat"));
        try (MetricHistory history = new MetricHistory(groups, System::currentTimeMillis, Duration.ofMillis(20),
                Duration.ofSeconds(1)).start()) {
            long deadline = System.currentTimeMillis() + 5_000;
            while (history.samples("chat").size() < 3) {
                assertTrue(System.currentTimeMillis() < deadline, "no samples taken");
                Thread.sleep(10);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new MetricHistory(groups, System::currentTimeMillis,
                Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }
}
