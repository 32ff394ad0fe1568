package dev.hearth.cli;

import dev.hearth.platform.replicas.ReplicaLauncher;
import dev.hearth.platform.replicas.ReplicaProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hearth serve}: the main job. For now it starts the simulated replicas of the embedded
 * default and keeps them running until interrupted; the gateway in front of them arrives with
 * the routing work.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start simulated vLLM or SGLang replicas of a model on loopback and keep them running.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--replicas", defaultValue = "4", description = "Number of replicas (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--flavor", defaultValue = "vllm", description = "vllm or sglang (default: ${DEFAULT-VALUE}).")
    String flavor;

    @Option(names = "--model", defaultValue = "Qwen/Qwen3-0.6B", description = "Model to serve (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--time-scale", defaultValue = "1.0", description = "Simulated seconds per wall second (default: ${DEFAULT-VALUE}).")
    double timeScale;

    @Option(names = "--state-dir", defaultValue = ".hearth", description = "Where logs and state go (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        if (replicas < 1 || replicas > 64) {
            throw new IllegalArgumentException("--replicas must be between 1 and 64, was " + replicas);
        }
        dev.hearth.enginesim.server.Flavor.parse(flavor); // fail fast on a bad flavor, before any process starts
        ReplicaLauncher launcher = new ReplicaLauncher(SelfCommand.current("sim"), stateDir.resolve("logs"),
                Duration.ofSeconds(60));
        System.out.printf("Starting %d simulated %s replicas of %s ...%n", replicas, flavor, model);
        List<String> args = new ArrayList<>(List.of("--flavor", flavor, "--model", model,
                "--time-scale", Double.toString(timeScale)));
        List<ReplicaProcess> started = launcher.start(replicas, args);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.parallelStream().forEach(ReplicaProcess::close);
            stopped.countDown();
        }));
        System.out.println();
        System.out.printf("%-12s %-28s %s%n", "REPLICA", "URL", "LOG");
        for (ReplicaProcess r : started) {
            System.out.printf("%-12s %-28s %s%n", r.id(), r.url(), r.log());
        }
        System.out.println();
        System.out.println("Try: curl -s " + started.get(0).url() + "/v1/chat/completions -H 'Content-Type: application/json' "
                + "-d '{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"max_tokens\":16}'");
        System.out.println("Press Ctrl-C to stop.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
