package org.fabai.rca.discovery;

/**
 * A causal search refused a phase that would have run past its time limit ({@link Pc#withTimeLimit}):
 * thrown before the phase starts, with the phase, the most tests it could run and the time that
 * would take at the rate measured so far.
 */
public final class SearchTooLongException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String phase;
    private final double testBound;
    private final double estimateSeconds;

    /**
     * @param message         the one-line explanation
     * @param phase           the refused phase, e.g. "depth 3" or "the collider votes"
     * @param testBound       the most tests the phase could run (NaN when unknown, as in score-based searches)
     * @param estimateSeconds those tests at the rate measured so far (NaN when unknown)
     */
    public SearchTooLongException(String message, String phase, double testBound, double estimateSeconds) {
        super(message);
        this.phase = phase;
        this.testBound = testBound;
        this.estimateSeconds = estimateSeconds;
    }

    /** @return the refused phase */
    public String phase() {
        return phase;
    }

    /** @return the most tests the phase could run */
    public double testBound() {
        return testBound;
    }

    /** @return the estimated seconds of the phase */
    public double estimateSeconds() {
        return estimateSeconds;
    }
}
