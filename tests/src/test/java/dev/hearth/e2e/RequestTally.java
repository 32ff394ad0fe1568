package dev.hearth.e2e;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests a fault scenario sent and what came of each: answered, or failed with its
 * explanation (the status and the error's message, the error event a stream ended with, or the
 * exception). {@link #line} is the scenario's count as the fault suite prints it.
 */
final class RequestTally {
    private final String scenario;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger succeeded = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

    RequestTally(String scenario) {
        this.scenario = scenario;
    }

    String scenario() {
        return scenario;
    }

    void answered() {
        sent.incrementAndGet();
        succeeded.incrementAndGet();
    }

    void failed(String explanation) {
        sent.incrementAndGet();
        failures.add(explanation);
    }

    int sent() {
        return sent.get();
    }

    int succeeded() {
        return succeeded.get();
    }

    int failed() {
        return failures.size();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    /** Each distinct explanation with how many failures it explains. */
    Map<String, Integer> explained() {
        Map<String, Integer> out = new TreeMap<>();
        failures.forEach(f -> out.merge(f, 1, Integer::sum));
        return out;
    }

    /** {@code FAULT scenario: sent N, succeeded N, failed N}, then each failure's explanation and count. */
    String line() {
        StringBuilder s = new StringBuilder("FAULT " + scenario + ": sent " + sent() + ", succeeded " + succeeded()
                + ", failed " + failed());
        explained().forEach((why, n) -> s.append("\n    ").append(n).append(" x ").append(why));
        return s.toString();
    }
}
