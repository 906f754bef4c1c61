package org.fabai.adc.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How {@link FeatureClassifier} holds maps out of its first fit to measure the model and calibrate
 * its reject threshold: whole lots when the maps name enough of them, else a stratified share of
 * each class. Seeded; stateless and thread-safe.
 */
final class ValidationSplit {

    private ValidationSplit() {
    }

    /** Holds out {@code validationFraction} of each class, chosen at random (seeded). */
    static void stratified(int[] y, int k, FeatureClassifierConfig config, List<Integer> trainIdx,
                           List<Integer> valIdx) {
        SplittableRandom rng = new SplittableRandom(config.seed());
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
            int nv = members.size() < 2 ? 0 : Math.max(1, (int) Math.round(members.size() * config.validationFraction()));
            valIdx.addAll(members.subList(0, nv));
            trainIdx.addAll(members.subList(nv, members.size()));
        }
    }

    /**
     * Holds out whole lots, in a seeded random order, until {@code validationFraction} of the maps
     * are held out; a lot is skipped when holding it out would leave a class with no training map.
     * Maps without a lot id are lots of their own.
     *
     * @return false (nothing decided) when the maps name fewer than 5 distinct lots, or when the
     *         held-out lots would cover fewer than half of the classes with 2 or more maps: then the
     *         split is by map
     */
    static boolean byLots(int[] y, int k, String[] lots, FeatureClassifierConfig config,
                                       List<Integer> trainIdx, List<Integer> valIdx) {
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
        SplittableRandom rng = new SplittableRandom(config.seed());
        for (int i = groups.size() - 1; i > 0; i--) {
            Collections.swap(groups, i, rng.nextInt(i + 1));
        }
        int[] left = new int[k];
        for (int v : y) {
            left[v]++;
        }
        int[] held = new int[k];
        long target = Math.round(y.length * config.validationFraction());
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
}
