package dev.hearth.platform.deployments;

import java.util.Locale;

/** Deployment names from model ids: the last path segment, lower-case, other characters as '-'. */
public final class DeploymentNames {
    private DeploymentNames() {}

    /** {@code Qwen/Qwen3-0.6B} gives {@code qwen3-0-6b}. */
    public static String fromModel(String modelId) {
        String last = modelId.substring(modelId.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        String name = last.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (name.length() > 40) {
            name = name.substring(0, 40).replaceAll("-+$", "");
        }
        return name.isEmpty() ? "model" : name;
    }
}
