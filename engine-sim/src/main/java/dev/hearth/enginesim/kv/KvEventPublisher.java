package dev.hearth.enginesim.kv;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Publishes KV event batches over ZeroMQ exactly as vLLM's {@code ZmqEventPublisher}
 * (vllm/distributed/kv_events.py): a PUB socket sending three frames per batch, the topic, an
 * 8-byte big-endian sequence number counting from 0, and the msgpack payload; optionally a ROUTER
 * replay socket that answers {@code [client, "", start_seq]} with every buffered batch from that
 * sequence on and then an end marker of sequence -1 and an empty payload. As in vLLM the socket
 * binds when the endpoint has a wildcard ({@code tcp://*:5557}) and connects otherwise, so a
 * subscriber may bind and let many engines connect (llm-d's layout). A wildcard port
 * ({@code tcp://127.0.0.1:*}) binds a free port, reported by {@link #endpoint()}.
 *
 * <p>JeroMQ 0.6.0 sometimes stalls a connection before its ZMTP handshake completes (measured
 * here: 6 of 30 bare PUB/SUB pairs never delivered; compare zeromq/jeromq issue 1008). A short
 * handshake interval makes ZeroMQ drop such a connection and reconnect, so a stall costs about a
 * second instead of everything: {@link #HANDSHAKE_MS}. Subscribers should set it too.
 */
public final class KvEventPublisher implements Consumer<List<KvEvent>>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KvEventPublisher.class);
    private static final byte[] END_SEQ = ByteBuffer.allocate(8).putLong(-1).array();
    /** ZeroMQ's handshake_ivl for our sockets (libzmq's default is 30 s); see the class comment. */
    public static final int HANDSHAKE_MS = 1_000;

    /** vLLM's KVEventsConfig fields that matter on the wire. */
    public record Config(String endpoint, String topic, String replayEndpoint, int bufferSteps, int hwm,
                         KvEventEncoder.Format format) {
        public Config {
            if (endpoint == null || !endpoint.matches("(tcp|ipc|inproc)://.+")) {
                throw new IllegalArgumentException("KV events endpoint must look like tcp://HOST:PORT, was " + endpoint);
            }
            topic = topic == null ? "" : topic;
            if (bufferSteps < 1 || hwm < 1) {
                throw new IllegalArgumentException("buffer_steps and hwm must be positive");
            }
        }

        public static Config of(String endpoint) {
            return new Config(endpoint, "", null, 10_000, 100_000, KvEventEncoder.Format.MAP);
        }

        /**
         * Reads vLLM's --kv-events-config JSON (vllm/config/kv_events.py KVEventsConfig): endpoint,
         * topic, replay_endpoint, buffer_steps, hwm; plus "format": "map" or "array". Returns null when
         * events are not enabled, as vLLM does.
         */
        public static Config fromJson(String json) {
            com.fasterxml.jackson.databind.JsonNode n;
            try {
                n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("--kv-events-config is not valid JSON: " + e.getOriginalMessage());
            }
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("--kv-events-config must be a JSON object");
            }
            var known = java.util.Set.of("enable_kv_cache_events", "publisher", "endpoint", "topic", "replay_endpoint",
                    "buffer_steps", "hwm", "max_queue_size", "format");
            n.fieldNames().forEachRemaining(k -> {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException("--kv-events-config: unknown key '" + k + "'; known: " + known);
                }
            });
            boolean enabled = n.path("enable_kv_cache_events").asBoolean(false)
                    && !"null".equals(n.path("publisher").asText("zmq"));
            if (!enabled) {
                return null;
            }
            String format = n.path("format").asText("map");
            if (!format.equals("map") && !format.equals("array")) {
                throw new IllegalArgumentException("--kv-events-config: format must be map or array, was " + format);
            }
            return new Config(n.path("endpoint").asText("tcp://*:5557"), n.path("topic").asText(""),
                    n.hasNonNull("replay_endpoint") ? n.get("replay_endpoint").asText() : null,
                    n.path("buffer_steps").asInt(10_000), n.path("hwm").asInt(100_000),
                    format.equals("map") ? KvEventEncoder.Format.MAP : KvEventEncoder.Format.ARRAY);
        }
    }

    private final Config config;
    private final KvEventEncoder encoder;
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(100_000);
    private final Thread thread;
    private final java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean closed;
    private volatile RuntimeException startFailure;
    private volatile String endpoint;
    private volatile String replayEndpoint;
    private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

    public KvEventPublisher(Config config) {
        this.config = config;
        this.encoder = new KvEventEncoder(config.format());
        this.thread = Thread.ofPlatform().name("kv-events").daemon(true).start(this::run);
        try {
            ready.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (startFailure != null) {
            throw startFailure;
        }
    }

    /** Encodes and queues one batch; never blocks the engine (a full queue drops, as a slow PUB peer would). */
    @Override
    public void accept(List<KvEvent> events) {
        if (events.isEmpty() || closed) {
            return;
        }
        byte[] payload = encoder.encode(System.currentTimeMillis() / 1000.0, events, 0);
        if (!queue.offer(payload)) {
            LOG.warn("KV event queue full; dropping a batch of {} events", events.size());
        }
    }

    /** The endpoint in use: the configured one, with a wildcard port replaced by the port bound. */
    public String endpoint() {
        return endpoint;
    }

    /** The replay endpoint in use, or null when there is none. */
    public String replayEndpoint() {
        return replayEndpoint;
    }

    /** Binds or connects {@code socket}; a wildcard port ({@code :*}) binds a free one. Returns the endpoint in use. */
    private static String open(ZMQ.Socket socket, String wanted, boolean bind) {
        try {
            if (wanted.endsWith(":*")) {
                String host = wanted.substring(0, wanted.length() - 2);
                return host + ":" + socket.bindToRandomPort(host);
            }
            if (bind ? socket.bind(wanted) : socket.connect(wanted)) {
                return wanted;
            }
            throw new IllegalArgumentException("cannot open KV events socket " + wanted);
        } catch (org.zeromq.ZMQException e) {
            String why = e.getErrorCode() == zmq.ZError.EADDRINUSE ? "address already in use" : e.getMessage();
            throw new IllegalArgumentException("cannot open KV events socket " + wanted + ": " + why, e);
        }
    }

    /** Batches handed to the socket so far (a PUB socket drops them silently while no subscriber is connected). */
    public long sent() {
        return sent.get();
    }

    private static boolean binds(String endpoint) {
        return endpoint.contains("*") || endpoint.contains("::") || endpoint.startsWith("ipc://")
                || endpoint.startsWith("inproc://");
    }

    private void run() {
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket pub = ctx.createSocket(SocketType.PUB);
            pub.setSndHWM(config.hwm());
            pub.setLinger(0);
            pub.setHandshakeIvl(HANDSHAKE_MS);
            ZMQ.Socket replay = null;
            try {
                endpoint = open(pub, config.endpoint(), binds(config.endpoint()));
                if (config.replayEndpoint() != null) {
                    replay = ctx.createSocket(SocketType.ROUTER);
                    replay.setLinger(0);
                    replay.setHandshakeIvl(HANDSHAKE_MS);
                    replayEndpoint = open(replay, config.replayEndpoint(), true);
                }
            } catch (RuntimeException e) {
                startFailure = e instanceof IllegalArgumentException iae ? iae : new IllegalArgumentException(e.getMessage(), e);
                return;
            } finally {
                ready.countDown();
            }
            byte[] topic = config.topic().getBytes(StandardCharsets.UTF_8);
            ArrayDeque<long[]> seqs = new ArrayDeque<>();
            ArrayDeque<byte[]> buffer = new ArrayDeque<>();
            long seq = 0;
            while (!closed) {
                byte[] payload = queue.poll(replay == null ? 100 : 10, TimeUnit.MILLISECONDS);
                if (payload != null) {
                    byte[] seqBytes = ByteBuffer.allocate(8).putLong(seq).array();
                    pub.sendMore(topic);
                    pub.sendMore(seqBytes);
                    pub.send(payload);
                    sent.incrementAndGet();
                    if (replay != null) {
                        seqs.addLast(new long[] {seq});
                        buffer.addLast(payload);
                        if (buffer.size() > config.bufferSteps()) {
                            seqs.removeFirst();
                            buffer.removeFirst();
                        }
                    }
                    seq++;
                }
                if (replay != null) {
                    serveReplay(replay, seqs, buffer);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void serveReplay(ZMQ.Socket replay, ArrayDeque<long[]> seqs, ArrayDeque<byte[]> buffer) {
        byte[] client;
        while ((client = replay.recv(ZMQ.DONTWAIT)) != null) {
            java.util.List<byte[]> frames = new java.util.ArrayList<>();
            while (replay.hasReceiveMore()) {
                frames.add(replay.recv());
            }
            if (frames.size() != 2 || frames.get(1).length != 8) {
                LOG.warn("ignoring malformed KV replay request of {} frames", frames.size() + 1);
                continue;
            }
            long start = ByteBuffer.wrap(frames.get(1)).getLong();
            var s = seqs.iterator();
            var b = buffer.iterator();
            while (s.hasNext()) {
                long q = s.next()[0];
                byte[] payload = b.next();
                if (q >= start) {
                    replay.sendMore(client);
                    replay.sendMore(new byte[0]);
                    replay.sendMore(ByteBuffer.allocate(8).putLong(q).array());
                    replay.send(payload);
                }
            }
            replay.sendMore(client);
            replay.sendMore(new byte[0]);
            replay.sendMore(END_SEQ);
            replay.send(new byte[0]);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
