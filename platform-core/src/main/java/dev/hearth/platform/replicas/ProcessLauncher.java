package dev.hearth.platform.replicas;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Starts replicas as local processes on loopback: picks free ports, writes the exact command to a
 * launch file ({@code REPLICA.sh}, kept with {@code --keep} to rerun by hand), and sends the
 * process's output straight to {@code REPLICA.log}, so the replica outlives a crashed Hearth and can
 * be adopted again. Whether it comes up is for the caller to watch.
 */
public final class ProcessLauncher {
    private final String host;
    private final boolean keepLaunchFiles;

    public ProcessLauncher(String host, boolean keepLaunchFiles) {
        this.host = host;
        this.keepLaunchFiles = keepLaunchFiles;
    }

    /** The spec for a new replica, with fresh ports. */
    public LaunchSpec plan(String replicaId, dev.hearth.platform.config.ModelConfig config) throws IOException {
        return new LaunchSpec(replicaId, config, host, freePort(), freePort());
    }

    /** Starts the replica in {@code dir}; returns once the process runs (not once it serves). */
    public ReplicaProcess start(EngineCommand command, LaunchSpec spec, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> argv = command.argv(spec);
        Path script = dir.resolve(spec.replicaId() + ".sh");
        Path log = dir.resolve(spec.replicaId() + ".log");
        Files.writeString(script, "#!/bin/sh\n# " + spec.replicaId() + ", as Hearth started it\nexec "
                + argv.stream().map(ProcessLauncher::quote).collect(Collectors.joining(" ")) + "\n");
        script.toFile().setExecutable(true);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!keepLaunchFiles) {
            Files.deleteIfExists(script);
        }
        return new ReplicaProcess(spec.replicaId(), URI.create("http://" + host + ":" + spec.port()),
                command.publishesKvEvents(spec) ? spec.kvEventsUrl() : null, p.toHandle(), log);
    }

    /** A port free right now. Another process could take it before the replica binds; the replica then fails and is replaced. */
    private int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return s.getLocalPort();
        }
    }

    /** Single-quotes a word for sh unless it is plainly safe. */
    static String quote(String word) {
        return word.matches("[\\w@%+=:,./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
