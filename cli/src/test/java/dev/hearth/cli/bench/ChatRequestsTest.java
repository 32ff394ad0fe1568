package dev.hearth.cli.bench;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** What counts as a good answer. */
class ChatRequestsTest {
    private final ChatRequests plain = new ChatRequests("m", 8, false);
    private final ChatRequests streamed = new ChatRequests("m", 8, true);

    @Test
    void bodiesAreSampledChatRequests() {
        assertEquals("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to request 7\"}],"
                + "\"max_tokens\":8,\"stream\":false}", plain.body(7));
        assertFalse(plain.body(7).contains("temperature"), "sampled: the prediction cache passes it through");
    }

    @Test
    void aGoodAnswerHasStatus200AndChoices() {
        assertNull(plain.problem(200, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"hi\"}}]}"));
        assertEquals("HTTP 503: {\"error\":{\"message\":\"no replica\"}}", plain.problem(503, "{\"error\":{\"message\":\"no replica\"}}"));
        assertTrue(plain.problem(200, "{\"choices\":[]}").startsWith("no choices in the answer"));
        assertTrue(plain.problem(200, "<html>").startsWith("not JSON"));
        assertTrue(plain.problem(502, "x".repeat(500)).endsWith("..."), "long bodies are cut");
    }

    @Test
    void aGoodStreamHasChoicesAndEndsWithDone() {
        assertNull(streamed.problem(200, "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n"));
        assertNotNull(streamed.problem(200, "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n"), "cut short");
    }
}
