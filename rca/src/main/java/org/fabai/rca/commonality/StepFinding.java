package org.fabai.rca.commonality;

import java.util.List;

/**
 * The commonality result of one step: does the tool that ran it go with the bad outcome, and
 * which tool is the culprit.
 *
 * Immutable and thread-safe.
 *
 * @param step          step id
 * @param test          test used ({@code kruskal-wallis}, {@code g-test}, {@code fisher-exact})
 * @param statistic     test statistic (H or G; for Fisher's exact, the smallest one-vs-rest p)
 * @param df            degrees of freedom (0 for Fisher's exact)
 * @param p             p-value of the step test
 * @param q             Benjamini-Hochberg adjusted p over all tested steps
 * @param effectSize    ε² (Kruskal-Wallis) or Cramér's V (binary)
 * @param effectName    {@code "epsilon^2"} or {@code "cramers-v"}
 * @param culprit       the tool that compares worst with the others
 * @param culpritQ      Benjamini-Hochberg adjusted post-hoc p of the culprit, over all (step, tool) comparisons
 * @param tools         all tools tested at this step, worst first
 * @param dropped       tools left out for having fewer than the minimum wafers
 */
public record StepFinding(String step, String test, double statistic, double df, double p, double q,
                          double effectSize, String effectName, ToolSummary culprit, double culpritQ,
                          List<ToolSummary> tools, List<String> dropped) {
    /** Copies the lists. */
    public StepFinding {
        tools = List.copyOf(tools);
        dropped = List.copyOf(dropped);
    }
}
