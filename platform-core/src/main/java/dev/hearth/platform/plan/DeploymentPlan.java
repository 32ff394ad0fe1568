package dev.hearth.platform.plan;

import dev.hearth.platform.config.ConfigTemplate;
import dev.hearth.platform.gpus.InstancePlanner;
import java.util.List;

/**
 * What a sentence asks for, placed: the deployment's name, its config.yaml values, the instance
 * chosen and why, what was assumed ({@code notes}), the phrases that could not be placed
 * ({@code unplaced}, named back to the user), and what stops it from being applied
 * ({@code problems}: missing or contradictory parts).
 */
public record DeploymentPlan(String sentence, String name, ConfigTemplate.Values values, String region,
                             InstancePlanner.Choice instance, List<String> notes, List<String> unplaced,
                             List<String> problems) {

    public boolean applicable() {
        return problems.isEmpty();
    }

    /** The config.yaml this plan would apply. */
    public String config(ConfigTemplate template) {
        return template.render(values);
    }
}
