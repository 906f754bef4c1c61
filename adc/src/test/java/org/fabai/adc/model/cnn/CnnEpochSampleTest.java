package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The maps of one CNN epoch when a class is larger than {@link CnnTrainer#EPOCH_CLASS_CAP}. */
class CnnEpochSampleTest {

    /** Training maps 1000..: class 0 has {@code big} maps, class 1 {@code small}, alternating at the start. */
    private static int[][] trainAndClasses(int big, int small) {
        int n = big + small;
        int[] train = new int[n];
        int[] cls = new int[n];
        int b = 0;
        int s = 0;
        for (int i = 0; i < n; i++) {
            train[i] = 1000 + i;
            boolean takeSmall = s < small && (b >= big || i % 2 == 1);
            cls[i] = takeSmall ? 1 : 0;
            if (takeSmall) {
                s++;
            } else {
                b++;
            }
        }
        return new int[][] {train, cls};
    }

    @Test
    void aLargeClassGivesAFreshCappedDrawEachEpochAndSmallerClassesEveryMap() {
        int[][] tc = trainAndClasses(9000, 700);
        Random rnd = new Random(1);
        int[] e1 = CnnTrainer.epochSample(tc[0], tc[1], 2, 2000, rnd);
        int[] e2 = CnnTrainer.epochSample(tc[0], tc[1], 2, 2000, rnd);
        assertEquals(2700, e1.length);
        assertEquals(2700, CnnTrainer.epochSize(tc[1], 2, 2000));
        Set<Integer> small = new HashSet<>();
        Set<Integer> big1 = new HashSet<>();
        Set<Integer> big2 = new HashSet<>();
        for (int i = 0; i < tc[0].length; i++) {
            if (tc[1][i] == 1) {
                small.add(tc[0][i]);
            }
        }
        for (int m : e1) {
            assertTrue(m >= 1000 && m < 1000 + tc[0].length, "only training maps");
            if (!small.contains(m)) {
                big1.add(m);
            }
        }
        for (int m : e2) {
            if (!small.contains(m)) {
                big2.add(m);
            }
        }
        assertEquals(2000, big1.size(), "the capped class has no repeats");
        assertTrue(Arrays.stream(e1).boxed().toList().containsAll(small), "every map of the smaller class");
        assertNotEquals(big1, big2, "each epoch draws afresh");
        Set<Integer> both = new HashSet<>(big1);
        both.addAll(big2);
        assertTrue(both.size() > 3000, "two epochs see more of the large class than one: " + both.size());
    }

    @Test
    void classWeightsFollowAnEpochsCounts() {
        // 9,000 and 700 maps: an epoch holds 2,000 and 700, and the weights are those of these counts
        float[] capped = CnnTrainer.classWeights(new int[] {2000, 700}, 0.5);
        float[] uncapped = CnnTrainer.classWeights(new int[] {9000, 700}, 0.5);
        assertTrue(capped[0] > uncapped[0] && capped[1] < uncapped[1], Arrays.toString(capped) + " vs " + Arrays.toString(uncapped));
        assertArrayEquals(new float[] {(float) Math.sqrt(2700 / 4000.0), (float) Math.sqrt(2700 / 1400.0)}, capped, 1e-6f);
    }

    @Test
    void belowTheCapAnEpochIsEveryTrainingMap() {
        int[][] tc = trainAndClasses(1500, 300);
        int[] e = CnnTrainer.epochSample(tc[0], tc[1], 2, 2000, new Random(3));
        int[] sorted = e.clone();
        Arrays.sort(sorted);
        assertArrayEquals(tc[0], sorted);
    }
}
