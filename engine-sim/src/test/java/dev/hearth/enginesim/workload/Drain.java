package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** What every generator's test checks the same way: draining, repeatability, arrival order, token range. */
final class Drain {
    private Drain() {}

    /** Every request, after checking the iterator yields exactly {@code size()} of them. */
    static List<WorkloadRequest> all(Workload w) {
        List<WorkloadRequest> out = new ArrayList<>();
        Iterator<WorkloadRequest> it = w.requests();
        while (it.hasNext()) {
            out.add(it.next());
        }
        assertEquals(w.size(), out.size(), "size() is what the iterator yields");
        assertThrows(NoSuchElementException.class, it::next);
        return out;
    }

    /** Two runs of one workload, or two workloads of one seed, yield the very same requests. */
    static void assertSame(List<WorkloadRequest> a, List<WorkloadRequest> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            WorkloadRequest x = a.get(i);
            WorkloadRequest y = b.get(i);
            assertEquals(x.arrival(), y.arrival(), "arrival of " + i);
            assertEquals(x.id(), y.id());
            assertArrayEquals(x.prompt(), y.prompt(), "prompt of " + i);
            assertEquals(x.outputTokens(), y.outputTokens());
            assertEquals(x.sessionKey(), y.sessionKey());
        }
    }

    /** How many requests of {@code a} and {@code b}, position by position, have different prompts. */
    static long differentPrompts(List<WorkloadRequest> a, List<WorkloadRequest> b) {
        long n = 0;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            n += java.util.Arrays.equals(a.get(i).prompt(), b.get(i).prompt()) ? 0 : 1;
        }
        return n;
    }

    static void assertArrivalsInOrderFromZero(List<WorkloadRequest> requests) {
        assertEquals(0.0, requests.get(0).arrival(), "the first request arrives at 0");
        for (int i = 1; i < requests.size(); i++) {
            assertTrue(requests.get(i).arrival() >= requests.get(i - 1).arrival(), "arrivals never go back, at " + i);
        }
    }

    static void assertTokensInRange(List<WorkloadRequest> requests) {
        for (WorkloadRequest r : requests) {
            for (int t : r.prompt()) {
                assertTrue(t >= 1_000 && t < 141_000, "token " + t + " of " + r.id());
            }
        }
    }

    static void assertUniqueIds(List<WorkloadRequest> requests) {
        assertEquals(requests.size(), requests.stream().map(WorkloadRequest::id).distinct().count(), "request ids are unique");
    }

    /** How many leading tokens two prompts share. */
    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    static boolean startsWith(int[] prompt, int[] prefix) {
        return prompt.length >= prefix.length && commonPrefix(prompt, prefix) == prefix.length;
    }

    /** The gaps between consecutive arrivals: their mean's inverse is the rate, their coefficient of variation 1 if Poisson. */
    static double[] gaps(List<WorkloadRequest> requests) {
        double[] g = new double[requests.size() - 1];
        for (int i = 1; i < requests.size(); i++) {
            g[i - 1] = requests.get(i).arrival() - requests.get(i - 1).arrival();
        }
        return g;
    }

    static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }

    static double coefficientOfVariation(double[] xs) {
        double m = mean(xs);
        double s = 0;
        for (double x : xs) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (xs.length - 1)) / m;
    }

    /** parameters() lists every default, in the defaults' order. */
    static void assertParametersAreTheDefaults(Workload w, Map<String, Number> defaults) {
        assertEquals(List.copyOf(defaults.keySet()), List.copyOf(w.parameters().keySet()), "keys in a stable order");
        assertEquals(defaults, w.parameters());
    }

    /** The message of the IllegalArgumentException {@code r} throws. */
    static String refusal(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }
}
