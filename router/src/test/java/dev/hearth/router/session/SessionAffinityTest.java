package dev.hearth.router.session;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionAffinityTest {
    private static SessionAffinity fourReplicas() {
        SessionAffinity a = new SessionAffinity(60_000);
        for (int s = 0; s < 4; s++) {
            a.addReplica(s, "replica-" + s);
        }
        return a;
    }

    @Test
    void sessionsStayOnTheirReplicaAndSpreadAcrossTheRing() {
        SessionAffinity a = fourReplicas();
        Map<Integer, Integer> perSlot = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            int slot = a.place("session-" + i, s -> true, 0).slot();
            perSlot.merge(slot, 1, Integer::sum);
            for (int turn = 1; turn < 5; turn++) {
                SessionAffinity.Placement p = a.place("session-" + i, s -> true, turn);
                assertEquals(slot, p.slot());
                assertTrue(p.bound());
            }
        }
        assertEquals(4, perSlot.size());
        perSlot.values().forEach(n -> assertTrue(n > 50, "each replica takes a fair share: " + perSlot));
    }

    @Test
    void boundedLoadsSendNewSessionsPastAFullReplicaWithoutMovingOldOnes() {
        SessionAffinity a = fourReplicas();
        int home = a.place("s", slot -> true, 0).slot();
        // The home replica is over its bound now: the request overflows, the binding stays.
        SessionAffinity.Placement over = a.place("s", slot -> slot != home, 1);
        assertNotEquals(home, over.slot());
        assertFalse(over.bound());
        assertEquals(home, a.boundTo("s"));
        assertEquals(home, a.place("s", slot -> true, 2).slot(), "back home once it has room");
        assertNull(a.place("t", slot -> false, 3), "no usable replica: no placement");
    }

    @Test
    void removingAReplicaMovesOnlyItsSessions() {
        SessionAffinity a = fourReplicas();
        Map<String, Integer> before = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            before.put("s" + i, a.place("s" + i, s -> true, 0).slot());
        }
        int victim = before.get("s0");
        a.removeReplica(victim);
        long expectedMoves = before.values().stream().filter(s -> s == victim).count();
        assertEquals(expectedMoves, a.moves());
        for (var e : before.entrySet()) {
            int now = a.place(e.getKey(), s -> true, 1).slot();
            if (e.getValue() == victim) {
                assertNotEquals(victim, now);
            } else {
                assertEquals(e.getValue(), now, e.getKey() + " must not move");
            }
        }
    }

    @Test
    void idleBindingsExpire() {
        SessionAffinity a = new SessionAffinity(1_000);
        a.addReplica(0, "a");
        a.place("old", s -> true, 0);
        a.place("recent", s -> true, 900);
        assertEquals(1, a.expire(1_500), "only the binding unused for over a second goes");
        assertEquals(-1, a.boundTo("old"));
        assertEquals(0, a.boundTo("recent"));
        assertEquals(1, a.sessions());
    }
}
