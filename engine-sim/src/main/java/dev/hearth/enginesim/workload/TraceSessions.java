package dev.hearth.enginesim.workload;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Conversations recovered from a trace that records none: block ids are chained prefix hashes, so a
 * request whose prompt extends an earlier one past the shared leading blocks continues that
 * earlier request's conversation (Mooncake's traces chain each turn onto the whole history before
 * it). A request sharing only blocks every conversation starts with begins a new one.
 */
public final class TraceSessions {
    private TraceSessions() {}

    /**
     * One session key per request, in order. {@code sharedBlocks} is how many leading blocks are common to
     * unrelated requests (1 for Mooncake's conversation trace: its system prefix) and so prove nothing.
     */
    public static String[] of(List<TraceRequest> trace, int sharedBlocks) {
        Map<Long, Integer> sessionOfBlock = new HashMap<>();
        String[] out = new String[trace.size()];
        int sessions = 0;
        for (int i = 0; i < trace.size(); i++) {
            long[] ids = trace.get(i).blockIds();
            Integer session = null;
            for (int b = ids.length - 1; b >= sharedBlocks && session == null; b--) {
                session = sessionOfBlock.get(ids[b]); // the deepest block seen before: the longest shared history
            }
            if (session == null) {
                session = sessions++;
            }
            for (int b = sharedBlocks; b < ids.length; b++) {
                sessionOfBlock.putIfAbsent(ids[b], session);
            }
            out[i] = "conversation-" + session;
        }
        return out;
    }
}
