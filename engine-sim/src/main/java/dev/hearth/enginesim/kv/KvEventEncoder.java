package dev.hearth.enginesim.kv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.List;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * Encodes a step's events as vLLM's msgpack {@code KVEventBatch} (vllm/distributed/kv_events.py):
 * the batch is an array {@code [ts, events, data_parallel_rank]}; events are msgspec tagged structs,
 * either maps keyed by field with {@code "type"} naming the class (vLLM since PR 42892, e.g. 0.26)
 * or, in the {@link Format#ARRAY} form of earlier releases and of SGLang, arrays with the tag first
 * and the fields in declaration order. Hashes go out as unsigned 64-bit integers, the form vLLM
 * sends by default (VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES=1: the digest's last 8 bytes).
 */
public final class KvEventEncoder {
    /** The event layout: MAP is current vLLM, ARRAY is vLLM up to 0.25 and SGLang. */
    public enum Format { MAP, ARRAY }

    private static final String MEDIUM = "GPU";
    private final Format format;

    public KvEventEncoder(Format format) {
        this.format = format;
    }

    public byte[] encode(double ts, List<KvEvent> events, int dataParallelRank) {
        try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
            p.packArrayHeader(3);
            p.packDouble(ts);
            p.packArrayHeader(events.size());
            for (KvEvent e : events) {
                if (format == Format.MAP) {
                    packMap(p, e);
                } else {
                    packArray(p, e);
                }
            }
            p.packInt(dataParallelRank);
            return p.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void packMap(MessagePacker p, KvEvent event) throws IOException {
        switch (event) {
            case KvEvent.BlockStored s -> {
                p.packMapHeader(11);
                p.packString("type").packString("BlockStored");
                p.packString("block_hashes");
                packHashes(p, s.blockHashes());
                p.packString("parent_block_hash");
                packNullableHash(p, s.parentBlockHash());
                p.packString("token_ids");
                packInts(p, s.tokenIds());
                p.packString("block_size").packInt(s.blockSize());
                p.packString("lora_id").packNil();
                p.packString("medium").packString(MEDIUM);
                p.packString("lora_name").packNil();
                p.packString("extra_keys").packArrayHeader(s.blockHashes().length);
                for (int i = 0; i < s.blockHashes().length; i++) {
                    if (i == 0 && s.firstBlockSalt() != null) {
                        p.packArrayHeader(1).packString(s.firstBlockSalt()); // vLLM's (cache_salt,) tuple
                    } else {
                        p.packNil();
                    }
                }
                p.packString("group_idx").packInt(0);
                p.packString("kv_cache_spec_kind").packString("full_attention");
            }
            case KvEvent.BlockRemoved r -> {
                p.packMapHeader(4);
                p.packString("type").packString("BlockRemoved");
                p.packString("block_hashes");
                packHashes(p, r.blockHashes());
                p.packString("medium").packString(MEDIUM);
                p.packString("group_idx").packInt(0);
            }
            case KvEvent.AllBlocksCleared c -> {
                p.packMapHeader(1);
                p.packString("type").packString("AllBlocksCleared");
            }
        }
    }

    private static void packArray(MessagePacker p, KvEvent event) throws IOException {
        switch (event) {
            case KvEvent.BlockStored s -> {
                p.packArrayHeader(8).packString("BlockStored");
                packHashes(p, s.blockHashes());
                packNullableHash(p, s.parentBlockHash());
                packInts(p, s.tokenIds());
                p.packInt(s.blockSize()).packNil().packString(MEDIUM).packNil();
            }
            case KvEvent.BlockRemoved r -> {
                p.packArrayHeader(3).packString("BlockRemoved");
                packHashes(p, r.blockHashes());
                p.packString(MEDIUM);
            }
            case KvEvent.AllBlocksCleared c -> p.packArrayHeader(1).packString("AllBlocksCleared");
        }
    }

    private static void packHashes(MessagePacker p, long[] hashes) throws IOException {
        p.packArrayHeader(hashes.length);
        for (long h : hashes) {
            packHash(p, h);
        }
    }

    private static void packNullableHash(MessagePacker p, Long hash) throws IOException {
        if (hash == null) {
            p.packNil();
        } else {
            packHash(p, hash);
        }
    }

    /** As uint64, never as a negative int64: vLLM masks the digest to 64 unsigned bits. */
    private static void packHash(MessagePacker p, long h) throws IOException {
        if (h >= 0) {
            p.packLong(h);
        } else {
            p.packBigInteger(new BigInteger(Long.toUnsignedString(h)));
        }
    }

    private static void packInts(MessagePacker p, int[] values) throws IOException {
        p.packArrayHeader(values.length);
        for (int v : values) {
            p.packInt(v);
        }
    }
}
