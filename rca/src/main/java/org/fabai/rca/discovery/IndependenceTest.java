package org.fabai.rca.discovery;

import java.util.List;

/**
 * A conditional independence test over the variables of one data set: the p-value of the null
 * hypothesis {@code X ⟂ Y | S}. Implementations must be safe to call from several threads at once
 * (the PC search runs tests in parallel).
 */
public interface IndependenceTest {

    /** @return variable names, indexed as in {@link #pValue} */
    List<String> variables();

    /**
     * @param x first variable index
     * @param y second variable index
     * @param s conditioning set (indices, none equal to x or y)
     * @return p-value of independence of x and y given s, in [0, 1]
     */
    double pValue(int x, int y, int[] s);

    /** @return a short name of the test, e.g. {@code "fisher-z"} */
    String name();
}
