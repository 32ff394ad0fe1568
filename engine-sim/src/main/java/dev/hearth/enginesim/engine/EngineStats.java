package dev.hearth.enginesim.engine;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters an engine exports as Prometheus metrics. Written by the engine thread, read by
 * any thread, so everything is an adder or atomic; times are simulated seconds.
 */
public final class EngineStats {
    /** vLLM's TTFT buckets (vllm/v1/metrics/loggers.py, histogram_time_to_first_token). */
    public static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
        1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
    /** vLLM's request latency buckets (same file, histogram_e2e_time_request). */
    public static final double[] E2E_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0,
        50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

    public final LongAdder promptTokens = new LongAdder();
    public final LongAdder generationTokens = new LongAdder();
    public final LongAdder prefixQueries = new LongAdder();
    public final LongAdder prefixHits = new LongAdder();
    public final LongAdder requests = new LongAdder();
    /** SGLang's TTFT buckets (python/sglang/srt/metrics/collector.py, TokenizerMetricsCollector). */
    public static final double[] SGLANG_TTFT_BUCKETS = {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80,
        100, 200, 400};
    /** SGLang's request latency buckets (same file). */
    public static final double[] SGLANG_E2E_BUCKETS = {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80,
        100, 200, 400, 600, 1200, 1800, 2400};

    public final Histogram ttft;
    public final Histogram e2e;
    private final Map<FinishReason, LongAdder> finished = new EnumMap<>(FinishReason.class);

    /** With vLLM's buckets. */
    public EngineStats() {
        this(TTFT_BUCKETS, E2E_BUCKETS);
    }

    public EngineStats(double[] ttftBuckets, double[] e2eBuckets) {
        ttft = new Histogram(ttftBuckets);
        e2e = new Histogram(e2eBuckets);
        for (FinishReason r : FinishReason.values()) {
            finished.put(r, new LongAdder());
        }
    }

    public long finished(FinishReason reason) {
        return finished.get(reason).sum();
    }

    void recordFinish(FinishReason reason, double latency) {
        finished.get(reason).increment();
        e2e.observe(latency);
    }

    /** A cumulative histogram with fixed upper bounds, as Prometheus exposes it. */
    public static final class Histogram {
        private final double[] bounds;
        private final AtomicLongArray counts;
        private final DoubleAdder sum = new DoubleAdder();
        private final LongAdder count = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds.clone();
            this.counts = new AtomicLongArray(bounds.length);
        }

        void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts.incrementAndGet(i);
                    break;
                }
            }
            sum.add(v);
            count.increment();
        }

        public double[] bounds() {
            return bounds.clone();
        }

        /** Observations at or below {@code bounds[i]}, cumulative. */
        public long cumulative(int i) {
            long c = 0;
            for (int j = 0; j <= i; j++) {
                c += counts.get(j);
            }
            return c;
        }

        public double sum() {
            return sum.sum();
        }

        public long count() {
            return count.sum();
        }
    }
}
