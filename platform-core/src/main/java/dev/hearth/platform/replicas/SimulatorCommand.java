package dev.hearth.platform.replicas;

import dev.hearth.platform.config.ModelConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code hearth sim}: the engine simulator, speaking vLLM's or SGLang's API. It takes vLLM's own
 * {@code --kv-events-config}; of {@code engine.args} it takes the flags it models (scheduler
 * limits, block size) and leaves the rest, which concern real GPUs, out.
 */
public final class SimulatorCommand implements EngineCommand {
    /** Engine flags the simulator models; each takes one value. */
    public static final Set<String> MODELLED = Set.of("--max-num-seqs", "--max-num-batched-tokens", "--block-size",
            "--kv-blocks", "--profile", "--reasoning-parser");

    private final List<String> executable;
    private final double timeScale;

    /** {@code executable}: how to run {@code hearth sim}; {@code timeScale}: simulated seconds per wall second. */
    public SimulatorCommand(List<String> executable, double timeScale) {
        this.executable = List.copyOf(executable);
        this.timeScale = timeScale;
    }

    @Override
    public List<String> argv(LaunchSpec spec) {
        ModelConfig c = spec.config();
        List<String> argv = new ArrayList<>(executable);
        argv.addAll(List.of("--flavor", c.engine().name(), "--model", c.model().id(), "--host", spec.host(),
                "--port", Integer.toString(spec.port()), "--time-scale", Double.toString(timeScale)));
        if (c.contextLength() > 0) {
            argv.addAll(List.of("--max-model-len", Integer.toString(c.contextLength())));
        }
        if (publishesKvEvents(spec)) {
            argv.addAll(List.of("--kv-events-config", spec.kvEventsConfig()));
        }
        argv.addAll(partition(c.engine().args()).modelled());
        return argv;
    }

    /** Engine flags split: those the simulator models (with their values), and the names of the rest. */
    record Flags(List<String> modelled, List<String> ignored) {}

    static Flags partition(List<String> args) {
        List<String> modelled = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            boolean inline = flag.contains("=");
            String name = inline ? flag.substring(0, flag.indexOf('=')) : flag;
            if (MODELLED.contains(name)) {
                modelled.add(flag);
                if (!inline && i + 1 < args.size()) {
                    modelled.add(args.get(++i));
                }
            } else if (flag.startsWith("--")) {
                ignored.add(name);
            }
        }
        return new Flags(modelled, ignored);
    }

    /** The engine flags the simulator leaves out (they concern real GPUs). */
    public static List<String> ignored(List<String> args) {
        return partition(args).ignored();
    }

    /** Only vLLM's simulated blocks of 16 match the router's keys (SGLang's pages are one token). */
    @Override
    public boolean publishesKvEvents(LaunchSpec spec) {
        return spec.config().engine().name().equals("vllm");
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public Duration startTimeout() {
        return Duration.ofSeconds(60);
    }
}
