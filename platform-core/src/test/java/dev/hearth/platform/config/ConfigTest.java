package dev.hearth.platform.config;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static ConfigError.Problem only(String yaml) {
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.parse("config.yaml", yaml));
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void defaultsFillEverythingButTheModel() {
        ModelConfig c = ConfigLoader.parse("config.yaml", "model:\n  id: Qwen/Qwen3-0.6B\n");
        assertEquals("main", c.model().revision());
        assertEquals("vllm", c.engine().name());
        assertEquals(new ModelConfig.Replicas(1, 1), c.replicas());
        assertEquals("cost", c.routing().policy());
        assertEquals(Duration.ofHours(1), c.cache().ttl());
        assertTrue(c.cache().enabled());
    }

    @Test
    void theTemplateIsValidAndReadsBackAsWritten() {
        ModelConfig c = ConfigLoader.parse("t", ModelDirectory.template("meta-llama/Llama-3.1-8B", "sglang"));
        assertEquals("meta-llama/Llama-3.1-8B", c.model().id());
        assertEquals("sglang", c.engine().name());
        assertEquals(List.of(), c.nodepools());
    }

    @Test
    void everyProblemNamesItsKeyLineAndFix() {
        ConfigError.Problem unknown = only("model:\n  id: m\nreplica:\n  min: 1\n");
        assertEquals("replica", unknown.key());
        assertEquals(3, unknown.line());
        assertTrue(unknown.fix().contains("`replicas`"), unknown.fix());

        ConfigError.Problem nested = only("model:\n  id: m\ngpu:\n  cout: 2\n");
        assertEquals("gpu.cout", nested.key());
        assertEquals(4, nested.line());
        assertTrue(nested.fix().contains("`count`"));

        ConfigError.Problem minMax = only("model:\n  id: m\nreplicas:\n  min: 5\n  max: 2\n");
        assertEquals("replicas.min", minMax.key());
        assertEquals(4, minMax.line());
        assertTrue(minMax.message().contains("more than replicas.max 2"));

        assertEquals("engine.name", only("model:\n  id: m\nengine:\n  name: tgi\n").key());
        assertEquals("must be a whole number, was text 'two'", only("model:\n  id: m\ngpu:\n  count: two\n").message());
        assertTrue(only("model:\n  id: m\ngpu:\n  count: 0\n").message().contains("outside 1..64"));
        assertTrue(only("model:\n  id: m\nrouting:\n  policy: best\n").fix().contains("round-robin"));
        assertTrue(only("model:\n  id: m\ncache:\n  ttl: 1h\n").fix().contains("PT1H"));
        assertTrue(only("model:\n  id: m\ncache:\n  enabled: yes please\n").message().contains("true or false"));
        assertTrue(only("model:\n  id: m\nnodepools: gpu-a\n").message().contains("must be a list"));
        assertEquals("model.id", only("model:\n  revision: main\n").key());
        assertEquals("gpu", only("model:\n  id: m\ngpu: 4\n").key());
        ConfigError.Problem launcher = only("model:\n  id: m\nengine:\n  launcher: docker\n");
        assertEquals("engine.launcher", launcher.key());
        assertEquals(4, launcher.line());
        assertEquals("must be one of [simulator, local, kubernetes], was 'docker'", launcher.message());
        assertTrue(launcher.fix().contains("`launcher: simulator`"), launcher.fix());
    }

    @Test
    void aModelThatFitsNoGpuIsRefusedWithTheLineAndTheFix() {
        ConfigError.Problem memory = only("model:\n  id: meta-llama/Llama-3.1-70B-Instruct\ncontext_length: 8192\n"
                + "gpu:\n  count: 1\n  memory_gb: 80\n");
        assertEquals("gpu.memory_gb", memory.key());
        assertEquals(6, memory.line());
        assertTrue(memory.message().contains("needs") && memory.message().contains("more than 1 x 80 GB"), memory.message());
        assertTrue(memory.fix().contains("raise gpu.count"));
        ConfigLoader.parse("c", "model:\n  id: meta-llama/Llama-3.1-70B-Instruct\ncontext_length: 8192\n"
                + "gpu:\n  count: 2\n  memory_gb: 80\n"); // two H100s hold it

        ConfigError.Problem kinds = only("model:\n  id: meta-llama/Llama-3.1-70B-Instruct\ncontext_length: 8192\n"
                + "gpu:\n  kinds: [T4, L4]\n");
        assertEquals("gpu.kinds", kinds.key());
        assertTrue(kinds.fix().contains("hearth gpus"));
        ConfigLoader.parse("c", "model:\n  id: acme/unknown-model\ngpu:\n  memory_gb: 1\n"); // unknown: not guessed
    }

    @Test
    void allProblemsAreReportedAtOnceAndBrokenYamlNamesItsLine() {
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.parse("c", "engine:\n  name: x\nreplicas:\n  min: 3\n  max: 1\n"));
        assertEquals(3, e.problems().size(), e.getMessage());
        ConfigError.Problem yaml = only("model:\n  id: [unclosed\n");
        assertTrue(yaml.message().startsWith("is not valid YAML"));
        assertTrue(yaml.line() >= 2);
        assertEquals("(file)", only("- a\n- b\n").key());
    }

    @Test
    void modelInitWritesIntoTheDirectoryItselfAndUpdatesInPlace() throws Exception {
        Path dir = Files.createTempDirectory("models").resolve("qwen");
        ModelDirectory.Result made = ModelDirectory.init(dir, null, null);
        assertTrue(made.created());
        assertEquals(dir.resolve("config.yaml"), made.file());
        try (var entries = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("config.yaml")), entries.toList(), "nothing else, no nested directory");
        }
        assertEquals(ModelDirectory.DEFAULT_MODEL, ConfigLoader.parse("c", Files.readString(made.file())).model().id());

        // An existing model directory with the user's edits and comments.
        Path existing = Files.createTempDirectory("existing");
        Files.writeString(existing.resolve("weights.safetensors"), "x");
        Files.writeString(existing.resolve("config.yaml"), "# ours: keep this\nmodel:\n  id: old/model   # the old one\n"
                + "replicas:\n  min: 2\n  max: 3\n");
        ModelDirectory.Result updated = ModelDirectory.init(existing, "Qwen/Qwen3-0.6B", "sglang");
        assertFalse(updated.created());
        assertEquals(List.of("model.id", "engine.name"), updated.changed());
        String text = Files.readString(existing.resolve("config.yaml"));
        assertTrue(text.startsWith("# ours: keep this\n"), text);
        assertTrue(text.contains("  id: Qwen/Qwen3-0.6B   # the old one"), text);
        ModelConfig c = ConfigLoader.parse("c", text);
        assertEquals(new ModelConfig.Replicas(2, 3), c.replicas(), "other keys kept");
        assertEquals("sglang", c.engine().name());
        assertTrue(Files.exists(existing.resolve("weights.safetensors")));
        assertEquals(List.of(), ModelDirectory.init(existing, "Qwen/Qwen3-0.6B", null).changed(), "nothing to change");
    }

    @Test
    void modelInitRefusesWhatItCannotHandle() throws Exception {
        Path file = Files.createTempFile("not", ".dir");
        assertThrows(IllegalArgumentException.class, () -> ModelDirectory.init(file, null, null));
        Path broken = Files.createTempDirectory("broken");
        Files.writeString(broken.resolve("config.yaml"), "model:\n  id: m\nrepliacs: 2\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ModelDirectory.init(broken, "x", null));
        assertEquals("repliacs", e.problems().get(0).key());
        assertEquals("model:\n  id: m\nrepliacs: 2\n", Files.readString(broken.resolve("config.yaml")), "left untouched");
        assertThrows(IllegalArgumentException.class, () -> ModelDirectory.init(Files.createTempDirectory("e"), null, "tgi"));
    }
}
