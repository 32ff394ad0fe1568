package dev.hearth.cli;

import dev.hearth.platform.config.ModelDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hearth model}: model directories and their config.yaml. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Work with model directories.",
        subcommands = {ModelCommand.Init.class})
public final class ModelCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** {@code hearth model init DIR}: write or update DIR/config.yaml. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = "Write DIR/config.yaml, or update an existing one in place keeping your other keys and comments.")
    static final class Init implements Callable<Integer> {
        @Parameters(paramLabel = "DIR", description = "The model directory (created when missing; never a subdirectory of it).")
        Path dir;

        @Option(names = "--model", description = "Model id (default for a new file: " + ModelDirectory.DEFAULT_MODEL + ").")
        String model;

        @Option(names = "--engine", description = "vllm or sglang (default for a new file: vllm).")
        String engine;

        @Override
        public Integer call() throws Exception {
            ModelDirectory.Result r = ModelDirectory.init(dir, model, engine);
            if (r.created()) {
                System.out.println("wrote " + r.file());
            } else if (r.changed().isEmpty()) {
                System.out.println(r.file() + " already says so; nothing changed");
            } else {
                System.out.println("updated " + r.file() + ": " + String.join(", ", r.changed()));
            }
            return 0;
        }
    }
}
