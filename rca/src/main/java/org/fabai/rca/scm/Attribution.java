package org.fabai.rca.scm;

import java.util.List;
import org.fabai.rca.Cause;

/**
 * The attribution of one anomalous value of a target to the noise terms of the nodes upstream of
 * it (and its own).
 *
 * Immutable and thread-safe.
 *
 * @param target          the target node
 * @param outlierScore    the score being explained: the model's information-theoretic outlier
 *                        score of the value, {@code -log P(g(X) >= g(x))} with X drawn from the
 *                        fitted model (estimated from the background sample)
 * @param contributions   Shapley contribution of each node's noise, largest first; they add up to
 *                        {@code outlierScore} (to rounding)
 * @param empiricalScore  the same score against the training rows instead of the model
 * @param monteCarloError standard error of {@code outlierScore} as an estimate of the model's
 *                        score (shrinks as one over the square root of the samples)
 */
public record Attribution(String target, double outlierScore, List<Cause> contributions, double empiricalScore,
                          double monteCarloError) {
    /** Copies the list. */
    public Attribution {
        contributions = List.copyOf(contributions);
    }

    /** @return the sum of the contributions */
    public double contributionSum() {
        return contributions.stream().mapToDouble(Cause::score).sum();
    }
}
