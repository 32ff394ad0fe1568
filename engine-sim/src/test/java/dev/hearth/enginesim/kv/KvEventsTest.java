package dev.hearth.enginesim.kv;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.enginesim.engine.EngineLimits;
import dev.hearth.enginesim.engine.Profiles;
import dev.hearth.enginesim.server.Flavor;
import dev.hearth.enginesim.server.SimServer;
import dev.hearth.enginesim.server.SimSettings;
import dev.hearth.router.prefix.BlockHasher;
import dev.hearth.router.tokens.ChatMessage;
import dev.hearth.router.tokens.ChatTemplate;
import dev.hearth.router.tokens.SimTokenizer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueType;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A subscriber of a simulated engine's KV events. The engine binds a free loopback port
 * ({@code tcp://127.0.0.1:*}) and the subscriber connects, the layout vLLM's default wildcard
 * endpoint gives; a connecting JeroMQ publisher can stall (see KvEventPublisher).
 */
class KvEventsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One decoded event: its tag and fields by name, whichever layout it came in. */
    record Decoded(String type, Map<String, Value> fields) {
        long[] hashes() {
            List<Value> list = fields.get("block_hashes").asArrayValue().list();
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = unsigned(list.get(i));
            }
            return out;
        }
    }

    static long unsigned(Value v) {
        BigInteger b = v.asIntegerValue().asBigInteger();
        assertTrue(b.signum() >= 0, "hashes travel as unsigned integers");
        return b.longValue();
    }

    static final String[] ARRAY_FIELDS = {"block_hashes", "parent_block_hash", "token_ids", "block_size", "lora_id",
        "medium", "lora_name"};

    /** Decodes [ts, [events], dp_rank], taking events as tagged maps or tagged arrays. */
    static List<Decoded> decode(byte[] payload) throws Exception {
        MessageUnpacker u = MessagePack.newDefaultUnpacker(payload);
        List<Value> batch = u.unpackValue().asArrayValue().list();
        assertEquals(3, batch.size());
        assertEquals(ValueType.FLOAT, batch.get(0).getValueType());
        assertEquals(0, batch.get(2).asIntegerValue().asInt());
        List<Decoded> out = new ArrayList<>();
        for (Value e : batch.get(1).asArrayValue()) {
            Map<String, Value> fields = new TreeMap<>();
            String type;
            if (e.isMapValue()) {
                e.asMapValue().map().forEach((k, v) -> fields.put(k.asStringValue().asString(), v));
                type = fields.remove("type").asStringValue().asString();
            } else {
                List<Value> items = e.asArrayValue().list();
                type = items.get(0).asStringValue().asString();
                String[] names = type.equals("BlockStored") ? ARRAY_FIELDS : new String[] {"block_hashes", "medium"};
                for (int i = 1; i < items.size(); i++) {
                    fields.put(names[i - 1], items.get(i));
                }
            }
            out.add(new Decoded(type, fields));
        }
        return out;
    }

    static void chat(SimServer sim, String content, int maxTokens) throws Exception {
        String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}],\"max_tokens\":" + maxTokens + "}";
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port()
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    void eventsMatchTheCache(KvEventEncoder.Format format) throws Exception {
        try (ZContext ctx = new ZContext()) {
            var events = new KvEventPublisher.Config("tcp://127.0.0.1:*", "kv@sim@qwen", null, 100, 1000, format);
            EngineLimits limits = new EngineLimits(16, 40, 512, 8, 8_192);
            try (SimServer sim = SimServer.start(new SimSettings("127.0.0.1", 0, Flavor.VLLM, "Qwen/Qwen3-0.6B",
                    Profiles.H100_QWEN3_0_6B, limits, 100, events, null))) {
                String endpoint = sim.kvEventsEndpoint();
                assertTrue(endpoint.matches("tcp://127[.]0[.]0[.]1:[0-9]+"), endpoint);
                ZMQ.Socket sub = ctx.createSocket(SocketType.SUB);
                // Socket-level events of the subscriber, so a failure says how far the connection got.
                sub.monitor("inproc://sub-monitor", ZMQ.EVENT_ALL);
                ZMQ.Socket monitor = ctx.createSocket(SocketType.PAIR);
                monitor.connect("inproc://sub-monitor");
                sub.subscribe("kv@".getBytes());
                sub.setReceiveTimeOut(500);
                sub.setHandshakeIvl(KvEventPublisher.HANDSHAKE_MS);
                sub.connect(endpoint);
                // PUB drops what it sends before the subscriber is connected: warm up until a batch arrives.
                long expectedSeq = -1;
                for (int i = 0; i < 40 && expectedSeq < 0; i++) {
                    chat(sim, "warm up " + i + " " + "the cache ".repeat(10), 1);
                    byte[] topic = sub.recv();
                    if (topic != null) {
                        assertEquals("kv@sim@qwen", new String(topic));
                        expectedSeq = ByteBuffer.wrap(sub.recv()).getLong() + 1;
                        sub.recv();
                        while (sub.hasReceiveMore()) {
                            sub.recv();
                        }
                    }
                }
                if (expectedSeq < 1) {
                    StringBuilder seen = new StringBuilder();
                    ZMQ.Event ev;
                    while ((ev = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT)) != null) {
                        seen.append(' ').append(ev.getEvent()).append('@').append(ev.getAddress());
                    }
                    fail("no KV event batch arrived from " + endpoint + "; the simulator sent " + sim.kvBatchesSent()
                            + "; subscriber socket events:" + seen + "; interrupted=" + Thread.currentThread().isInterrupted());
                }
                drain(sub);
                expectedSeq = -1;

                String content = "the river runs over the stone field ".repeat(12);
                chat(sim, content, 20);
                int[] prompt = new SimTokenizer().encode(new ChatTemplate().render(
                        List.of(new ChatMessage("user", content)), true));
                long[] expected = new BlockHasher(16).hashes(prompt, null);
                List<Long> stored = new ArrayList<>();
                List<Integer> tokens = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 5_000;
                while (stored.size() < expected.length && System.currentTimeMillis() < deadline) {
                    byte[] topic = sub.recv();
                    if (topic == null) {
                        continue;
                    }
                    long seq = ByteBuffer.wrap(sub.recv()).getLong();
                    if (expectedSeq >= 0) {
                        assertEquals(expectedSeq, seq, "sequence numbers are consecutive");
                    }
                    expectedSeq = seq + 1;
                    for (Decoded d : decode(sub.recv())) {
                        if (d.type().equals("BlockStored")) {
                            for (long h : d.hashes()) {
                                stored.add(h);
                            }
                            d.fields().get("token_ids").asArrayValue().forEach(v -> tokens.add(v.asIntegerValue().asInt()));
                            assertEquals(16, d.fields().get("block_size").asIntegerValue().asInt());
                            assertEquals("GPU", d.fields().get("medium").asStringValue().asString());
                        }
                    }
                }
                assertTrue(stored.size() >= expected.length, "stored " + stored.size() + " of " + expected.length);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], stored.get(i), "block " + i + " hash matches the router's BlockHasher");
                    assertTrue(sim.loop().core().pool().isCached(stored.get(i)), "the engine holds block " + i);
                }
                for (int i = 0; i < expected.length * 16; i++) {
                    assertEquals(prompt[i], tokens.get(i), "token " + i);
                }

                // 40 blocks only: a few more distinct prompts must evict, and say so.
                boolean removed = false;
                for (int i = 0; i < 8 && !removed; i++) {
                    chat(sim, "evict " + i + " " + "with more words to fill blocks ".repeat(12), 4);
                    byte[] topic;
                    while ((topic = sub.recv()) != null) {
                        sub.recv();
                        for (Decoded d : decode(sub.recv())) {
                            if (d.type().equals("BlockRemoved")) {
                                removed = true;
                                for (long h : d.hashes()) {
                                    assertFalse(sim.loop().core().pool().isCached(h), "a removed block is gone");
                                }
                            }
                        }
                    }
                }
                assertTrue(removed, "eviction published BlockRemoved");
            }
        }
    }

    private static void drain(ZMQ.Socket sub) {
        while (sub.recv() != null) {
            // discard the warm-up batches
        }
    }

    @Test
    void mapEventsAsCurrentVllmSendsThem() throws Exception {
        eventsMatchTheCache(KvEventEncoder.Format.MAP);
    }

    @Test
    void arrayEventsAsEarlierVllmAndSglangSendThem() throws Exception {
        eventsMatchTheCache(KvEventEncoder.Format.ARRAY);
    }

    @Test
    void replaySocketResendsBufferedBatchesFromASequence() throws Exception {
        try (ZContext ctx = new ZContext()) {
            var events = new KvEventPublisher.Config("tcp://127.0.0.1:*", "", "tcp://127.0.0.1:*",
                    100, 1000, KvEventEncoder.Format.MAP);
            try (SimServer sim = SimServer.start(new SimSettings("127.0.0.1", 0, Flavor.VLLM, "Qwen/Qwen3-0.6B",
                    Profiles.H100_QWEN3_0_6B, new EngineLimits(16, 400, 512, 8, 8_192), 100, events, null))) {
                for (int i = 0; i < 3; i++) {
                    chat(sim, "replay " + i + " " + "the cache ".repeat(10), 1);
                }
                long deadline = System.currentTimeMillis() + 5_000;
                while (sim.kvBatchesSent() < 3 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(sim.kvBatchesSent() >= 3);
                // A DEALER speaks as vLLM's replay client does: [empty delimiter, start sequence].
                ZMQ.Socket client = ctx.createSocket(SocketType.DEALER);
                client.setReceiveTimeOut(5_000);
                client.setHandshakeIvl(KvEventPublisher.HANDSHAKE_MS);
                client.connect(sim.kvReplayEndpoint());
                client.sendMore(new byte[0]);
                client.send(ByteBuffer.allocate(8).putLong(1).array());
                List<Long> seqs = new ArrayList<>();
                while (true) {
                    byte[] delimiter = client.recv();
                    assertNotNull(delimiter, "replay answered");
                    assertEquals(0, delimiter.length);
                    long seq = ByteBuffer.wrap(client.recv()).getLong();
                    byte[] payload = client.recv();
                    if (seq == -1) {
                        assertEquals(0, payload.length, "the end marker has an empty payload");
                        break;
                    }
                    assertFalse(decode(payload).isEmpty());
                    seqs.add(seq);
                }
                assertEquals(1L, seqs.get(0), "replay starts at the asked sequence");
                for (int i = 1; i < seqs.size(); i++) {
                    assertEquals(seqs.get(i - 1) + 1, seqs.get(i));
                }
                assertEquals(sim.kvBatchesSent() - 1, seqs.size(), "every buffered batch from 1 on");
            }
        }
    }

    @Test
    void vllmJsonConfigIsReadOrRejected() {
        assertNull(KvEventPublisher.Config.fromJson("{\"enable_kv_cache_events\": false}"));
        var c = KvEventPublisher.Config.fromJson(
                "{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\",\"endpoint\":\"tcp://*:5599\",\"topic\":\"kv\"}");
        assertEquals("tcp://*:5599", c.endpoint());
        assertEquals("kv", c.topic());
        assertThrows(IllegalArgumentException.class, () -> KvEventPublisher.Config.fromJson("{\"endpont\":\"x\"}"));
        assertThrows(IllegalArgumentException.class, () -> KvEventPublisher.Config.fromJson("not json"));
        assertThrows(IllegalArgumentException.class, () -> KvEventPublisher.Config.of("http://x"));
    }
}
