package org.fabai.adc.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The balanced sample the boosting, the SVM and logistic regression train on. */
class BalancedSampleTest {

    /** Labels: class 0 has {@code big} rows, class 1 {@code mid}, class 2 {@code small}, interleaved. */
    private static int[] labels(int big, int mid, int small) {
        int[] y = new int[big + mid + small];
        int i = 0;
        for (int c = 0; c < big; c++) {
            y[i++] = 0;
        }
        for (int c = 0; c < mid; c++) {
            y[i++] = 1;
        }
        for (int c = 0; c < small; c++) {
            y[i++] = 2;
        }
        // interleave deterministically so that class rows are not contiguous
        int[] out = new int[y.length];
        int step = 7;
        int pos = 0;
        for (int v : y) {
            out[pos] = v;
            pos = (pos + step) % y.length;
        }
        return out;
    }

    private static int[] countsOf(int[] y, int[] rows, int k) {
        int[] n = new int[k];
        for (int r : rows) {
            n[y[r]]++;
        }
        return n;
    }

    @Test
    void aClassAboveTheCapGivesADistinctRandomSubsetAndRarerClassesAreRepeatedUpToIt() {
        // a fab's natural mix: 85 % 'none'
        int[] y = labels(8500, 1200, 300);
        int[] rows = Learner.Fits.balancedSample(y, 3, 2000, 5L);
        assertArrayEquals(new int[] {2000, 2000, 2000}, countsOf(y, rows, 3));
        Set<Integer> big = new HashSet<>();
        Set<Integer> mid = new HashSet<>();
        Set<Integer> small = new HashSet<>();
        for (int r : rows) {
            (y[r] == 0 ? big : y[r] == 1 ? mid : small).add(r);
        }
        assertEquals(2000, big.size(), "the subsampled class has no repeats");
        assertEquals(1200, mid.size(), "a class below the cap keeps every row");
        assertEquals(300, small.size(), "a class below the cap keeps every row");
        // the subset is spread over the whole class, not its first rows
        int[] bigRows = big.stream().mapToInt(Integer::intValue).sorted().toArray();
        assertTrue(bigRows[bigRows.length - 1] > y.length * 0.9, "the subset reaches the last rows");
        assertTrue(bigRows[0] < y.length * 0.1, "the subset reaches the first rows");
    }

    @Test
    void belowTheCapEveryClassIsOversampledToTheLargestAsWithoutACap() {
        int[] y = labels(400, 120, 30);
        int[] capped = Learner.Fits.balancedSample(y, 3, 2000, 9L);
        int[] uncapped = Learner.Fits.balancedSample(y, 3, Integer.MAX_VALUE, 9L);
        assertArrayEquals(uncapped, capped, "the cap changes nothing while every class is below it");
        assertArrayEquals(new int[] {400, 400, 400}, countsOf(y, capped, 3));
        int[] distinct = {0, 0, 0};
        Set<Integer> seen = new HashSet<>();
        for (int r : capped) {
            if (seen.add(r)) {
                distinct[y[r]]++;
            }
        }
        assertArrayEquals(new int[] {400, 120, 30}, distinct, "no row is lost");
    }

    @Test
    void theSampleIsReproducibleFromItsSeedAndAnEmptyClassStaysEmpty() {
        int[] y = labels(5000, 50, 0);
        int[] a = Learner.Fits.balancedSample(y, 3, 1000, 3L);
        int[] b = Learner.Fits.balancedSample(y, 3, 1000, 3L);
        int[] c = Learner.Fits.balancedSample(y, 3, 1000, 4L);
        assertArrayEquals(a, b);
        assertTrue(!Arrays.equals(a, c), "another seed draws another subset");
        assertArrayEquals(new int[] {1000, 1000, 0}, countsOf(y, a, 3));
    }

    @Test
    void theCapIsPartOfTheConfigurationAndFilesWithoutItReadAsUncapped() {
        FeatureClassifierConfig cfg = FeatureClassifierConfig.realDataDefaults(3);
        assertEquals(FeatureClassifierConfig.BALANCED_CLASS_CAP, cfg.balancedClassCap());
        java.util.Map<String, String> h = cfg.toHeader();
        assertEquals(cfg, FeatureClassifierConfig.fromHeader(h));
        h.remove("config.balancedClassCap");
        assertEquals(Integer.MAX_VALUE, FeatureClassifierConfig.fromHeader(h).balancedClassCap(),
                "a file written before the cap was fitted uncapped and must re-fit so");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new FeatureClassifierConfig(FeatureClassifierConfig.Algorithm.SVM, 100, 10, 100, 1, 0.1, 1, 1, 1,
                        true, 0, 0.2, 0.02, 1));
        assertEquals("balancedClassCap must be in [1, 2147483647], got 0", e.getMessage());
        assertEquals(FeatureClassifierConfig.BALANCED_CLASS_CAP, new FeatureClassifierConfig(
                FeatureClassifierConfig.Algorithm.SVM, 100, 10, 100, 1, 0.1, 1, 1, 1, true, 0.2, 0.02, 1).balancedClassCap(),
                "the form without a cap gets the default");
    }
}
