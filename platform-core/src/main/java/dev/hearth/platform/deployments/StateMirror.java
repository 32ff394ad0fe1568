package dev.hearth.platform.deployments;

import java.util.Map;

/**
 * A copy of the control plane's saved state (each deployment's JSON, the nodepools' JSON) kept
 * where other gateways can read it: they route from it while another gateway runs the control
 * plane, and restore from it when they take the control plane over. {@link #NONE} keeps no copy.
 */
public interface StateMirror {
    /** The saved JSON of {@code key} ({@code deployment:NAME} or {@code nodepools}). */
    void saved(String key, byte[] json);

    void removed(String key);

    /** Everything mirrored, by key; null while the mirror cannot be read. */
    Map<String, byte[]> all();

    /** The key a deployment's state is mirrored under. */
    static String deploymentKey(String name) {
        return "deployment:" + name;
    }

    String NODEPOOLS = "nodepools";

    StateMirror NONE = new StateMirror() {
        @Override
        public void saved(String key, byte[] json) {
        }

        @Override
        public void removed(String key) {
        }

        @Override
        public Map<String, byte[]> all() {
            return Map.of();
        }
    };
}
