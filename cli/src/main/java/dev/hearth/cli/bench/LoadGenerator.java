package dev.hearth.cli.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * A closed loop: {@code concurrency} virtual threads, each sending its next request as soon as the
 * last one is answered, until the run's count is spent. HTTP/1.1 with the JDK's client, whose
 * connections are kept alive and reused, as a service calling a gateway would. Each worker records
 * into its own histogram (no contention between them); they are added up at the end.
 */
public final class LoadGenerator {
    private final int concurrency;
    private final ChatRequests requests;
    private final Duration timeout;

    public LoadGenerator(int concurrency, ChatRequests requests, Duration timeout) {
        this.concurrency = concurrency;
        this.requests = requests;
        this.timeout = timeout;
    }

    /**
     * Sends {@code count} requests, request {@code i} to {@code bases[i % n]} (so a list of engines
     * is balanced round robin by the client itself); {@code done} counts answers as they come, for
     * progress.
     */
    public LoadRun run(List<URI> bases, int count, AtomicLong done) throws InterruptedException {
        List<URI> urls = bases.stream().map(b -> b.resolve(ChatRequests.PATH)).toList();
        AtomicInteger next = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        List<String> firstErrors = new ArrayList<>();
        Histogram all = new Histogram(3);
        long start = System.nanoTime();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
             ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Histogram>> running = new ArrayList<>();
            for (int w = 0; w < Math.min(concurrency, count); w++) {
                running.add(workers.submit(() -> {
                    Histogram mine = new Histogram(3);
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        String problem = send(http, urls.get(i % urls.size()), i, mine);
                        if (problem != null) {
                            errors.incrementAndGet();
                            synchronized (firstErrors) {
                                if (firstErrors.size() < LoadResult.KEPT_ERRORS && !firstErrors.contains(problem)) {
                                    firstErrors.add(problem);
                                }
                            }
                        }
                        done.incrementAndGet();
                    }
                    return mine;
                }));
            }
            for (Future<Histogram> f : running) {
                all.add(f.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("a load worker failed: " + e.getCause(), e.getCause());
        }
        return new LoadRun(all, errors.get(), Duration.ofNanos(System.nanoTime() - start), firstErrors);
    }

    /** One request, timed from just before sending to the last byte read; null when the answer is good. */
    private String send(HttpClient http, URI url, int i, Histogram latencies) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requests.body(i))).build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - t0) / 1_000;
            String problem = requests.problem(r.statusCode(), r.body());
            if (problem == null) {
                latencies.recordValue(Math.max(1, micros));
            }
            return problem;
        } catch (java.io.IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }
}
