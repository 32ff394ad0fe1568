package dev.hearth.router.tokens;

import java.util.List;

/**
 * The ChatML chat template, as Qwen models ship it in their tokenizer_config.json
 * ({@code <|im_start|>role\ncontent<|im_end|>\n} per message, then the assistant header
 * when a generation prompt is wanted). One template for every simulated model keeps the
 * same messages mapping to the same tokens, so the router and the simulator agree on prefixes.
 */
public final class ChatTemplate {
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";

    /** Renders messages to the prompt text the engine tokenizes. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder();
        for (ChatMessage m : messages) {
            out.append(IM_START).append(m.role()).append('\n').append(m.content()).append(IM_END).append('\n');
        }
        if (addGenerationPrompt) {
            out.append(IM_START).append("assistant\n");
        }
        return out.toString();
    }
}
