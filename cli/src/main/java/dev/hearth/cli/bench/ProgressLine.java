package dev.hearth.cli.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress on stderr, so stdout keeps only the report. On a terminal one bar is redrawn in place
 * while a run goes; elsewhere (a log, a pipe, a test) each run is one line when it ends.
 */
public final class ProgressLine {
    private static final int WIDTH = 30;
    private static final long REDRAW_MILLIS = 100;

    private final PrintStream err;
    private final boolean terminal;

    public ProgressLine(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Whether stderr is a terminal. {@code System.console()} answers for stdin and stdout only, and
     * the JDK has no check for stderr; on Linux the descriptor's link names the device.
     */
    public static boolean stderrIsTerminal() {
        if ("dumb".equals(System.getenv("TERM"))) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception notLinux) {
            return false;
        }
    }

    /** A line of its own, such as what was started. */
    public synchronized void note(String line) {
        err.println(line);
        err.flush();
    }

    /** Runs {@code work}, showing {@code done} out of {@code total} under {@code label}, then {@code summary} of its result. */
    public <T> T show(String label, long total, AtomicLong done, Work<T> work, Summary<T> summary) throws Exception {
        Thread ticker = terminal ? Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    draw("\r\033[2K" + String.format(Locale.ROOT, "%-16s %s %d/%d", label, bar(done.get(), total, WIDTH),
                            done.get(), total));
                    Thread.sleep(REDRAW_MILLIS);
                }
            } catch (InterruptedException finished) {
                // the run ended
            }
        }) : null;
        T result;
        try {
            result = work.run();
        } finally {
            if (ticker != null) {
                ticker.interrupt();
                ticker.join();
                draw("\r\033[2K");
            }
        }
        note(String.format(Locale.ROOT, "%-16s %s", label, summary.of(result)));
        return result;
    }

    private synchronized void draw(String text) {
        err.print(text);
        err.flush();
    }

    /** {@code [#####-----]}: the share of {@code total} that is {@code done}. */
    static String bar(long done, long total, int width) {
        int filled = total <= 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "]";
    }

    /** The work shown. */
    public interface Work<T> {
        T run() throws Exception;
    }

    /** The line that replaces the bar once the work is done. */
    public interface Summary<T> {
        String of(T result);
    }
}
