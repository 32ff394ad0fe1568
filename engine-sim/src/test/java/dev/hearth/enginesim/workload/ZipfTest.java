package dev.hearth.enginesim.workload;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ZipfTest {
    @Test
    void ranksAreDrawnInProportionToOneOverRankToTheExponent() {
        Zipf zipf = new Zipf(1000, 1.1);
        SplittableRandom rng = new SplittableRandom(3);
        int draws = 400_000;
        int[] count = new int[1000];
        for (int i = 0; i < draws; i++) {
            count[zipf.sample(rng)]++;
        }
        assertEquals(zipf.probability(0), (double) count[0] / draws, 0.005, "the top rank's share");
        for (int rank : new int[] {2, 5, 10}) {
            double ratio = (double) count[0] / count[rank - 1];
            assertEquals(Math.pow(rank, 1.1), ratio, Math.pow(rank, 1.1) * 0.1, "rank 1 over rank " + rank);
        }
    }

    @Test
    void exponentZeroIsUniform() {
        Zipf zipf = new Zipf(10, 0);
        SplittableRandom rng = new SplittableRandom(5);
        int[] count = new int[10];
        for (int i = 0; i < 100_000; i++) {
            count[zipf.sample(rng)]++;
        }
        for (int c : count) {
            assertEquals(10_000, c, 400);
        }
    }

    @Test
    void theSameStreamDrawsTheSameRanks() {
        Zipf zipf = new Zipf(500, 1.2);
        SplittableRandom a = new SplittableRandom(11);
        SplittableRandom b = new SplittableRandom(11);
        for (int i = 0; i < 1000; i++) {
            assertArrayEquals(zipf.sampleDistinct(a, 4), zipf.sampleDistinct(b, 4));
        }
    }

    @Test
    void distinctDrawsComeFromTheRanksNotYetDrawnWithTheirWeights() {
        Zipf zipf = new Zipf(3, 1.0); // weights 1, 1/2, 1/3
        SplittableRandom rng = new SplittableRandom(7);
        int firstWasTop = 0;
        int thenThird = 0;
        int firstWasSecond = 0;
        int thenTop = 0;
        for (int i = 0; i < 200_000; i++) {
            int[] d = zipf.sampleDistinct(rng, 3);
            int[] sorted = d.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 1, 2}, sorted, "all three, each once");
            if (d[0] == 0) {
                firstWasTop++;
                thenThird += d[1] == 2 ? 1 : 0;
            } else if (d[0] == 1) {
                firstWasSecond++;
                thenTop += d[1] == 0 ? 1 : 0;
            }
        }
        assertEquals(6.0 / 11, firstWasTop / 200_000.0, 0.01);
        assertEquals((1 / 3.0) / (1 / 2.0 + 1 / 3.0), (double) thenThird / firstWasTop, 0.01, "P(third | top drawn first)");
        assertEquals(1 / (1 + 1 / 3.0), (double) thenTop / firstWasSecond, 0.01, "P(top | second drawn first)");
    }

    @Test
    void aSteepDistributionStillYieldsEveryRankWhenAllAreDrawn() {
        Zipf zipf = new Zipf(64, 8.0);
        int[] d = zipf.sampleDistinct(new SplittableRandom(1), 64);
        assertEquals(64, Arrays.stream(d).distinct().count());
        assertThrows(IllegalArgumentException.class, () -> zipf.sampleDistinct(new SplittableRandom(1), 65));
    }
}
