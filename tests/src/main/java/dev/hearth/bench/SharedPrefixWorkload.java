package dev.hearth.bench;

import dev.hearth.enginesim.engine.OutputListener;
import dev.hearth.enginesim.engine.Replay;
import dev.hearth.enginesim.engine.Sampling;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A seeded stream of requests for one engine: Poisson arrivals at {@code rate} per simulated
 * second; each prompt is {@code promptTokens} long, its first half one of {@code groups} shared
 * prefixes (a system prompt or document), the rest unique. Prompts are made as they are asked for.
 */
public final class SharedPrefixWorkload implements Iterator<Replay.Arrival> {
    private final int requests;
    private final int promptTokens;
    private final int outputTokens;
    private final int groups;
    private final double rate;
    private final OutputListener listener;
    private final SplittableRandom random;
    private double time;
    private int made;

    public SharedPrefixWorkload(int requests, int promptTokens, int outputTokens, int groups, double rate, long seed,
                                OutputListener listener) {
        this.requests = requests;
        this.promptTokens = promptTokens;
        this.outputTokens = outputTokens;
        this.groups = groups;
        this.rate = rate;
        this.listener = listener;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public boolean hasNext() {
        return made < requests;
    }

    @Override
    public Replay.Arrival next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        time += -Math.log(1 - random.nextDouble()) / rate;
        return new Replay.Arrival(time, "r" + made++, prompt(), null, Sampling.maxTokens(outputTokens), listener);
    }

    /** The prompt's tokens: a group's shared half, then unique ids. */
    public int[] prompt() {
        int[] p = new int[promptTokens];
        int shared = promptTokens / 2;
        int group = random.nextInt(groups);
        for (int i = 0; i < shared; i++) {
            p[i] = 1_000 + (group * 7_919 + i) % 140_000;
        }
        for (int i = shared; i < promptTokens; i++) {
            p[i] = 10_000 + random.nextInt(140_000);
        }
        return p;
    }
}
