package dev.hearth.cli.bench;

import dev.hearth.enginesim.bench.Comparison;
import java.io.PrintStream;

/**
 * A benchmark's progress as a bar on stderr, so stdout stays clean for {@code --format json}. On a
 * terminal the bar redraws in place a few times a second; elsewhere one line per tenth done.
 */
public final class BenchProgress implements Comparison.Progress {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean redraw;
    private final String label;
    private long lastDraw;
    private int lastTenth = -1;

    public BenchProgress(PrintStream err, boolean redraw, String label) {
        this.err = err;
        this.redraw = redraw;
        this.label = label;
    }

    @Override
    public synchronized void update(long done, long total) {
        double f = total == 0 ? 1 : Math.min(1, (double) done / total);
        if (redraw) {
            long now = System.nanoTime();
            if (f < 1 && now - lastDraw < 200_000_000L) {
                return;
            }
            lastDraw = now;
            err.printf("\r\033[2K%s %s %3.0f%% (%,d requests replayed)", label, ProgressLine.bar(done, total, WIDTH), f * 100, done);
            if (f >= 1) {
                err.println();
            }
        } else {
            int tenth = (int) (f * 10);
            if (tenth != lastTenth) {
                lastTenth = tenth;
                err.printf("%s %3d%% (%,d requests replayed)%n", label, tenth * 10, done);
            }
        }
        err.flush();
    }
}
