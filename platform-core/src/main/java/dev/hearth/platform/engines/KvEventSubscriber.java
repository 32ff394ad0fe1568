package dev.hearth.platform.engines;

import dev.hearth.router.prefix.BlockHasher;
import java.io.IOException;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Follows one engine's KV cache through its ZeroMQ events (vllm/distributed/kv_events.py: frames
 * of topic, 8-byte sequence and a msgpack {@code [ts, events, dp_rank]} batch whose events are
 * tagged maps, or tagged arrays in earlier vLLM and SGLang), and tells the {@link Sink} in the
 * router's own block keys.
 *
 * <p>Engine hashes are opaque (vLLM's are SHA-256 over pickled tuples), so each stored block is
 * re-keyed from the token ids the event carries, chained to its parent's key through a map from
 * engine hash to ours, with the cache salt vLLM puts in the first block's extra_keys; llm-d's
 * kv-cache-manager does the same. Events whose block size differs from the router's are ignored
 * (those engines stay learned approximately). The socket uses a short handshake interval: JeroMQ
 * can stall a connection before its handshake (see the simulator's KvEventPublisher).
 */
public final class KvEventSubscriber implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KvEventSubscriber.class);
    private static final int HANDSHAKE_MS = 1_000;
    private static final int MAX_KEYS = 4_000_000;

    /** Where the re-keyed events go. */
    public interface Sink {
        void stored(long[] keys);

        void removed(long[] keys);

        void cleared();
    }

    private final String endpoint;
    private final BlockHasher hasher;
    private final Sink sink;
    private final Map<Long, Long> engineToKey = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long batches;
    private boolean warnedBlockSize;

    public KvEventSubscriber(String endpoint, int blockSize, Sink sink) {
        this.endpoint = endpoint;
        this.hasher = new BlockHasher(blockSize);
        this.sink = sink;
        this.thread = Thread.ofPlatform().name("kv-events-" + endpoint).daemon(true).start(this::run);
    }

    /** Batches received so far. */
    public long batches() {
        return batches;
    }

    private void run() {
        try (ZContext ctx = new ZContext()) {
            ZMQ.Socket sub = ctx.createSocket(SocketType.SUB);
            sub.setHandshakeIvl(HANDSHAKE_MS);
            sub.setReceiveTimeOut(200);
            sub.subscribe(new byte[0]);
            if (!sub.connect(endpoint)) {
                LOG.warn("cannot connect to KV events at {}", endpoint);
                return;
            }
            while (!closed) {
                byte[] topic = sub.recv();
                if (topic == null) {
                    continue;
                }
                byte[] last = null;
                while (sub.hasReceiveMore()) {
                    last = sub.recv();
                }
                if (last == null) {
                    continue;
                }
                try {
                    apply(last);
                    batches++;
                } catch (IOException | RuntimeException e) {
                    LOG.warn("bad KV event batch from {}: {}", endpoint, e.toString());
                }
            }
        }
    }

    /** Applies one msgpack batch; visible for tests. */
    void apply(byte[] payload) throws IOException {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(payload)) {
            List<Value> batch = u.unpackValue().asArrayValue().list();
            for (Value e : batch.get(1).asArrayValue()) {
                Map<String, Value> f = new HashMap<>();
                String type;
                if (e.isMapValue()) {
                    e.asMapValue().map().forEach((k, v) -> f.put(k.asStringValue().asString(), v));
                    type = f.get("type").asStringValue().asString();
                } else {
                    List<Value> items = e.asArrayValue().list();
                    type = items.get(0).asStringValue().asString();
                    String[] names = type.equals("BlockStored")
                            ? new String[] {"block_hashes", "parent_block_hash", "token_ids", "block_size", "lora_id",
                                "medium", "lora_name", "extra_keys"}
                            : new String[] {"block_hashes", "medium"};
                    for (int i = 1; i < items.size() && i <= names.length; i++) {
                        f.put(names[i - 1], items.get(i));
                    }
                }
                switch (type) {
                    case "BlockStored" -> stored(f);
                    case "BlockRemoved" -> removed(f);
                    case "AllBlocksCleared" -> {
                        engineToKey.clear();
                        sink.cleared();
                    }
                    default -> { } // newer event kinds: not ours to know
                }
            }
        }
    }

    private void stored(Map<String, Value> f) {
        int blockSize = f.get("block_size").asIntegerValue().asInt();
        if (blockSize != hasher.blockSize()) {
            if (!warnedBlockSize) {
                warnedBlockSize = true;
                LOG.warn("{} caches blocks of {} tokens, the router keys blocks of {}: learning it from routing "
                        + "decisions instead", endpoint, blockSize, hasher.blockSize());
            }
            return;
        }
        List<Value> hashes = f.get("block_hashes").asArrayValue().list();
        Value parentValue = f.get("parent_block_hash");
        long parent = BlockHasher.ROOT;
        if (parentValue != null && !parentValue.isNilValue()) {
            Long known = engineToKey.get(hash(parentValue));
            if (known == null) {
                return; // its parent was evicted or never seen: these blocks cannot be keyed
            }
            parent = known;
        }
        String salt = parentValue == null || parentValue.isNilValue() ? firstBlockSalt(f.get("extra_keys")) : null;
        List<Value> tokenValues = f.get("token_ids").asArrayValue().list();
        int[] tokens = new int[tokenValues.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = tokenValues.get(i).asIntegerValue().asInt();
        }
        int n = Math.min(hashes.size(), tokens.length / blockSize);
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            parent = hasher.hashBlock(parent, tokens, i * blockSize, i == 0 ? salt : null);
            keys[i] = parent;
            if (engineToKey.size() >= MAX_KEYS) {
                engineToKey.clear(); // bounded; later children of forgotten parents are skipped
            }
            engineToKey.put(hash(hashes.get(i)), parent);
        }
        sink.stored(keys);
    }

    private void removed(Map<String, Value> f) {
        List<Value> hashes = f.get("block_hashes").asArrayValue().list();
        long[] keys = new long[hashes.size()];
        int n = 0;
        for (Value h : hashes) {
            Long key = engineToKey.remove(hash(h));
            if (key != null) {
                keys[n++] = key;
            }
        }
        if (n > 0) {
            sink.removed(java.util.Arrays.copyOf(keys, n));
        }
    }

    /** vLLM's first extra key of a salted request is the tuple (cache_salt,). */
    private static String firstBlockSalt(Value extraKeys) {
        if (extraKeys == null || !extraKeys.isArrayValue() || extraKeys.asArrayValue().size() == 0) {
            return null;
        }
        Value first = extraKeys.asArrayValue().get(0);
        if (first.isArrayValue()) {
            for (Value item : first.asArrayValue()) {
                if (item.isStringValue()) {
                    return item.asStringValue().asString();
                }
            }
        }
        return null;
    }

    /** An engine hash as a long: an integer (signed or unsigned 64-bit), or the last 8 bytes of a digest. */
    private static long hash(Value v) {
        if (v.isIntegerValue()) {
            BigInteger b = v.asIntegerValue().asBigInteger();
            return b.longValue();
        }
        byte[] bytes = v.asRawValue().asByteArray();
        long h = 0;
        for (int i = Math.max(0, bytes.length - 8); i < bytes.length; i++) {
            h = (h << 8) | (bytes[i] & 0xff);
        }
        return h;
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
