package dev.hearth.platform.replicas;

import dev.hearth.platform.config.ModelConfig;
import java.util.List;

/**
 * Picks the command for a config's {@code engine.launcher} and {@code engine.name}: the simulator,
 * or the real engine as a local process. The Kubernetes launcher arrives with the warm pools.
 */
public final class EngineCommands {
    private final SimulatorCommand simulator;
    private final VllmCommand vllm;
    private final SglangCommand sglang;

    public EngineCommands(SimulatorCommand simulator, VllmCommand vllm, SglangCommand sglang) {
        this.simulator = simulator;
        this.vllm = vllm;
        this.sglang = sglang;
    }

    /** The real engines at their usual commands; the simulator as given. */
    public static EngineCommands standard(List<String> simulatorExecutable, double timeScale) {
        return new EngineCommands(new SimulatorCommand(simulatorExecutable, timeScale),
                new VllmCommand(List.of("vllm", "serve")), new SglangCommand(List.of("python3", "-m", "sglang.launch_server")));
    }

    /** The command for the config; throws {@link IllegalArgumentException} saying why none can run here. */
    public EngineCommand forConfig(ModelConfig config) {
        EngineCommand c = switch (config.engine().launcher()) {
            case "simulator" -> simulator;
            case "local" -> config.engine().name().equals("sglang") ? sglang : vllm;
            case "kubernetes" -> throw new IllegalArgumentException("engine.launcher kubernetes is not available yet "
                    + "(it comes with warm node pools); use `launcher: local` or `launcher: simulator`");
            default -> throw new IllegalArgumentException("unknown engine.launcher " + config.engine().launcher());
        };
        String why = c.unavailableReason();
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        return c;
    }
}
