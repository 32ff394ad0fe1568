package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.platform.engines.EngineClient;
import dev.hearth.router.Router;
import dev.hearth.router.tokens.ChatMessage;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.PromptBlocks;
import dev.hearth.router.tokens.SimTokenizer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Session bindings survive a gateway's restart through the state directory: saved while they change
 * (so a killed gateway loses little) and on close, adopted again by a new router over the same replicas.
 */
class SessionStoreTest {
    private final PromptBlocks prompts = new PromptBlocks(new SimTokenizer(), new ChatTemplate(), 16);

    /** A gateway's groups: one deployment over the given replica ids (nothing listens; nothing is sent). */
    private ReplicaGroups groups(String... replicas) {
        ReplicaGroups groups = new ReplicaGroups();
        ReplicaGroup g = new ReplicaGroup("chat", new ReplicaGroup.Served("m", "v", 0), Router.withDefaults(), prompts,
                System::currentTimeMillis);
        for (String id : replicas) {
            g.add(new Backend(id, new EngineClient(URI.create("http://127.0.0.1:9"), Duration.ofSeconds(1),
                    Duration.ofSeconds(1)), null), false);
        }
        groups.add(g);
        return groups;
    }

    /** Routes a session's request; {@code finish}: it ends at once, else it stays in flight (and spreads the next ones). */
    private Router.Ticket route(ReplicaGroups groups, String session, boolean finish) {
        Router router = groups.get("chat").router();
        Router.Ticket t = router.route(prompts.chat(List.of(new ChatMessage("user", "hello from " + session)), null, session),
                System.currentTimeMillis());
        if (finish) {
            router.finished(t, true);
        }
        return t;
    }

    @Test
    void bindingsSavedWhileServingAreAdoptedAfterARestart() throws Exception {
        Path file = Files.createTempDirectory("sessions").resolve("sessions.json");
        ReplicaGroups before = groups("r-0", "r-1", "r-2");
        SessionStore first = new SessionStore(file, before, System::currentTimeMillis, Duration.ofMillis(50));
        assertEquals(0, first.start());
        Map<String, String> bound = new HashMap<>();
        for (int i = 0; i < 12; i++) {
            bound.put("s-" + i, route(before, "s-" + i, false).replica());
        }
        assertTrue(bound.values().stream().distinct().count() > 1, "sessions spread over replicas: " + bound);
        long deadline = System.currentTimeMillis() + 5_000;
        while (!Files.exists(file) || !Files.readString(file).contains("s-11")) { // saved by the timer: no close needed
            assertTrue(System.currentTimeMillis() < deadline, "bindings were saved while serving");
            Thread.sleep(20);
        }
        first.close(); // nothing changed since the timer's save: close writes nothing more
        // A new gateway over the same replicas, r-2 gone, reads the file.
        ReplicaGroups after = groups("r-0", "r-1");
        SessionStore second = new SessionStore(file, after, System::currentTimeMillis, Duration.ofMillis(50));
        long expected = bound.values().stream().filter(r -> !r.equals("r-2")).count();
        assertEquals(expected, second.start());
        for (var e : bound.entrySet()) {
            Router.Ticket t = route(after, e.getKey(), true);
            if (e.getValue().equals("r-2")) {
                assertNotEquals("session", t.decision().reason(), "a binding to a replica not served is not adopted");
            } else {
                assertEquals(e.getValue(), t.replica(), e.getKey());
                assertEquals("session", t.decision().reason());
            }
        }
        second.close();
        Map<String, String> saved = new HashMap<>();
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile()).path("deployments").path("chat")
                .fields().forEachRemaining(f -> saved.put(f.getKey(), f.getValue().asText()));
        assertEquals(12, saved.size(), "close wrote every binding: the adopted ones and those placed afresh");
    }

    @Test
    void anUnreadableFileIsIgnored() throws Exception {
        Path file = Files.createTempDirectory("sessions").resolve("sessions.json");
        Files.writeString(file, "{not json");
        SessionStore store = new SessionStore(file, groups("r-0"), System::currentTimeMillis, Duration.ofSeconds(5));
        assertEquals(0, store.start());
        store.close();
    }
}
