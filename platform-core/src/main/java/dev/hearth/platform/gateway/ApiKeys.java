package dev.hearth.platform.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * API keys and the tenants they belong to, read from a file of {@code key tenant} lines ({@code #}
 * starts a comment). Only SHA-256 digests of the keys are kept in memory. The file is read again
 * when it changes, so deleting a line revokes that key within a probe interval.
 */
public final class ApiKeys {
    private final Path file;
    private volatile Map<String, String> tenantByDigest = Map.of();
    private FileTime loaded;

    public ApiKeys(Path file) throws IOException {
        this.file = file;
        reload();
    }

    /** The tenant of a request's {@code Authorization} header; a 401 in OpenAI's shape otherwise. */
    public String tenant(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OpenAiError(401, "invalid_request_error", "You didn't provide an API key. Send it as "
                    + "'Authorization: Bearer YOUR_KEY'.", null, "missing_api_key");
        }
        String tenant = tenantByDigest.get(digest(authorization.substring(7).trim()));
        if (tenant == null) {
            throw new OpenAiError(401, "invalid_request_error", "Incorrect API key provided.", null, "invalid_api_key");
        }
        return tenant;
    }

    /** Reads the file again if it changed since the last read; a broken file keeps the keys in force. */
    public synchronized void reloadIfChanged() {
        try {
            if (!Files.getLastModifiedTime(file).equals(loaded)) {
                reload();
            }
        } catch (IOException | IllegalArgumentException e) {
            org.slf4j.LoggerFactory.getLogger(ApiKeys.class).warn("keeping the API keys in force: {}", e.getMessage());
        }
    }

    private synchronized void reload() throws IOException {
        FileTime stamp = Files.getLastModifiedTime(file);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> keys = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected 'key tenant'");
            }
            keys.put(digest(parts[0]), parts[1]);
        }
        tenantByDigest = Map.copyOf(keys);
        loaded = stamp;
    }

    static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
