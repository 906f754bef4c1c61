package org.fabai.rca.scm;

/**
 * Configuration of fitting a structural causal model.
 *
 * Immutable and thread-safe.
 *
 * @param ridge ridge penalty added to the least-squares normal equations of linear mechanisms
 *              (relative to the number of rows), at least 0; a small value keeps fits stable with
 *              rare categories
 */
public record ScmConfig(double ridge) {
    /** Validates the configuration. */
    public ScmConfig {
        if (!(ridge >= 0) || Double.isInfinite(ridge)) {
            throw new IllegalArgumentException("ridge must be finite and >= 0, got " + ridge);
        }
    }

    /** @return ridge 1e-6 */
    public static ScmConfig defaults() {
        return new ScmConfig(1e-6);
    }
}
