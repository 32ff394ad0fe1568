package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceSessionsTest {
    private static TraceRequest req(long... ids) {
        return new TraceRequest(0, ids.length * 4, 1, ids, 4);
    }

    @Test
    void aRequestExtendingAnEarlierOnePastTheSharedBlockContinuesItsConversation() {
        String[] s = TraceSessions.of(List.of(
                req(0, 1, 2),       // a new conversation
                req(0, 1, 2, 3),    // its next turn
                req(0, 5),          // shares only the system block: a new one
                req(0, 5, 6),       // continues the second
                req(0, 1, 2, 3, 9), // continues the first at its deepest known block
                req(0)), 1);        // nothing but the shared block: new again
        assertEquals(List.of("conversation-0", "conversation-0", "conversation-1", "conversation-1", "conversation-0",
                "conversation-2"), List.of(s));
    }

    @Test
    void theMooncakeTraceHoldsConversationsOfSeveralTurns() throws Exception {
        List<TraceRequest> trace = MooncakeTrace.read(Path.of("../../shared/traces/mooncake_conversation_trace.jsonl.gz"),
                MooncakeTrace.MOONCAKE_BLOCK_SIZE);
        String[] s = TraceSessions.of(trace, 1);
        long conversations = Arrays.stream(s).distinct().count();
        // Reuse beyond the system block (0.3664 of blocks) needs earlier turns: fewer conversations than requests.
        assertTrue(conversations < trace.size() * 0.8 && conversations > trace.size() / 20, conversations + " conversations");
    }
}
