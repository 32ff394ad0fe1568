package dev.hearth.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed loop of streaming chat completions: {@code concurrency} virtual threads, each sending its
 * next request when its last stream ended, until {@code requests} are spent. Request {@code i} goes to
 * {@code targets[i % n]} over client {@code i % clients} (the JDK's HttpClient, HTTP/1.1: one
 * connection per stream in flight, so several clients share the selector work). Every stream is read
 * to its end and checked as an OpenAI client would rely on it: status 200, {@code text/event-stream},
 * chunks with choices, a usage chunk, and {@code data: [DONE]} last.
 */
final class StreamingLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KEPT_ERRORS = 5;

    /** What one run came to: latencies in microseconds per good stream, and the errors. */
    record Figures(int requests, int errors, List<String> firstErrors, Duration wall, long[] ttfbMicros, long[] totalMicros) {
        double perSecond() {
            return requests / (wall.toNanos() / 1e9);
        }

        static long percentile(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
        }

        long ttfb(double p) {
            return percentile(ttfbMicros, p);
        }

        long total(double p) {
            return percentile(totalMicros, p);
        }
    }

    private final String model;
    private final int maxTokens;
    private final int clients;

    StreamingLoad(String model, int maxTokens, int clients) {
        this.model = model;
        this.maxTokens = maxTokens;
        this.clients = clients;
    }

    Figures run(List<URI> targets, int requests, int concurrency, String label) throws Exception {
        List<HttpClient> pool = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            pool.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(30)).build());
        }
        List<URI> urls = targets.stream().map(t -> t.resolve("/v1/chat/completions")).toList();
        long[] ttfb = new long[requests];
        long[] total = new long[requests];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<String> firstErrors = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < Math.min(concurrency, requests); w++) {
                running.add(workers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        String problem = stream(pool.get(i % clients), urls.get(i % urls.size()), label + " " + i, i, ttfb, total);
                        if (problem != null) {
                            errors.incrementAndGet();
                            ttfb[i] = -1;
                            synchronized (firstErrors) {
                                if (firstErrors.size() < KEPT_ERRORS) {
                                    firstErrors.add("request " + i + ": " + problem);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.forEach(HttpClient::close);
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        long[] goodTtfb = Arrays.stream(ttfb).filter(v -> v >= 0).sorted().toArray();
        long[] goodTotal = new long[0];
        if (goodTtfb.length > 0) {
            List<Long> t = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                if (ttfb[i] >= 0) {
                    t.add(total[i]);
                }
            }
            goodTotal = t.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        return new Figures(requests, errors.get(), firstErrors, wall, goodTtfb, goodTotal);
    }

    /** One stream read to its end; null when it is a good one, else what is wrong with it. */
    private String stream(HttpClient http, URI url, String content, int i, long[] ttfb, long[] total) {
        String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to " + content
                + "\"}],\"max_tokens\":" + maxTokens + ",\"temperature\":0.7,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}";
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long t0 = System.nanoTime();
        try {
            HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                if (r.statusCode() != 200) {
                    return "HTTP " + r.statusCode() + ": " + abbreviate(String.join(" ", in.lines().toList()));
                }
                if (!r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
                    return "not an event stream: " + r.headers().firstValue("content-type").orElse("no content-type");
                }
                int chunks = 0;
                int completionTokens = -1;
                String last = null;
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.startsWith("data: ")) {
                        continue;
                    }
                    if (last == null) {
                        ttfb[i] = (System.nanoTime() - t0) / 1_000;
                    }
                    if ("[DONE]".equals(last)) {
                        return "data after [DONE]: " + abbreviate(line);
                    }
                    last = line.substring(6);
                    if (last.equals("[DONE]")) {
                        continue;
                    }
                    JsonNode chunk = JSON.readTree(last);
                    if (chunk.has("error")) {
                        return "an error event: " + abbreviate(last);
                    }
                    if (chunk.path("choices").size() > 0) {
                        chunks++;
                    }
                    if (chunk.path("usage").isObject()) {
                        completionTokens = chunk.path("usage").path("completion_tokens").asInt(-1);
                    }
                }
                total[i] = (System.nanoTime() - t0) / 1_000;
                if (!"[DONE]".equals(last)) {
                    return "the stream ended without [DONE] after " + chunks + " chunks";
                }
                if (chunks == 0 || completionTokens <= 0) {
                    return "a stream with " + chunks + " chunks and completion_tokens " + completionTokens;
                }
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (Exception e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        String one = s.strip().replaceAll("\\s+", " ");
        return one.length() <= 160 ? one : one.substring(0, 160) + "...";
    }
}
