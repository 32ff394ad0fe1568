package dev.hearth.router;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.router.policy.CostPolicy;
import dev.hearth.router.policy.RouteRequest;
import dev.hearth.router.prefix.PrefixIndex;
import dev.hearth.router.session.SessionAffinity;
import dev.hearth.router.tokens.ChatMessage;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final PromptBlocks prompts = new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16);

    private static Router fourReplicas() {
        Router router = Router.withDefaults();
        for (int i = 0; i < 4; i++) {
            router.addReplica("replica-" + i, 39_000);
        }
        return router;
    }

    private static String systemPrompt(int group) {
        StringBuilder s = new StringBuilder("You are assistant number " + group + ".");
        for (int i = 0; i < 3_000; i++) {
            s.append(' ').append(SimTokenizer.WORDS.get((i * (group + 3) + group) % SimTokenizer.WORDS.size()));
        }
        return s.toString();
    }

    private RouteRequest ask(String system, String question, String session) {
        return prompts.chat(List.of(new ChatMessage("system", system), new ChatMessage("user", question)), null, session);
    }

    @Test
    void groupsSharingASystemPromptEachLandOnOneReplica() {
        Router router = fourReplicas();
        Map<Integer, Set<String>> replicasOfGroup = new HashMap<>();
        String[] systems = {systemPrompt(0), systemPrompt(1), systemPrompt(2), systemPrompt(3)};
        ArrayDeque<Router.Ticket> running = new ArrayDeque<>();
        for (int i = 0; i < 40; i++) {
            int group = i % 4;
            Router.Ticket t = router.route(ask(systems[group], "question " + i, null), i);
            replicasOfGroup.computeIfAbsent(group, g -> new HashSet<>()).add(t.replica());
            if (i >= 4) {
                assertTrue(t.decision().reason().startsWith("prefix-hit blocks="), t.decision().reason());
            }
            running.add(t);
            if (running.size() > 3) { // a few requests overlap, as they would under real traffic
                Router.Ticket done = running.poll();
                router.firstToken(done);
                router.finished(done, true);
            }
        }
        Set<String> used = new HashSet<>();
        for (var e : replicasOfGroup.entrySet()) {
            assertEquals(1, e.getValue().size(), "group " + e.getKey() + " landed on " + e.getValue());
            used.addAll(e.getValue());
        }
        assertTrue(used.size() >= 3, "groups spread over " + used);
    }

    @Test
    void sessionsStayAndOnlyTheLostReplicasSessionsMove() {
        Router router = fourReplicas();
        Map<String, String> home = new HashMap<>();
        StringBuilder[] history = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
        for (int turn = 0; turn < 10; turn++) {
            for (int s = 0; s < 3; s++) {
                history[s].append(" turn ").append(turn).append(" of session ").append(s);
                Router.Ticket t = router.route(ask("Be brief.", history[s].toString(), "session-" + s), turn);
                home.merge("session-" + s, t.replica(), (a, b) -> {
                    assertEquals(a, b, "session-" + " moved on turn");
                    return a;
                });
                router.finished(t, false);
            }
        }
        String lost = home.get("session-0");
        long onLost = home.values().stream().filter(lost::equals).count();
        assertEquals(0, router.sessionMoves());
        router.setHealthy(lost, false);
        assertEquals(onLost, router.sessionMoves(), "the sessions bound to the lost replica moved, no others");
        assertEquals(0, router.sessionOverflows());
        for (int s = 0; s < 3; s++) {
            Router.Ticket t = router.route(ask("Be brief.", history[s] + " after", "session-" + s), 100);
            if (home.get("session-" + s).equals(lost)) {
                assertNotEquals(lost, t.replica());
                assertNotEquals("session", t.decision().reason(), "its binding left with the replica: the policy places it");
            } else {
                assertEquals(home.get("session-" + s), t.replica(), "session-" + s + " must stay");
                assertEquals("session", t.decision().reason());
            }
        }
    }

    @Test
    void aSessionOverflowsWhileItsReplicaIsFullAndIsCounted() {
        Router router = fourReplicas();
        Router.Ticket first = router.route(ask("Be brief.", "hello", "s"), 0);
        router.finished(first, true);
        router.engineStats(first.replica(), 10, 0.5); // its engine's queue is long: above the load bound
        Router.Ticket next = router.route(ask("Be brief.", "hello again", "s"), 1);
        assertEquals("session-overflow", next.decision().reason());
        assertNotEquals(first.replica(), next.replica());
        assertEquals(1, router.sessionOverflows());
        assertEquals(0, router.sessionMoves(), "an overflow leaves the binding where it is");
        router.explain(ask("Be brief.", "hello again", "s"), 2);
        assertEquals(1, router.sessionOverflows(), "an explanation changes nothing");
    }

    @Test
    void aHotPrefixNeverPushesAReplicaAboveTheBound() {
        Router router = fourReplicas();
        String hot = systemPrompt(9);
        List<Router.Ticket> inFlight = new ArrayList<>();
        int maxSeen = 0;
        for (int i = 0; i < 420; i++) {
            boolean isHot = i % 21 != 20; // 20 hot requests for every cold one
            RouteRequest req = isHot ? ask(hot, "q" + i, null) : ask(systemPrompt(i % 7), "q" + i, null);
            Router.Ticket t = router.route(req, i);
            router.firstToken(t); // prefills of a cached prompt end at once: only the load bound spreads work
            inFlight.add(t);
            List<Router.ReplicaInfo> info = router.replicas(i);
            int total = info.stream().mapToInt(Router.ReplicaInfo::inFlight).sum();
            int max = info.stream().mapToInt(Router.ReplicaInfo::inFlight).max().orElse(0);
            int bound = (int) Math.ceil(1.25 * total / 4.0);
            assertTrue(max <= bound, "request " + i + ": max " + max + " over bound " + bound);
            maxSeen = Math.max(maxSeen, max);
            if (inFlight.size() > 40) { // a steady 40 in flight: finish the oldest
                Router.Ticket done = inFlight.remove(0);
                router.finished(done, true);
            }
        }
        List<Router.ReplicaInfo> info = router.replicas(0);
        double mean = info.stream().mapToInt(Router.ReplicaInfo::inFlight).average().orElse(0);
        double imbalance = info.stream().mapToInt(Router.ReplicaInfo::inFlight).max().orElse(0) / mean;
        assertTrue(imbalance <= 1.25 + 1e-9, "max/mean in flight " + imbalance);
        assertEquals(0, router.placementsOverBound());
    }

    @Test
    void preciseEventsReplaceGuessesAndStaleEventsFallBack() {
        Router router = new Router(new CostPolicy(), new SessionAffinity(60_000), new PrefixIndex(), 0.25, 1_000);
        router.addReplica("a", 1_000);
        router.addReplica("b", 1_000);
        RouteRequest req = ask(systemPrompt(1), "q", null);
        router.blocksStored("b", req.blockHashes(), 0); // b reports it holds the prompt
        Router.Ticket t = router.route(req, 10);
        assertEquals("b", t.replica());
        assertEquals(req.blocks(), t.blocks());
        assertTrue(router.replicas(10).stream().filter(r -> r.id().equals("b")).findFirst().orElseThrow().precise());
        router.allCleared("b", 20);
        router.finished(t, false);
        Router.Ticket again = router.route(req, 30);
        assertEquals("least-load", again.decision().reason(), "b's cache was cleared: nothing is held anywhere");
        assertFalse(router.replicas(5_000).stream().anyMatch(Router.ReplicaInfo::precise), "events stopped: approximate");
    }

    @Test
    void aLoadBlindPolicyIsCaughtPlacingOverTheBound() {
        Router router = new Router(new dev.hearth.router.policy.RoundRobin(), new SessionAffinity(60_000), new PrefixIndex(),
                0.25, 1_000);
        router.addReplica("a", 100);
        router.addReplica("b", 100);
        router.engineStats("a", 50, 0); // a's engine queue is long; round-robin does not look
        router.route(ask("x", "y", null), 0);
        assertEquals(1, router.placementsOverBound());
    }

    @Test
    void unhealthyReplicasTakeNothingAndBadCallsAreRefused() {
        Router router = fourReplicas();
        for (int i = 0; i < 4; i++) {
            router.setHealthy("replica-" + i, false);
        }
        assertNull(router.route(ask("x", "y", null), 0));
        router.setHealthy("replica-2", true);
        assertEquals("replica-2", router.route(ask("x", "y", null), 0).replica());
        assertThrows(IllegalArgumentException.class, () -> router.addReplica("replica-2", 10));
        assertThrows(IllegalArgumentException.class, () -> router.setHealthy("nope", true));
    }

    @Test
    void aDrainingReplicaTakesNothingNewButCountsWhatItHoldsUntilItEnds() {
        Router router = fourReplicas();
        Router.Ticket held = router.route(ask(systemPrompt(1), "q", "s1"), 0);
        router.drain(held.replica());
        router.setHealthy(held.replica(), true); // a probe must not bring it back
        for (int i = 0; i < 20; i++) {
            Router.Ticket t = router.route(ask(systemPrompt(1), "q" + i, "s1"), 0);
            assertNotEquals(held.replica(), t.replica(), "no new request, not even its session's");
            router.finished(t, true);
        }
        assertEquals(1, router.replicas(0).stream().filter(r -> r.id().equals(held.replica())).findFirst().orElseThrow()
                .inFlight(), "the request it holds is still counted");
        router.finished(held, true);
        assertEquals(0, router.replicas(0).stream().filter(r -> r.id().equals(held.replica())).findFirst().orElseThrow()
                .inFlight());
    }

    @Test
    void anExplanationPlacesNothingAndTheLogKeepsTheLastDecisions() {
        Router router = fourReplicas();
        Router.Ticket first = router.route(ask(systemPrompt(2), "q", null), 0);
        router.finished(first, false);
        Router.DecisionRecord why = router.explain(ask(systemPrompt(2), "another", null), 5);
        assertEquals(first.replica(), why.replica(), "the prompt's prefix is where the first one went: " + why);
        assertTrue(why.reason().startsWith("prefix-hit"), why.reason());
        assertEquals(4, why.candidates().size());
        assertEquals(why.cachedBlocks(), why.candidates().stream().filter(c -> c.replica().equals(why.replica()))
                .findFirst().orElseThrow().cachedBlocks());
        assertTrue(why.cachedBlocks() > 100, "the shared system prompt's blocks: " + why.cachedBlocks());
        // The cost policy's scores: the winner's is the lowest, and the log says which way they point.
        double winner = why.candidates().stream().filter(c -> c.replica().equals(why.replica())).findFirst().orElseThrow().score();
        assertTrue(why.candidates().stream().allMatch(c -> c.score() >= winner), why.candidates().toString());
        assertTrue(why.scoring().contains("lowest wins"), why.scoring());
        Router.DecisionRecord session = router.explain(ask(systemPrompt(2), "another", "s-new"), 5);
        assertEquals(why.replica(), session.replica(), "a new session's first request goes where the policy sends it");
        assertTrue(session.reason().startsWith("prefix-hit"), session.reason());
        assertEquals(0, router.sessions(), "explaining bound no session");
        Router.Ticket bound = router.route(ask(systemPrompt(2), "another", "s-new"), 6);
        assertEquals(session.replica(), bound.replica(), "the explanation says where it then went");
        assertEquals(1, router.sessions(), "and the session bound there");
        router.finished(bound, false);
        Router.Ticket next = router.route(ask(systemPrompt(5), "unrelated turn", "s-new"), 7);
        assertEquals(bound.replica(), next.replica(), "its next request stays, whatever the prompt");
        assertEquals("session", next.decision().reason());
        router.finished(next, false);
        assertTrue(router.replicas(0).stream().allMatch(r -> r.inFlight() == 0), "and counted no load");
        assertEquals(3, router.decisions(10).size(), "and logged nothing: three routed, three logged");
        for (int i = 0; i < Router.LOG_SIZE + 10; i++) {
            router.finished(router.route(ask(systemPrompt(i % 3), "q" + i, null), i), false);
        }
        List<Router.DecisionRecord> log = router.decisions(1_000);
        assertEquals(Router.LOG_SIZE, log.size(), "bounded");
        assertEquals(Router.LOG_SIZE + 9, log.get(log.size() - 1).time(), "newest last: the loop's last time");
        assertTrue(router.estimatedHitRatio() > 0.9, "shared prompts hit: " + router.estimatedHitRatio());
    }
}
