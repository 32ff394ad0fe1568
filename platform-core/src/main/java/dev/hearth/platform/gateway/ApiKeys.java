package dev.hearth.platform.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * API keys and who holds them, read from a {@link KeysFile} ({@code KEY TENANT [admin] [share=GROUP]}
 * lines, the key plain or as {@code sha256:HEX}). Only SHA-256 digests of the keys are kept in
 * memory. The file is read again when it changes, so deleting a line revokes that key within a
 * probe interval. With several gateways, each publishes its file's changes to a {@link KeyDirectory}
 * and accepts every key in it, so a key added or revoked at one gateway holds at all of them.
 */
public final class ApiKeys {
    private final Path file;
    private final KeyDirectory shared;
    private volatile Map<String, KeyHolder> holderByDigest = Map.of();
    private volatile Map<String, KeyHolder> sharedByDigest = Map.of();
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
        return holder(authorization).tenant();
    }

    /** Who holds the key of a request's {@code Authorization} header; a 401 in OpenAI's shape otherwise. */
    public KeyHolder holder(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OpenAiError(401, "invalid_request_error", "You didn't provide an API key. Send it as "
                    + "'Authorization: Bearer YOUR_KEY'.", null, "missing_api_key");
        }
        String digest = KeysFile.digest(authorization.substring(7).trim());
        KeyHolder holder = holderByDigest.get(digest);
        if (holder == null) {
            holder = sharedByDigest.get(digest);
        }
        if (holder == null) {
            throw new OpenAiError(401, "invalid_request_error", "Incorrect API key provided.", null, "invalid_api_key");
        }
        return holder;
    }

    /** The holder of an admin key (the control API's); 401 without a valid key, 403 with another tenant's key. */
    public KeyHolder admin(String authorization) {
        KeyHolder holder = holder(authorization);
        if (!holder.admin()) {
            throw new OpenAiError(403, "permission_error", "This API needs an admin key; the key given (tenant "
                    + holder.tenant() + ") may only call /v1. Mark its line 'admin' in the --api-keys file, or add "
                    + "an admin key with 'hearth keys add --admin'.", null, "admin_key_required");
        }
        return holder;
    }

    /**
     * Reads the file again if it changed since the last read; a broken file keeps the keys in force
     * and is reported once, until it changes again.
     */
    public synchronized void reloadIfChanged() {
        try {
            FileTime stamp = Files.getLastModifiedTime(file);
            if (!stamp.equals(loaded)) {
                loaded = stamp;
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
            Map<String, KeyHolder> holders = new HashMap<>();
            all.forEach((digest, spec) -> {
                try {
                    holders.put(digest, KeyHolder.parse(spec));
                } catch (IllegalArgumentException e) { // written by something else: not a key of ours
                    org.slf4j.LoggerFactory.getLogger(ApiKeys.class).warn("ignoring a shared key: {}", e.getMessage());
                }
            });
            sharedByDigest = Map.copyOf(holders);
        }
    }

    private synchronized void reload() throws IOException {
        FileTime stamp = Files.getLastModifiedTime(file);
        Map<String, KeyHolder> keys = new HashMap<>();
        for (KeysFile.Entry e : KeysFile.read(file)) {
            keys.put(e.digest(), e.holder());
        }
        Map<String, String> added = new HashMap<>();
        keys.forEach((digest, holder) -> {
            if (!holder.equals(holderByDigest.get(digest))) {
                added.put(digest, holder.spec());
            }
        });
        Set<String> removed = new HashSet<>(holderByDigest.keySet());
        removed.removeAll(keys.keySet());
        holderByDigest = Map.copyOf(keys);
        loaded = stamp;
        shared.publish(added, removed);
    }
}
