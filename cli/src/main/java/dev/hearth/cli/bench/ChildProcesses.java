package dev.hearth.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The processes a benchmark started and the folder they work in (configs, state). Closing stops
 * them all, newest first, then deletes the folder; closing again does nothing, so the benchmark's
 * own finally and a shutdown hook (Ctrl-C) can both call it.
 */
public final class ChildProcesses implements AutoCloseable {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final Path folder;
    private final List<ChildProcess> started = new ArrayList<>();
    private boolean closed;

    public ChildProcesses(Path folder) {
        this.folder = folder;
    }

    /** The folder the processes work in, deleted on close. */
    public Path folder() {
        return folder;
    }

    /** Whether they are being stopped (the run ended, or Ctrl-C): nothing more is to be started or measured. */
    public synchronized boolean isClosed() {
        return closed;
    }

    /** Starts {@code argv}; {@code readyLine} (may be null) is matched against its output, its first group a URL. */
    public synchronized ChildProcess start(String name, List<String> argv, Pattern readyLine) throws IOException {
        if (closed) {
            throw new IllegalStateException("stopping: " + name + " not started");
        }
        Process p = new ProcessBuilder(argv).directory(folder.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        ChildProcess child = new ChildProcess(name, p, readyLine);
        started.add(child);
        return child;
    }

    @Override
    public void close() {
        List<ChildProcess> stopping;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            stopping = new ArrayList<>(started.reversed());
        }
        stopping.forEach(c -> c.stop(GRACE));
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            // a file left in the temporary folder is no reason to fail a finished benchmark
        }
    }
}
