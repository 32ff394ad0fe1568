package dev.hearth.platform.replicas;

import dev.hearth.platform.config.ModelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vllm serve MODEL ...} as vLLM's own parser reads it (vllm/entrypoints/openai/cli_args.py
 * for host and port, vllm/engine/arg_utils.py for the engine flags). Blocks of 16 tokens and prefix
 * caching match the router's keys; usage reports cached prompt tokens (--enable-prompt-tokens-details) for
 * /metrics to compare with the router's estimate; KV events go to a ZeroMQ publisher on a port of our choosing.
 */
public final class VllmCommand implements EngineCommand {
    private final List<String> executable;

    /** {@code executable}: usually {@code ["vllm", "serve"]}. */
    public VllmCommand(List<String> executable) {
        this.executable = List.copyOf(executable);
    }

    @Override
    public List<String> argv(LaunchSpec spec) {
        ModelConfig c = spec.config();
        List<String> argv = new ArrayList<>(executable);
        argv.add(c.model().id());
        argv.addAll(List.of("--host", spec.host(), "--port", Integer.toString(spec.port()),
                "--served-model-name", c.model().id(), "--revision", c.model().revision(),
                "--tensor-parallel-size", Integer.toString(c.gpu().count())));
        if (c.contextLength() > 0) {
            argv.addAll(List.of("--max-model-len", Integer.toString(c.contextLength())));
        }
        argv.addAll(List.of("--block-size", "16", "--enable-prefix-caching", "--enable-prompt-tokens-details",
                "--kv-events-config", spec.kvEventsConfig()));
        argv.addAll(c.engine().args());
        return argv;
    }

    @Override
    public boolean publishesKvEvents(LaunchSpec spec) {
        return true;
    }

    @Override
    public String unavailableReason() {
        return Executables.missing(executable.get(0), "vLLM (pip install vllm)");
    }

    @Override
    public Duration startTimeout() {
        return Duration.ofMinutes(20); // downloads and loads weights, compiles CUDA graphs
    }
}
