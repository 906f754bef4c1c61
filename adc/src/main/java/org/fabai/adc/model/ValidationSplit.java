package org.fabai.adc.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How a classifier holds labelled maps out of its training to stop early, measure itself and
 * calibrate its reject threshold: whole lots when the maps name enough of them (a threshold
 * calibrated on maps of the training lots is too lenient on new lots, and early stopping on them
 * picks the epoch that memorises the lots), else a stratified share of each class. The small
 * model ({@code FeatureClassifier} in fabai-adc-smile) and the CNN both split this way, and record
 * the unit ({@code validation.split = lots | maps}) in their provenance. Seeded; stateless and
 * thread-safe.
 */
public final class ValidationSplit {

    private ValidationSplit() {
    }

    /**
     * Holds out {@code fraction} of each class (at least one map of every class with two or more),
     * chosen at random.
     *
     * @param y        per map its class index in {@code [0, k)}
     * @param k        the number of classes
     * @param fraction the share to hold out, in (0, 1)
     * @param seed     the seed of the random choice
     * @param trainIdx receives the indices of the training maps
     * @param valIdx   receives the indices of the held-out maps
     */
    public static void stratified(int[] y, int k, double fraction, long seed, List<Integer> trainIdx,
                                  List<Integer> valIdx) {
        checkFraction(fraction);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int c = 0; c < k; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < y.length; i++) {
                if (y[i] == c) {
                    members.add(i);
                }
            }
            for (int i = members.size() - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                Collections.swap(members, i, j);
            }
            int nv = members.size() < 2 ? 0 : Math.max(1, (int) Math.round(members.size() * fraction));
            valIdx.addAll(members.subList(0, nv));
            trainIdx.addAll(members.subList(nv, members.size()));
        }
    }

    /**
     * Holds out whole lots, in a seeded random order, until {@code fraction} of the maps are held
     * out; a lot is skipped when holding it out would leave a class with no training map.
     * Maps without a lot id are lots of their own.
     *
     * @return false (nothing decided) when the maps name fewer than 5 distinct lots, or when the
     *         held-out lots would cover fewer than half of the classes with 2 or more maps: then the
     *         split is by map (and the two lists are left untouched)
     * @param y        per map its class index in {@code [0, k)}
     * @param k        the number of classes
     * @param lots     per map its lot id; null or empty when unknown
     * @param fraction the share of maps to hold out, in (0, 1)
     * @param seed     the seed of the lot order
     * @param trainIdx receives the indices of the training maps
     * @param valIdx   receives the indices of the held-out maps
     */
    public static boolean byLots(int[] y, int k, String[] lots, double fraction, long seed,
                                 List<Integer> trainIdx, List<Integer> valIdx) {
        checkFraction(fraction);
        if (lots.length != y.length) {
            throw new IllegalArgumentException("lots has " + lots.length + " entries for " + y.length + " maps");
        }
        Map<String, List<Integer>> byLot = new java.util.TreeMap<>();
        int named = 0;
        for (int i = 0; i < y.length; i++) {
            String lot = lots[i];
            if (lot != null && !lot.isEmpty()) {
                named++;
            }
            byLot.computeIfAbsent(lot == null || lot.isEmpty() ? "\u0000map " + i : lot, key -> new ArrayList<>()).add(i);
        }
        if (named == 0 || byLot.size() < 5) {
            return false;
        }
        List<List<Integer>> groups = new ArrayList<>(byLot.values());
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = groups.size() - 1; i > 0; i--) {
            Collections.swap(groups, i, rng.nextInt(i + 1));
        }
        int[] left = new int[k];
        for (int v : y) {
            left[v]++;
        }
        int[] held = new int[k];
        long target = Math.round(y.length * fraction);
        boolean[] val = new boolean[y.length];
        int n = 0;
        for (List<Integer> g : groups) {
            if (n >= target) {
                break;
            }
            int[] need = new int[k];
            for (int i : g) {
                need[y[i]]++;
            }
            boolean ok = true;
            for (int c = 0; c < k; c++) {
                ok &= need[c] == 0 || left[c] - need[c] >= 1;
            }
            if (!ok) {
                continue;
            }
            for (int i : g) {
                val[i] = true;
                left[y[i]]--;
                held[y[i]]++;
            }
            n += g.size();
        }
        int classesWithTwo = 0;
        int covered = 0;
        for (int c = 0; c < k; c++) {
            if (held[c] + left[c] >= 2) {
                classesWithTwo++;
                covered += held[c] > 0 ? 1 : 0;
            }
        }
        if (n == 0 || 2 * covered < classesWithTwo) {
            return false;
        }
        for (int i = 0; i < y.length; i++) {
            (val[i] ? valIdx : trainIdx).add(i);
        }
        return true;
    }

    private static void checkFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the held-out fraction must be in (0, 1), got " + fraction);
        }
    }
}
