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
 * when it changes, so deleting a line revokes that key within a probe interval. With several
 * gateways, each publishes its file's changes to a {@link KeyDirectory} and accepts every key in
 * it, so a key added or revoked at one gateway holds at all of them.
 */
public final class ApiKeys {
    private final Path file;
    private final KeyDirectory shared;
    private volatile Map<String, String> tenantByDigest = Map.of();
    private volatile Map<String, String> sharedByDigest = Map.of();
    private FileTime loaded;

    public ApiKeys(Path file) throws IOException {
        this(file, KeyDirectory.NONE);
    }

    public ApiKeys(Path file, KeyDirectory shared) throws IOException {
        this.file = file;
        this.shared = shared;
        reload();
        refreshShared();
    }

    /** The tenant of a request's {@code Authorization} header; a 401 in OpenAI's shape otherwise. */
    public String tenant(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OpenAiError(401, "invalid_request_error", "You didn't provide an API key. Send it as "
                    + "'Authorization: Bearer YOUR_KEY'.", null, "missing_api_key");
        }
        String digest = digest(authorization.substring(7).trim());
        String tenant = tenantByDigest.get(digest);
        if (tenant == null) {
            tenant = sharedByDigest.get(digest);
        }
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
        refreshShared();
    }

    /** The other gateways' keys; while the directory cannot be read, the last ones read stay in force. */
    private void refreshShared() {
        Map<String, String> all = shared.all();
        if (all != null) {
            sharedByDigest = Map.copyOf(all);
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
        Map<String, String> added = new HashMap<>(keys);
        added.entrySet().removeAll(tenantByDigest.entrySet());
        java.util.Set<String> removed = new java.util.HashSet<>(tenantByDigest.keySet());
        removed.removeAll(keys.keySet());
        tenantByDigest = Map.copyOf(keys);
        loaded = stamp;
        shared.publish(added, removed);
    }

    static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
