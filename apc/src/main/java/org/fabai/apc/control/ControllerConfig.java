package org.fabai.apc.control;

/**
 * What a run-to-run controller does around its estimator. Immutable, thread-safe.
 *
 * @param target             wanted output T
 * @param lowerBound         smallest allowed input
 * @param upperBound         largest allowed input
 * @param maxStep            largest change of the input from one run to the next, &gt; 0
 *                           ({@code Double.POSITIVE_INFINITY}: no rate limit)
 * @param deadband           when the predicted output at the previous input is within this of the
 *                           target, the input is held, &ge; 0
 * @param nominalInput       the fallback recipe input, within the bounds
 * @param outlierK           reject a measurement whose |innovation| exceeds {@code outlierK·σ}, &gt; 0
 *                           ({@code Double.POSITIVE_INFINITY}: off)
 * @param noiseSigma         σ of the innovation, &gt; 0, or NaN to estimate it online (EWMA of squared
 *                           innovations, no rejection before {@link Controller#SIGMA_WARMUP} accepted runs)
 * @param outlierPersistence after this many consecutive rejections the next measurement is accepted
 *                           as a real level shift, &ge; 1
 */
public record ControllerConfig(double target, double lowerBound, double upperBound, double maxStep, double deadband,
                               double nominalInput, double outlierK, double noiseSigma, int outlierPersistence) {
    /** Validates the parameters. */
    public ControllerConfig {
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("target must be finite, got " + target);
        }
        if (Double.isNaN(lowerBound) || Double.isNaN(upperBound) || !(lowerBound < upperBound)) {
            throw new IllegalArgumentException("lowerBound must be < upperBound, got [" + lowerBound + ", " + upperBound + "]");
        }
        if (!(maxStep > 0)) {
            throw new IllegalArgumentException("maxStep must be > 0, got " + maxStep);
        }
        if (!(deadband >= 0) || !Double.isFinite(deadband)) {
            throw new IllegalArgumentException("deadband must be finite and >= 0, got " + deadband);
        }
        if (!Double.isFinite(nominalInput) || nominalInput < lowerBound || nominalInput > upperBound) {
            throw new IllegalArgumentException("nominalInput must be within [" + lowerBound + ", " + upperBound
                    + "], got " + nominalInput);
        }
        if (!(outlierK > 0)) {
            throw new IllegalArgumentException("outlierK must be > 0 (infinity: off), got " + outlierK);
        }
        if (!Double.isNaN(noiseSigma) && !(noiseSigma > 0 && Double.isFinite(noiseSigma))) {
            throw new IllegalArgumentException("noiseSigma must be finite and > 0, or NaN to estimate, got " + noiseSigma);
        }
        if (outlierPersistence < 1) {
            throw new IllegalArgumentException("outlierPersistence must be >= 1, got " + outlierPersistence);
        }
    }

    /**
     * A controller with bounds only: no rate limit, no deadband, no outlier rejection.
     *
     * @param target       wanted output
     * @param lowerBound   smallest input
     * @param upperBound   largest input
     * @param nominalInput fallback input
     * @return the configuration
     */
    public static ControllerConfig of(double target, double lowerBound, double upperBound, double nominalInput) {
        return new ControllerConfig(target, lowerBound, upperBound, Double.POSITIVE_INFINITY, 0, nominalInput,
                Double.POSITIVE_INFINITY, Double.NaN, 3);
    }

    /**
     * @param maxStep new rate limit
     * @return a copy with the rate limit changed
     */
    public ControllerConfig withMaxStep(double maxStep) {
        return new ControllerConfig(target, lowerBound, upperBound, maxStep, deadband, nominalInput, outlierK,
                noiseSigma, outlierPersistence);
    }

    /**
     * @param deadband new deadband
     * @return a copy with the deadband changed
     */
    public ControllerConfig withDeadband(double deadband) {
        return new ControllerConfig(target, lowerBound, upperBound, maxStep, deadband, nominalInput, outlierK,
                noiseSigma, outlierPersistence);
    }

    /**
     * @param k     rejection threshold in σ
     * @param sigma fixed σ, or NaN to estimate online
     * @return a copy with outlier rejection switched on
     */
    public ControllerConfig withOutlierRejection(double k, double sigma) {
        return new ControllerConfig(target, lowerBound, upperBound, maxStep, deadband, nominalInput, k,
                sigma, outlierPersistence);
    }
}
