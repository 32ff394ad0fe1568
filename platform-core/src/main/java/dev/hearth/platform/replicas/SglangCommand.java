package dev.hearth.platform.replicas;

import dev.hearth.platform.config.ModelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code python -m sglang.launch_server ...} as SGLang's parser reads it
 * (python/sglang/srt/server_args.py). Metrics are turned on for the prober's queue and KV figures.
 * No KV events: SGLang's radix cache works in pages of one token, which do not map onto the
 * router's blocks of 16, so SGLang replicas are learned from routing decisions.
 */
public final class SglangCommand implements EngineCommand {
    private final List<String> executable;

    /** {@code executable}: usually {@code ["python3", "-m", "sglang.launch_server"]}. */
    public SglangCommand(List<String> executable) {
        this.executable = List.copyOf(executable);
    }

    @Override
    public List<String> argv(LaunchSpec spec) {
        ModelConfig c = spec.config();
        List<String> argv = new ArrayList<>(executable);
        argv.addAll(List.of("--model-path", c.model().id(), "--host", spec.host(), "--port", Integer.toString(spec.port()),
                "--served-model-name", c.model().id(), "--revision", c.model().revision(),
                "--tp-size", Integer.toString(c.gpu().count())));
        if (c.contextLength() > 0) {
            argv.addAll(List.of("--context-length", Integer.toString(c.contextLength())));
        }
        argv.addAll(List.of("--enable-metrics", "--enable-cache-report"));
        argv.addAll(c.engine().args());
        return argv;
    }

    @Override
    public boolean publishesKvEvents(LaunchSpec spec) {
        return false;
    }

    @Override
    public String unavailableReason() {
        String python = Executables.missing(executable.get(0), "Python 3");
        if (python != null) {
            return python;
        }
        try {
            Process p = new ProcessBuilder(executable.get(0), "-c", "import sglang").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 ? null : "SGLang is not installed for " + executable.get(0)
                    + " (pip install \"sglang[all]\"), or use `launcher: simulator`";
        } catch (Exception e) {
            return "cannot run " + executable.get(0) + ": " + e.getMessage();
        }
    }

    @Override
    public Duration startTimeout() {
        return Duration.ofMinutes(20);
    }
}
