package dev.hearth.platform.plan;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.platform.config.ConfigLoader;
import dev.hearth.platform.config.ConfigTemplate;
import dev.hearth.platform.config.ModelConfig;
import dev.hearth.platform.gpus.GpuCatalog;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sentences to plans: what each part of a sentence becomes, what is assumed, what is named back as
 * not understood, and which sentences cannot be applied (missing or contradictory parts). Every
 * applicable plan's config.yaml must load as it is.
 */
class SentencePlannerTest {
    private static final SentencePlanner PLANNER = new SentencePlanner(GpuCatalog.bundled());
    private static final ConfigTemplate TEMPLATE = new ConfigTemplate();

    /**
     * sentence; expected "model|engine|min..max|gpus x kind|launcher|policy|cache|context" (a part
     * given as * is not checked); the problem's words (null: none); the unplaced phrases.
     */
    static Stream<Arguments> sentences() {
        return Stream.of(
                // The issue's own example, and plain variants.
                row("Deploy Qwen3-0.6B with vLLM on 2 replicas in us-east", "Qwen/Qwen3-0.6B|vllm|2..2|*|simulator|cost|true|0", null),
                row("deploy qwen3 0.6b", "Qwen/Qwen3-0.6B|vllm|1..1|*|simulator|cost|true|0", null),
                row("Serve Qwen/Qwen3-8B", "Qwen/Qwen3-8B|vllm|1..1|*|*|*|*|*", null),
                row("Serve Llama 3.1 8B Instruct with SGLang on three replicas on AWS",
                        "meta-llama/Llama-3.1-8B-Instruct|sglang|3..3|1xL40S|*|*|*|*", null),
                row("Spin up Mistral 7B on a single replica in europe", "mistralai/Mistral-7B-Instruct-v0.3|vllm|1..1|1xL4|*|*|*|*", null),
                row("Deploy Qwen3-32B with 32k context on GCP in us-central1", "Qwen/Qwen3-32B|*|*|1xA100|*|*|*|32768", null),
                row("Deploy Phi-3-mini on our own hardware on an RTX 4090",
                        "microsoft/Phi-3-mini-4k-instruct|*|*|1xRTX 4090|*|*|*|*", null),
                row("Please deploy Llama-3.1-8B-Instruct in the us with 80GB GPUs",
                        "meta-llama/Llama-3.1-8B-Instruct|*|*|1xA100|*|*|*|*", null),
                row("Deploy Qwen3-8B on 2-5 replicas with tensor parallel 2", "Qwen/Qwen3-8B|*|2..5|2xL4|*|*|*|*", null),
                row("Deploy Qwen3-8B between 1 and 4 replicas", "Qwen/Qwen3-8B|*|1..4|*|*|*|*|*", null),
                row("Deploy Qwen3-8B from two to six replicas", "Qwen/Qwen3-8B|*|2..6|*|*|*|*|*", null),
                row("Deploy Qwen2.5-7B-Instruct up to 6 replicas, scale to zero when idle",
                        "Qwen/Qwen2.5-7B-Instruct|*|0..6|*|*|*|*|*", null),
                row("Deploy Qwen3-8B with at least 3 replicas", "Qwen/Qwen3-8B|*|3..3|*|*|*|*|*", null),
                row("Run meta-llama/Llama-3.1-70B-Instruct on 4 H100s per replica on aws",
                        "meta-llama/Llama-3.1-70B-Instruct|*|*|4xH100|*|*|*|*", null),
                row("Deploy Llama-3.1-70B-Instruct on 8 x A100 GPUs", "meta-llama/Llama-3.1-70B-Instruct|*|*|8xA100|*|*|*|*", null),
                row("Deploy my-org/custom-model on 2 A100 GPUs each", "my-org/custom-model|vllm|1..1|2xA100|*|*|*|*", null),
                row("Deploy acme/tiny-llm with sglang and a 4096 token context", "acme/tiny-llm|sglang|*|*|*|*|*|4096", null),
                row("Deploy Qwen3-0.6B with round-robin routing and no prediction cache",
                        "Qwen/Qwen3-0.6B|*|*|*|*|round-robin|false|*", null),
                row("Deploy DeepSeek-R1-Distill-Qwen-7B with sglang-cache-aware routing",
                        "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B|vllm|*|*|*|sglang-cache-aware|*|*", null),
                row("Deploy Qwen3-0.6B with least load routing", "Qwen/Qwen3-0.6B|*|*|*|*|least-load|*|*", null),
                row("Deploy Qwen3-0.6B with the llm-d policy", "Qwen/Qwen3-0.6B|*|*|*|*|llm-d|*|*", null),
                row("Deploy Qwen3-0.6B locally called tiny-qwen", "Qwen/Qwen3-0.6B|*|*|*|local|*|*|*", null),
                row("Deploy Qwen3-0.6B on the simulator without GPUs", "Qwen/Qwen3-0.6B|*|*|*|simulator|*|*|*", null),
                row("Deploy Qwen3-0.6B on kubernetes", "Qwen/Qwen3-0.6B|*|*|*|kubernetes|*|*|*", null),
                row("Deploy gemma-2-9b on azure", "google/gemma-2-9b-it|*|*|*|*|*|*|*", null),
                row("Hey Hearth, could you serve Qwen3-8B on 2 L4 GPUs each in us-east, thanks",
                        "Qwen/Qwen3-8B|*|*|2xL4|*|*|*|*", null),
                row("Deploy Qwen3-0.6B, revision v1.2, with vllm on 2 replicas in us-west", "Qwen/Qwen3-0.6B|vllm|2..2|*|*|*|*|*", null),
                row("Deploy Llama-3.1-8B-Instruct with 8k context on GCP", "meta-llama/Llama-3.1-8B-Instruct|*|*|1xL4|*|*|*|8192", null),
                // Missing or contradictory parts: problems, never guesses.
                row("Deploy qwen", "*", "'qwen' is not specific"),
                row("Deploy something fast", "*", "which model?", "something fast"),
                row("", "*", "the sentence is empty"),
                row("Deploy Qwen3-8B with vLLM and SGLang", "*", "both vLLM and SGLang"),
                row("Deploy Qwen3-8B and Llama-3.1-8B", "*", "names 2 models"),
                row("Deploy Qwen3-8B on 2 replicas and 3 replicas", "*", "2 and 3 replicas"),
                row("Deploy Qwen3-8B with at least 5 replicas and at most 2 replicas", "*", "cannot both hold"),
                row("Deploy Qwen3-0.6B on 0 replicas", "*", "0 replicas serve nothing"),
                row("Deploy Qwen3-0.6B on 100 replicas", "*", "at most 64 replicas"),
                row("Deploy Qwen3-8B on aws and gcp", "*", "aws and gcp"),
                row("Deploy Qwen3-8B in us-east and in europe", "*", "2 regions"),
                row("Deploy Llama-3.1-70B-Instruct on L4", "*", "no instance in the catalog holds"),
                row("Deploy Qwen3-8B with 200k context", "*", "longer than Qwen/Qwen3-8B's 40960"),
                row("Deploy Qwen3-8B on 2 GPUs with tensor parallel 4", "*", "GPUs per replica; say one number"),
                row("Deploy Qwen3-0.6B locally on kubernetes", "*", "choose one"),
                row("Deploy Qwen3-0.6B on 3 replicas with at most 5 replicas", "*", "both an exact number"),
                // Phrases it cannot place are named back.
                row("Deploy Qwen3-0.6B on kubernetes with sparkles and unicorns", "Qwen/Qwen3-0.6B|*|*|*|*|*|*|*", null,
                        "sparkles and unicorns"),
                row("Deploy Qwen3-0.6B with vLLM, encrypted at rest", "Qwen/Qwen3-0.6B|*|*|*|*|*|*|*", null,
                        "encrypted at rest"),
                row("Deploy Qwen3-8B on 2 replicas behind a firewall on Tuesday", "Qwen/Qwen3-8B|*|2..2|*|*|*|*|*", null,
                        "firewall on Tuesday"));
    }

    private static Arguments row(String sentence, String expected, String problem, String... unplaced) {
        return Arguments.of(sentence, expected, problem, List.of(unplaced));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sentences")
    void plans(String sentence, String expected, String problem, List<String> unplaced) {
        DeploymentPlan plan = PLANNER.plan(sentence, null);
        if (problem == null) {
            assertEquals(List.of(), plan.problems(), sentence);
        } else {
            assertTrue(plan.problems().stream().anyMatch(p -> p.contains(problem)), sentence + ": " + plan.problems());
            assertFalse(plan.applicable());
        }
        assertEquals(unplaced, plan.unplaced(), sentence);
        if (!expected.equals("*")) {
            var v = plan.values();
            String[] want = expected.split("\\|");
            String[] got = {v.model(), v.engine(), v.min() + ".." + v.max(),
                    v.gpuCount() + "x" + String.join(",", v.kinds()), v.launcher(), v.policy(), String.valueOf(v.cache()),
                    String.valueOf(v.context())};
            for (int i = 0; i < want.length; i++) {
                if (!want[i].equals("*")) {
                    assertEquals(want[i], got[i], sentence + " (part " + i + ")");
                }
            }
        }
        if (plan.applicable()) { // the config it shows is one `hearth deploy DIR` accepts unchanged
            String yaml = plan.config(TEMPLATE);
            ModelConfig c = ConfigLoader.parse("config.yaml", yaml);
            assertEquals(plan.values().model(), c.model().id());
            assertEquals(plan.values().min(), c.replicas().min());
            assertEquals(plan.values().gpuCount(), c.gpu().count());
            assertTrue(yaml.contains(sentence.replace('"', '\'')), "the config says what it was planned from");
        }
    }
}
