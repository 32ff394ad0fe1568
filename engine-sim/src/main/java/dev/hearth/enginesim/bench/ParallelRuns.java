package dev.hearth.enginesim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Independent replays run at once on a few threads, their results gathered in the order given: a
 * benchmark's contenders share nothing but the workload, which is read-only. A replay's failure is
 * rethrown as it was, so a bad setting reads the same as when run alone.
 */
final class ParallelRuns {
    private ParallelRuns() {}

    static <T> List<T> all(int threads, List<Callable<T>> runs) {
        List<T> out = new ArrayList<>(runs.size());
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, runs.size())))) {
            List<Future<T>> futures = new ArrayList<>(runs.size());
            for (Callable<T> r : runs) {
                futures.add(pool.submit(r));
            }
            for (Future<T> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        return out;
    }
}
