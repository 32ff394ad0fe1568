package dev.hearth.enginesim.engine;

import dev.hearth.enginesim.kv.KvEvent;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives an {@link EngineCore} against the wall clock, as a served engine's busy loop does
 * (vllm/v1/engine/core.py, EngineCore.run_busy_loop): commands from request threads are applied
 * between steps, each step's duration is slept through (divided by {@code timeScale}, so a test
 * can run simulated time faster), then its outputs are delivered and its KV events published.
 *
 * <p>The engine keeps its own simulated clock: steps follow each other back to back, and an idle
 * engine starts its next step at the arrival of the request that woke it. Simulated latencies are
 * therefore sums of modelled step times, free of thread wake-ups and sleep overshoot, which a large
 * time scale would otherwise magnify. Arrivals are stamped from the wall clock (times the scale)
 * and never later than the step that admits them.
 */
public final class EngineLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EngineLoop.class);

    private final EngineCore core;
    private final double timeScale;
    private final Consumer<List<KvEvent>> eventSink;
    private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private double clock;
    private final long wallBase = System.nanoTime();
    private final Thread thread;
    private volatile boolean closed;
    private volatile int running;
    private volatile int waiting;
    private volatile double kvUsage;

    public EngineLoop(EngineCore core, double timeScale, Consumer<List<KvEvent>> eventSink) {
        if (!(timeScale > 0)) {
            throw new IllegalArgumentException("--time-scale must be positive, was " + timeScale);
        }
        this.core = core;
        this.timeScale = timeScale;
        this.eventSink = eventSink;
        this.thread = Thread.ofPlatform().name("engine-loop").daemon(true).start(this::run);
    }

    /** Simulated seconds since the engine started. */
    public double now() {
        return (System.nanoTime() - wallBase) / 1e9 * timeScale;
    }

    public double timeScale() {
        return timeScale;
    }

    public EngineCore core() {
        return core;
    }

    public int running() {
        return running;
    }

    public int waiting() {
        return waiting;
    }

    public double kvUsage() {
        return kvUsage;
    }

    /** Queues a request; outputs reach {@code listener} on the loop thread. */
    public void submit(String id, int[] prompt, String salt, Sampling sampling, OutputListener listener) {
        double arrival = now();
        commands.add(new Command(arrival, start -> core.submit(id, prompt, salt, sampling, listener,
                Math.min(arrival, start))));
    }

    /** Cancels a request (the client went away); its KV blocks are freed before the next step. */
    public void abort(String id) {
        commands.add(new Command(Double.NaN, start -> core.abort(id)));
    }

    /** Resets the prefix cache when nothing runs; completes with whether it did. */
    public CompletableFuture<Boolean> resetPrefixCache() {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        commands.add(new Command(Double.NaN, start -> done.complete(core.resetPrefixCache())));
        return done;
    }

    private void run() {
        while (!closed) {
            try {
                boolean wasIdle = core.idle();
                java.util.List<Command> pending = new java.util.ArrayList<>();
                if (wasIdle) {
                    Command first = commands.poll(100, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        pending.add(first);
                    }
                }
                commands.drainTo(pending);
                double start = clock;
                if (wasIdle) {
                    double earliest = pending.stream().mapToDouble(Command::arrival).filter(a -> !Double.isNaN(a))
                            .min().orElse(clock);
                    start = Math.max(clock, earliest);
                }
                for (Command c : pending) {
                    c.action().accept(start);
                }
                EngineCore.StepResult step = core.step(start);
                if (!step.events().isEmpty() && step.idle()) {
                    eventSink.accept(step.events()); // e.g. AllBlocksCleared from a reset
                }
                if (step.idle()) {
                    publishGauges();
                    continue;
                }
                publishGauges();
                clock = start + step.duration();
                sleepUntil(clock);
                for (EngineCore.Delivery d : step.deliveries()) {
                    try {
                        d.deliver();
                    } catch (RuntimeException e) {
                        LOG.warn("output listener failed for {}: {}", d.output().requestId(), e.toString());
                    }
                }
                publishGauges();
                if (!step.events().isEmpty()) {
                    eventSink.accept(step.events());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("engine step failed", e);
            }
        }
    }

    /** A change requested by a request thread; {@code arrival} is NaN for anything but a new request. */
    private record Command(double arrival, java.util.function.DoubleConsumer action) {}

    private void publishGauges() {
        running = core.running();
        waiting = core.waiting();
        kvUsage = core.pool().usage();
    }

    private void sleepUntil(double simTime) {
        double left;
        while (!closed && (left = simTime - now()) > 0) {
            LockSupport.parkNanos((long) (left / timeScale * 1e9));
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
