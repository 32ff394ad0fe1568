package dev.hearth.enginesim.workload;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How fast a workload is replayed: at its own timing scaled by a factor ({@code --rate-scale}: 2
 * replays an hour of trace in half an hour), or at a fixed mean rate with Poisson arrivals
 * ({@code --rate}, as vLLM's benchmark_serving.py draws them with burstiness 1), keeping the
 * requests' order. Sessions and prompts are untouched, so a conversation's turns keep their order.
 */
public record RateControl(double scale, double fixedRate, long seed) {
    public RateControl {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("--rate-scale must be a positive number, was " + scale);
        }
        if (fixedRate < 0 || Double.isNaN(fixedRate) || Double.isInfinite(fixedRate)) {
            throw new IllegalArgumentException("--rate must be a positive number of requests per second, was " + fixedRate);
        }
    }

    public static RateControl asRecorded() {
        return new RateControl(1, 0, 0);
    }

    public static RateControl scaled(double scale) {
        return new RateControl(scale, 0, 0);
    }

    public static RateControl fixed(double requestsPerSecond, long seed) {
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("--rate must be a positive number of requests per second, was " + requestsPerSecond);
        }
        return new RateControl(1, requestsPerSecond, seed);
    }

    /** The same control, {@code factor} times faster: how the saturation search and the rate sweep step. */
    public RateControl times(double factor) {
        return fixedRate > 0 ? new RateControl(1, fixedRate * factor, seed) : new RateControl(scale * factor, 0, seed);
    }

    /** A printable description: {@code x1.5} or {@code 4.0 req/s (Poisson)}. */
    public String describe() {
        return fixedRate > 0 ? String.format(java.util.Locale.ROOT, "%.3g req/s (Poisson, seed %d)", fixedRate, seed)
                : String.format(java.util.Locale.ROOT, "recorded timing x%.3g", scale);
    }

    public Workload apply(Workload w) {
        RateControl control = this;
        return new Workload() {
            @Override
            public String name() {
                return w.name();
            }

            @Override
            public Map<String, Object> parameters() {
                Map<String, Object> p = new LinkedHashMap<>(w.parameters());
                p.put("arrivals", control.describe());
                return p;
            }

            @Override
            public int size() {
                return w.size();
            }

            @Override
            public Iterator<WorkloadRequest> requests() {
                Iterator<WorkloadRequest> in = w.requests();
                SplittableRandom random = new SplittableRandom(seed);
                return new Iterator<>() {
                    double t;

                    @Override
                    public boolean hasNext() {
                        return in.hasNext();
                    }

                    @Override
                    public WorkloadRequest next() {
                        WorkloadRequest r = in.next();
                        if (fixedRate > 0) {
                            t += -Math.log(1 - random.nextDouble()) / fixedRate;
                            return r.at(t);
                        }
                        return r.at(r.arrival() / scale);
                    }
                };
            }
        };
    }
}
