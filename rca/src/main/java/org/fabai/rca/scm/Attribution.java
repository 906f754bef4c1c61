package org.fabai.rca.scm;

import java.util.List;
import org.fabai.rca.Cause;

/**
 * The attribution of one anomalous value of a target to the noise terms of the nodes upstream of
 * it (and its own).
 *
 * Immutable and thread-safe.
 *
 * @param target        the target node
 * @param outlierScore  information-theoretic outlier score of the value against the training
 *                      data, {@code -log P(g(X) >= g(x))}
 * @param contributions Shapley contribution of each node's noise to the outlier score (they sum
 *                      to about the sampled score), largest first
 */
public record Attribution(String target, double outlierScore, List<Cause> contributions) {
    /** Copies the list. */
    public Attribution {
        contributions = List.copyOf(contributions);
    }
}
