package dev.hearth.enginesim.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a trace in the Mooncake format (kvcache-ai/Mooncake, {@code FAST25-release/traces/}): JSON
 * lines of {@code timestamp} (ms), {@code input_length}, {@code output_length} and {@code hash_ids},
 * gzip-compressed or not. The block size is not in the file (Mooncake's are 512 tokens, other public
 * traces use 16 or 64), so it is given per file. A bad line is refused with its number.
 */
public final class MooncakeTrace {
    /** Mooncake's own block size, for its published traces. */
    public static final int MOONCAKE_BLOCK_SIZE = 512;
    private static final ObjectMapper JSON = new ObjectMapper();

    private MooncakeTrace() {}

    public static List<TraceRequest> read(Path file, int blockSize) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = raw;
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(raw);
            }
            return read(in, file.getFileName().toString(), blockSize);
        }
    }

    static List<TraceRequest> read(InputStream in, String name, int blockSize) throws IOException {
        List<TraceRequest> out = new ArrayList<>();
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode n = JSON.readTree(line);
                JsonNode ids = n.path("hash_ids");
                if (!n.path("timestamp").canConvertToLong() || !n.path("input_length").canConvertToInt()
                        || !n.path("output_length").canConvertToInt() || !ids.isArray()) {
                    throw new IllegalArgumentException("needs timestamp, input_length, output_length and hash_ids");
                }
                long[] blocks = new long[ids.size()];
                for (int i = 0; i < blocks.length; i++) {
                    if (!ids.get(i).canConvertToLong()) {
                        throw new IllegalArgumentException("hash_ids[" + i + "] is not an integer");
                    }
                    blocks[i] = ids.get(i).asLong();
                }
                out.add(new TraceRequest(n.path("timestamp").asLong(), n.path("input_length").asInt(),
                        n.path("output_length").asInt(), blocks, blockSize));
            } catch (IOException | IllegalArgumentException e) {
                String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                throw new IOException(name + ":" + number + ": " + why);
            }
        }
        for (int i = 1; i < out.size(); i++) {
            if (out.get(i).timestampMillis() < out.get(i - 1).timestampMillis()) {
                throw new IOException(name + ": requests are not in timestamp order (line of request " + (i + 1) + ")");
            }
        }
        return out;
    }
}
