package dev.hearth.cli.bench;

import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * One closed-loop run as measured, before it is summed with the target's other rounds into a
 * {@link LoadResult}. The histogram is not changed once the run is over.
 *
 * @param micros      latencies of good answers, microseconds
 * @param errors      requests that failed (status, body, or the connection)
 * @param elapsed     the run's wall time
 * @param firstErrors up to three distinct error descriptions, in the order seen
 */
public record LoadRun(Histogram micros, long errors, Duration elapsed, List<String> firstErrors) {
    public LoadRun {
        firstErrors = List.copyOf(firstErrors);
    }
}
