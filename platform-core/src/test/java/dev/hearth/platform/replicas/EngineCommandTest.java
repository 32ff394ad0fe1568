package dev.hearth.platform.replicas;

import static org.junit.jupiter.api.Assertions.*;

import dev.hearth.platform.config.ConfigLoader;
import dev.hearth.platform.config.ModelConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact command lines each engine is started with, as strings: these are what a real vLLM or
 * SGLang would parse (vllm/entrypoints/openai/cli_args.py, vllm/engine/arg_utils.py,
 * sglang/srt/server_args.py), so they are checked word for word.
 */
class EngineCommandTest {
    private static final String KV = "{\"enable_kv_cache_events\":true,\"publisher\":\"zmq\","
            + "\"endpoint\":\"tcp://*:5557\",\"topic\":\"kv-events\"}";

    private static LaunchSpec spec(String yaml) {
        ModelConfig c = ConfigLoader.parse("config.yaml", yaml);
        return new LaunchSpec("m-0", c, "127.0.0.1", 8000, 5557);
    }

    @Test
    void vllmServe() {
        LaunchSpec s = spec("""
                model: {id: Qwen/Qwen3-8B, revision: v2}
                engine: {name: vllm, launcher: local, args: ["--gpu-memory-utilization", "0.85"]}
                context_length: 32768
                gpu: {count: 2}
                """);
        String line = String.join(" ", new VllmCommand(List.of("vllm", "serve")).argv(s));
        assertEquals("vllm serve Qwen/Qwen3-8B --host 127.0.0.1 --port 8000 --served-model-name Qwen/Qwen3-8B "
                + "--revision v2 --tensor-parallel-size 2 --max-model-len 32768 --block-size 16 --enable-prefix-caching --enable-prompt-tokens-details "
                + "--kv-events-config " + KV + " --gpu-memory-utilization 0.85", line);
        assertEquals("tcp://127.0.0.1:5557", s.kvEventsUrl());
    }

    @Test
    void sglangLaunchServer() {
        LaunchSpec s = spec("""
                model: {id: Qwen/Qwen3-8B}
                engine: {name: sglang, launcher: local, args: ["--mem-fraction-static", "0.8"]}
                """);
        SglangCommand sglang = new SglangCommand(List.of("python3", "-m", "sglang.launch_server"));
        assertEquals("python3 -m sglang.launch_server --model-path Qwen/Qwen3-8B --host 127.0.0.1 --port 8000 "
                + "--served-model-name Qwen/Qwen3-8B --revision main --tp-size 1 --enable-metrics --enable-cache-report "
                + "--mem-fraction-static 0.8", String.join(" ", sglang.argv(s)));
        assertFalse(sglang.publishesKvEvents(s), "SGLang's one-token pages do not map onto the router's blocks");
    }

    @Test
    void simulatorTakesVllmsKvEventsFlagAndOnlyTheFlagsItModels() {
        LaunchSpec s = spec("""
                model: {id: Qwen/Qwen3-0.6B}
                engine: {args: ["--max-num-seqs", "64", "--gpu-memory-utilization", "0.9", "--block-size=16", "--enforce-eager"]}
                context_length: 8192
                """);
        assertEquals("hearth sim --flavor vllm --model Qwen/Qwen3-0.6B --host 127.0.0.1 --port 8000 --time-scale 10.0 "
                + "--max-model-len 8192 --kv-events-config " + KV + " --max-num-seqs 64 --block-size=16",
                String.join(" ", new SimulatorCommand(List.of("hearth", "sim"), 10).argv(s)));
        assertEquals(List.of("--gpu-memory-utilization", "--enforce-eager"),
                SimulatorCommand.ignored(s.config().engine().args()));
    }

    @Test
    void aMissingEngineIsRefusedWithWhatToInstall() {
        ModelConfig local = ConfigLoader.parse("c", "model: {id: m}\nengine: {launcher: local}\n");
        EngineCommands commands = new EngineCommands(new SimulatorCommand(List.of("hearth", "sim"), 1),
                new VllmCommand(List.of("no-such-vllm-here", "serve")), new SglangCommand(List.of("no-such-python")));
        var e = assertThrows(IllegalArgumentException.class, () -> commands.forConfig(local));
        assertEquals("`no-such-vllm-here` is not on PATH; install vLLM (pip install vllm), or use `launcher: simulator`",
                e.getMessage());
        ModelConfig k8s = ConfigLoader.parse("c", "model: {id: m}\nengine: {launcher: kubernetes}\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> commands.forConfig(k8s)).getMessage()
                .contains("kubernetes is not available yet"));
        assertInstanceOf(SimulatorCommand.class, commands.forConfig(ConfigLoader.parse("c", "model: {id: m}\n")));
    }

    @Test
    void launchFilesQuoteForTheShell() {
        assertEquals("--port", ProcessLauncher.quote("--port"));
        assertEquals("'{\"a\": 1}'", ProcessLauncher.quote("{\"a\": 1}"));
        assertEquals("'it'\\''s'", ProcessLauncher.quote("it's"));
    }
}
