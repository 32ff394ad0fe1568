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

    static List<String> current(String subcommand) {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse("java"));
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib") && !flag.startsWith("-javaagent") && !flag.startsWith("-Xmx")) {
                argv.add(flag);
            }
        }
        argv.add("-Xmx512m");
        argv.add("-XX:+UseSerialGC");
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(Hearth.class.getName());
        argv.add(subcommand);
        return argv;
    }
}
