package dev.hearth.platform.gateway;

import java.util.Map;
import java.util.Set;

/**
 * API keys (as SHA-256 digests, with their holders: tenant, admin, share group) shared by several gateways: each publishes the
 * keys its own file adds and removes, and accepts every key any of them published. {@link #NONE}
 * is a single gateway's.
 */
public interface KeyDirectory {
    /** Every shared key's digest and holder ({@link KeyHolder#spec}: tenant and options); null while the directory cannot be read (keep the last). */
    Map<String, String> all();

    /** This gateway's file gained {@code added} (digest to holder spec) and lost {@code removed} (digests). */
    void publish(Map<String, String> added, Set<String> removed);

    KeyDirectory NONE = new KeyDirectory() {
        @Override
        public Map<String, String> all() {
            return Map.of();
        }

        @Override
        public void publish(Map<String, String> added, Set<String> removed) {
        }
    };
}
