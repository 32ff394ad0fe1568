package dev.hearth.platform.shared;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.platform.gateway.ReplicaGroup;
import dev.hearth.platform.gateway.ReplicaGroups;
import dev.hearth.router.Router;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two gateways' routers over the same two replicas, no KV events: what one learns, the other hears. */
class RedisDecisionFeedTest {
    private static ReplicaGroups groupOf(Router router) {
        router.addReplica("replica-0", 10_000);
        router.addReplica("replica-1", 10_000);
        ReplicaGroups groups = new ReplicaGroups();
        groups.add(new ReplicaGroup("chat", new ReplicaGroup.Served("m", "v", 4096), router,
                new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16), System::currentTimeMillis));
        return groups;
    }

    private static int indexed(Router router, String replica) {
        return router.replicas(System.currentTimeMillis()).stream().filter(r -> r.id().equals(replica)).findFirst()
                .orElseThrow().indexedBlocks();
    }

    @Test
    void learnedDecisionsReachTheOtherGatewayInBatches() throws Exception {
        Router ra = Router.withDefaults();
        Router rb = Router.withDefaults();
        ReplicaGroups ga = groupOf(ra);
        ReplicaGroups gb = groupOf(rb);
        try (RedisServer redis = new RedisServer();
             RedisLink la = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisLink lb = new RedisLink(redis.uri(), Duration.ofMillis(250));
             RedisDecisionFeed a = new RedisDecisionFeed(la, ga, System::currentTimeMillis, Duration.ofMillis(300));
             RedisDecisionFeed b = new RedisDecisionFeed(lb, gb, System::currentTimeMillis, Duration.ofMillis(300))) {
            long[] prompt = new long[20];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = 1_000 + i;
            }
            Router.Ticket t = ra.route(new RouteRequest(prompt, 320, 16, "", null), System.currentTimeMillis());
            assertTrue(t.learned(), "no KV events: the decision is learned");
            a.learned("chat", t.replica(), prompt);
            a.learned("nobody-here", t.replica(), prompt); // a deployment B does not serve: ignored
            assertEquals(0, indexed(rb, t.replica()), "nothing before the batch goes out");
            long deadline = System.currentTimeMillis() + 5_000;
            while (indexed(rb, t.replica()) < prompt.length) {
                assertTrue(System.currentTimeMillis() < deadline, "B never learned A's decision");
                Thread.sleep(20);
            }
            Router.DecisionRecord d = rb.explain(new RouteRequest(prompt, 320, 16, "", null), System.currentTimeMillis());
            assertEquals(t.replica(), d.replica());
            assertTrue(d.reason().startsWith("prefix-hit"), d.reason());
            assertEquals(prompt.length, indexed(ra, t.replica()), "A does not learn its own batch twice");
            SimpleMeterRegistry ma = new SimpleMeterRegistry();
            SimpleMeterRegistry mb = new SimpleMeterRegistry();
            a.bindTo(ma);
            b.bindTo(mb);
            assertEquals(2, mb.get("hearth.shared.decisions.received").functionCounter().count());
            assertEquals(2, ma.get("hearth.shared.decisions.published").functionCounter().count());
            assertEquals(0, mb.get("hearth.shared.decisions.published").functionCounter().count());
            b.apply(new byte[] {1, 2, 3}); // a malformed batch is logged and ignored
        }
    }
}
