package dev.hearth.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a target's runs measured, summed. Latencies and the rate count good answers only; a failed
 * request is an error, counted and described, never a fast sample.
 *
 * @param completed   good answers
 * @param errors      requests that failed (status, body, or the connection)
 * @param p50Ms       median latency of good answers, milliseconds
 * @param p99Ms       99th percentile, milliseconds
 * @param rps         good answers per second of the runs' wall time
 * @param elapsed     the runs' wall time
 * @param firstErrors up to three distinct error descriptions, in the order seen
 */
public record LoadResult(long completed, long errors, double p50Ms, double p99Ms, double rps, Duration elapsed,
                         List<String> firstErrors) {
    static final int KEPT_ERRORS = 3;

    public LoadResult {
        firstErrors = List.copyOf(firstErrors);
    }

    /** The runs together: latencies in one histogram, errors and wall time added up. */
    static LoadResult of(List<LoadRun> runs) {
        Histogram micros = new Histogram(3);
        long errors = 0;
        Duration elapsed = Duration.ZERO;
        List<String> firstErrors = new ArrayList<>();
        for (LoadRun r : runs) {
            micros.add(r.micros());
            errors += r.errors();
            elapsed = elapsed.plus(r.elapsed());
            r.firstErrors().stream().filter(e -> !firstErrors.contains(e)).forEach(firstErrors::add);
        }
        long n = micros.getTotalCount();
        double seconds = elapsed.toNanos() / 1e9;
        return new LoadResult(n, errors, n == 0 ? 0 : micros.getValueAtPercentile(50) / 1_000.0,
                n == 0 ? 0 : micros.getValueAtPercentile(99) / 1_000.0, seconds > 0 ? n / seconds : 0, elapsed,
                firstErrors.subList(0, Math.min(KEPT_ERRORS, firstErrors.size())));
    }
}
