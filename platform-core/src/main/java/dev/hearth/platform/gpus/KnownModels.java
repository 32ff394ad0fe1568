package dev.hearth.platform.gpus;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The models Hearth can size without reading their config.json, with the figures of each model's
 * own config.json and model card on Hugging Face (num_hidden_layers, num_key_value_heads, head_dim or
 * hidden_size / num_attention_heads, max_position_embeddings).
 */
public final class KnownModels {
    public static final List<KnownModel> ALL = List.of(
            new KnownModel("Qwen/Qwen3-0.6B", 0.60, 28, 8, 128, 40_960, true),
            new KnownModel("Qwen/Qwen3-8B", 8.19, 36, 8, 128, 40_960, true),
            new KnownModel("Qwen/Qwen3-32B", 32.8, 64, 8, 128, 40_960, true),
            new KnownModel("Qwen/Qwen2.5-7B-Instruct", 7.62, 28, 4, 128, 32_768, false),
            new KnownModel("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", 7.62, 28, 4, 128, 131_072, true),
            new KnownModel("meta-llama/Llama-3.1-8B-Instruct", 8.03, 32, 8, 128, 131_072, false),
            new KnownModel("meta-llama/Llama-3.1-70B-Instruct", 70.6, 80, 8, 128, 131_072, false),
            new KnownModel("mistralai/Mistral-7B-Instruct-v0.3", 7.25, 32, 8, 128, 32_768, false),
            new KnownModel("google/gemma-2-9b-it", 9.24, 42, 8, 256, 8_192, false),
            new KnownModel("microsoft/Phi-3-mini-4k-instruct", 3.82, 32, 32, 96, 4_096, false));

    private KnownModels() {}

    /** By full id, or by its name after the organisation, ignoring case. */
    public static Optional<KnownModel> find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(m -> m.id().toLowerCase(Locale.ROOT).equals(n)
                || m.id().substring(m.id().indexOf('/') + 1).toLowerCase(Locale.ROOT).equals(n)).findFirst();
    }
}
