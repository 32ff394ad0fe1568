package dev.hearth.router.session;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SessionAffinityTest {
    @Test
    void aBindingHoldsWhileUsedAndExpiresWhenIdle() {
        SessionAffinity a = new SessionAffinity(1_000);
        assertEquals(-1, a.boundTo("s", 0), "unbound until its first request is placed");
        a.bind("s", 2, 0);
        assertEquals(2, a.boundTo("s", 999));
        a.touch("s", 900);
        assertEquals(2, a.boundTo("s", 1_800), "a use starts another TTL");
        assertEquals(-1, a.boundTo("s", 1_901), "idle past the TTL: placed afresh");
        a.touch("never-bound", 0);
        assertEquals(-1, a.boundTo("never-bound", 0), "touching binds nothing");
    }

    @Test
    void removingAReplicaUnbindsOnlyItsSessions() {
        SessionAffinity a = new SessionAffinity(60_000);
        for (int i = 0; i < 100; i++) {
            a.bind("s" + i, i % 4, 0);
        }
        a.removeReplica(1);
        assertEquals(25, a.moves());
        assertEquals(75, a.sessions());
        for (int i = 0; i < 100; i++) {
            assertEquals(i % 4 == 1 ? -1 : i % 4, a.boundTo("s" + i, 1), "s" + i);
        }
    }

    @Test
    void idleBindingsExpire() {
        SessionAffinity a = new SessionAffinity(1_000);
        a.bind("old", 0, 0);
        a.bind("recent", 0, 900);
        assertEquals(1, a.expire(1_500), "only the binding unused for over a second goes");
        assertEquals(-1, a.boundTo("old", 1_500));
        assertEquals(0, a.boundTo("recent", 1_500));
        assertEquals(1, a.sessions());
    }
}
