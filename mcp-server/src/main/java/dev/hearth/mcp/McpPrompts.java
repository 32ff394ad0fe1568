package dev.hearth.mcp;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Ready-made requests an assistant can offer its user, each leading to the right tools. */
final class McpPrompts {
    private McpPrompts() {}

    static List<McpServerFeatures.SyncPromptSpecification> all() {
        return List.of(
                prompt("deploy_a_model", "Deploy a model", "Plan a deployment from a description, check it, then apply it.",
                        List.of(new McpSchema.PromptArgument("description", "What to deploy, e.g. Qwen3-8B with vLLM on 2 "
                                + "replicas in us-east", true)),
                        a -> "Deploy this with Hearth: " + a.get("description") + ". First call deployment_plan with it as "
                                + "the sentence and show me the plan, its instance and its config.yaml, and any phrase it "
                                + "could not place. If it is applicable and I agree, call deployment_apply with the same "
                                + "sentence and report when every replica is ready."),
                prompt("why_is_ttft_high", "Why is time to first token high?",
                        "Diagnose slow first tokens on a deployment: load, queueing, cache reuse, replicas starting.",
                        List.of(new McpSchema.PromptArgument("deployment", "The deployment's name", true)),
                        a -> "Time to first token is high on the Hearth deployment " + a.get("deployment") + ". Call "
                                + "deployment_describe for its replicas and events, and deployment_events for recent "
                                + "scaling. Look for replicas still starting or failed, too few replicas for the load, "
                                + "and prompts that do not share prefixes (check cached_tokens with a chat_completion). "
                                + "Explain the most likely cause and the change that would fix it."),
                prompt("cut_serving_cost", "Cut serving cost",
                        "Find savings: idle replicas, oversized GPUs, warm nodes beyond need, autoscaling and scale to zero.",
                        List.of(new McpSchema.PromptArgument("deployment", "A deployment (default: all)", false)),
                        a -> "Find ways to cut the serving cost of " + (a.get("deployment") == null ? "my Hearth deployments"
                                : "the Hearth deployment " + a.get("deployment")) + ". Use deployments_list and "
                                + "deployment_describe for replica counts and configs, nodepools_list for warm nodes, and "
                                + "gpus_list for cheaper instances that still fit the model. Suggest concrete changes "
                                + "(autoscaling with a lower minimum, scale to zero, fewer warm nodes, a cheaper "
                                + "instance), each with its trade-off, and apply none without my consent."));
    }

    private static McpServerFeatures.SyncPromptSpecification prompt(String name, String title, String description,
                                                                     List<McpSchema.PromptArgument> args,
                                                                     Function<Map<String, Object>, String> text) {
        return new McpServerFeatures.SyncPromptSpecification(new McpSchema.Prompt(name, title, description, args),
                (exchange, request) -> {
                    Map<String, Object> given = request.arguments() == null ? Map.of() : request.arguments();
                    for (McpSchema.PromptArgument a : args) {
                        if (Boolean.TRUE.equals(a.required()) && given.get(a.name()) == null) {
                            throw io.modelcontextprotocol.spec.McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
                                    .message("prompt " + name + " needs the argument '" + a.name() + "'").build();
                        }
                    }
                    return new McpSchema.GetPromptResult(description, List.of(new McpSchema.PromptMessage(
                            McpSchema.Role.USER, new McpSchema.TextContent(text.apply(given)))));
                });
    }
}
