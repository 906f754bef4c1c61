package org.fabai.rca;

/**
 * The front door of root-cause analysis over wafer histories: a problem ({@link RcaProblem}: histories,
 * outcomes, the outcome to explain, reference and anomalous periods) in, candidate causes
 * {@code "step tool/chamber"} ranked most likely first, each with a score and a confidence, out.
 *
 * <p>Implementations: {@link org.fabai.rca.baseline.RobustZRanker} (the robust z-score baseline
 * every method is reported beside), {@link org.fabai.rca.commonality.CommonalityRanker} (tool
 * commonality, optionally by time window) and {@link org.fabai.rca.scm.ScmAttributionRanker}
 * (Shapley attribution on a structural causal model over a given or a discovered graph). The
 * variable-level ranking of event logs and tables ({@link org.fabai.rca.rootcause.RootCauseRanker})
 * answers another question (which <i>variable</i> misbehaved in these rows) and is its engine for
 * tables.
 *
 * <p>Implementations are stateless and thread-safe.
 */
public interface CauseRanker {

    /** @return a short stable name of the method, e.g. {@code "robust-z"} */
    String name();

    /**
     * @param problem the problem
     * @return the ranking, most likely cause first
     * @throws IllegalArgumentException when the problem does not suit the method (named in the message)
     */
    Ranking rank(RcaProblem problem);
}
