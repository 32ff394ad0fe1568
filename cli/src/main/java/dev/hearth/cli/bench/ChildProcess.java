package dev.hearth.cli.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process a benchmark started. Its output (stdout and stderr together) is read as it comes, so
 * the process never blocks on a full pipe; the last lines are kept to say why it failed, and the
 * first line matching its ready pattern gives its URL.
 */
public final class ChildProcess {
    private static final int KEPT_LINES = 20;

    private final String name;
    private final Process process;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final CompletableFuture<URI> ready = new CompletableFuture<>();

    /** Starts reading {@code process}'s output; {@code readyLine}'s first group is the URL, null when there is none. */
    ChildProcess(String name, Process process, Pattern readyLine) {
        this.name = name;
        this.process = process;
        Thread.ofVirtual().name("output of " + name).start(() -> read(readyLine));
    }

    private void read(Pattern readyLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (lastLines) {
                    if (lastLines.size() == KEPT_LINES) {
                        lastLines.removeFirst();
                    }
                    lastLines.addLast(line);
                }
                if (readyLine != null && !ready.isDone()) {
                    Matcher m = readyLine.matcher(line);
                    if (m.find()) {
                        ready.complete(URI.create(m.group(1)));
                    }
                }
            }
        } catch (IOException closed) {
            // the process was stopped; what it printed so far is kept
        }
        ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready" + lastLine()));
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The URL from the ready line; fails, with the process's last line, when it exits or time runs out first. */
    public URI awaitUrl(Duration timeout) throws InterruptedException {
        try {
            return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw (IllegalStateException) e.getCause();
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s" + lastLine());
        }
    }

    /** ": LINE", the last thing the process printed, for a one-line error message; empty when it printed nothing. */
    public String lastLine() {
        synchronized (lastLines) {
            return lastLines.isEmpty() ? "" : ": " + lastLines.getLast().strip();
        }
    }

    /**
     * SIGTERM, as Ctrl-C would send, then SIGKILL after {@code grace}. Its descendants (nginx's
     * workers) are noted first: once the parent is gone they can no longer be found through it.
     */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle d : descendants) {
            d.destroyForcibly();
        }
    }
}
