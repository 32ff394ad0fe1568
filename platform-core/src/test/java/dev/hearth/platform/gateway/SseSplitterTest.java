package dev.hearth.platform.gateway;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseSplitterTest {
    @Test
    void aCharacterSplitAcrossReadsSurvivesAndTheTailIsKept() {
        byte[] stream = "data: {\"c\":\"héllo 漢字\"}\n\ndata: [DONE]\n\ntrailing".getBytes(StandardCharsets.UTF_8);
        SseSplitter splitter = new SseSplitter();
        List<String> events = new ArrayList<>();
        for (byte b : stream) { // one byte a read: every multi-byte character is split
            events.addAll(splitter.feed(new byte[] {b}, 1));
        }
        assertEquals(List.of("data: {\"c\":\"héllo 漢字\"}", "data: [DONE]"), events);
        assertEquals("trailing", new String(splitter.rest(), StandardCharsets.UTF_8));
    }
}
