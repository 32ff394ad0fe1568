package dev.hearth.cli;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs this very program again with another subcommand: the same java
 * binary, JVM flags and class path, so child replicas run the code the parent runs.
 */
final class SelfCommand {
    private SelfCommand() {}

    /** A child replica: a small heap and the serial collector, since several share the machine. */
    static List<String> current(String subcommand) {
        return withFlags(subcommand, List.of("-Xmx512m", "-XX:+UseSerialGC"));
    }

    /**
     * This program as it was launched, heap and collector left to the JVM's defaults: for a child
     * that should run as a user's own {@code hearth} would, such as the gateway {@code bench proxy}
     * measures.
     */
    static List<String> asLaunched(String subcommand) {
        return withFlags(subcommand, List.of());
    }

    private static List<String> withFlags(String subcommand, List<String> extra) {
        boolean ownHeap = extra.stream().anyMatch(f -> f.startsWith("-Xmx"));
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib") && !flag.startsWith("-javaagent") && !(ownHeap && flag.startsWith("-Xmx"))) {
                argv.add(flag);
            }
        }
        argv.addAll(extra);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(Hearth.class.getName());
        argv.add(subcommand);
        return argv;
    }
}
