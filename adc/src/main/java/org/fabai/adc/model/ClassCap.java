package org.fabai.adc.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The most examples of one class a training pass takes, and the draw that keeps a larger class to
 * it: the small model's balanced sample ({@code FeatureClassifierConfig.balancedClassCap}) and the
 * CNN's epochs both use it. A fab's natural mix is about 85 % {@code none}; without a cap, balancing
 * or one pass over every map grows with that one class. Stateless; thread-safe.
 */
public final class ClassCap {

    /**
     * The default cap: 2,000 examples of a class, so nine classes make at most 18,000 per pass
     * whatever the data size; every class of a few thousand labelled maps is below it.
     */
    public static final int DEFAULT = 2000;

    private ClassCap() {
    }

    /**
     * @param items   the items (row or map indices)
     * @param classOf the class of each item, in [0, k), parallel to {@code items}
     * @param k       number of classes
     * @return per class, its items in their order
     */
    public static List<List<Integer>> byClass(int[] items, int[] classOf, int k) {
        List<List<Integer>> by = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            by.add(new ArrayList<>());
        }
        for (int i = 0; i < items.length; i++) {
            by.get(classOf[i]).add(items[i]);
        }
        return by;
    }

    /**
     * A uniform random subset of a class, without repeats: a partial Fisher-Yates shuffle of a
     * copy, {@code count} draws from {@code rnd}.
     *
     * @param members the class's items
     * @param count   the most items to keep, at least 0
     * @param rnd     the random stream
     * @return {@code members} itself when it holds at most {@code count} items (no draw), otherwise
     *         {@code count} of them in random order
     */
    public static List<Integer> randomSubset(List<Integer> members, int count, RandomGenerator rnd) {
        if (members.size() <= count) {
            return members;
        }
        List<Integer> pick = new ArrayList<>(members);
        for (int i = 0; i < count; i++) {
            Collections.swap(pick, i, i + rnd.nextInt(pick.size() - i));
        }
        return pick.subList(0, count);
    }
}
