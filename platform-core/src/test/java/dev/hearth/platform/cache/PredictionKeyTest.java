package dev.hearth.platform.cache;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PredictionKeyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String key(String tenant, String json) throws Exception {
        return PredictionKey.of(tenant, "m", "v1", JSON.readTree(json));
    }

    @Test
    void keyOrderWhitespaceAndTransportFieldsDoNotMatter() throws Exception {
        String a = key("t", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0}");
        String b = key("t", "{ \"temperature\" : 0,\n \"messages\":[{\"content\":\"hi\",\"role\":\"user\"}], \"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"user\":\"alice\"}");
        assertEquals(a, b);
        assertEquals(64, a.length(), "hex SHA-256");
    }

    @Test
    void tenantModelVersionAndContentDoMatter() throws Exception {
        String base = "{\"prompt\":\"x\",\"temperature\":0}";
        assertNotEquals(key("a", base), key("b", base));
        assertNotEquals(PredictionKey.of("t", "m", "v1", JSON.readTree(base)), PredictionKey.of("t", "m", "v2", JSON.readTree(base)));
        assertNotEquals(key("t", base), key("t", "{\"prompt\":\"y\",\"temperature\":0}"));
        assertNotEquals(key("t", base), key("t", "{\"prompt\":\"x\",\"temperature\":0,\"max_tokens\":5}"));
    }

    @Test
    void onlyDeterministicRequestsAreCachedUnlessForced() throws Exception {
        assertEquals(CachePolicy.BYPASS, CachePolicy.of(JSON.readTree("{}"), null, null), "default temperature samples");
        assertEquals(new CachePolicy(true, true), CachePolicy.of(JSON.readTree("{\"temperature\":0}"), null, null));
        assertEquals(new CachePolicy(true, true), CachePolicy.of(JSON.readTree("{\"temperature\":0.7,\"seed\":3}"), null, null));
        assertEquals(CachePolicy.BYPASS, CachePolicy.of(JSON.readTree("{\"temperature\":0,\"n\":2}"), null, null));
        assertEquals(new CachePolicy(true, true), CachePolicy.of(JSON.readTree("{\"temperature\":1}"), null, "force"));
        assertEquals(new CachePolicy(false, true), CachePolicy.of(JSON.readTree("{\"temperature\":0}"), "no-cache", null));
        assertEquals(new CachePolicy(true, false), CachePolicy.of(JSON.readTree("{\"temperature\":0}"), "No-Store", null));
    }

    @Test
    void aStreamBecomesTheResponseItAmountsToAndBackAgain() throws Exception {
        String sse = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"length\"}]}\n\n"
                + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n"
                + "data: [DONE]\n\n";
        byte[] response = StreamTranscript.toResponse(sse.getBytes(), true);
        var r = JSON.readTree(response);
        assertEquals("Hello", r.at("/choices/0/message/content").asText());
        assertEquals("length", r.at("/choices/0/finish_reason").asText());
        assertEquals(5, r.at("/usage/total_tokens").asInt());
        assertNull(StreamTranscript.toResponse(sse.replace("data: [DONE]\n\n", "").getBytes(), true), "cut off: not stored");
        assertNull(StreamTranscript.toResponse((sse.replace("data: [DONE]", "data: {\"error\":{\"message\":\"x\"}}\n\ndata: [DONE]")).getBytes(), true));
        String replay = new String(SseReplay.toStream(response, true, true));
        assertTrue(replay.endsWith("data: [DONE]\n\n"));
        String[] events = replay.split("\n\n");
        assertEquals(4, events.length, "role, content with finish, usage, [DONE]");
        assertEquals("Hello", JSON.readTree(StreamTranscript.toResponse(replay.getBytes(), true)).at("/choices/0/message/content").asText());
    }
}
