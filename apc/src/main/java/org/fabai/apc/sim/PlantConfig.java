package org.fabai.apc.sim;

/**
 * The simulated plant {@code y_t = α + β u_t + N_t} and how it is measured. {@code N_t} is the sum of
 * white noise, an IMA(1,1) series {@code N_t = N_{t−1} + ε_t − θ ε_{t−1}}, a linear drift
 * {@code δ t} and step shifts of ±{@code pmShift} (seeded sign) every {@code pmEvery} runs
 * (maintenance events). The gain mismatch ξ is {@code β / b} for a controller with model gain b.
 * Immutable, thread-safe.
 *
 * @param alpha       plant intercept α
 * @param beta        true plant gain β, non-zero
 * @param whiteSigma  σ of the white noise, &ge; 0
 * @param imaTheta    θ of the IMA(1,1) component, in (−1, 1]
 * @param imaSigma    σ of the IMA shocks ε, &ge; 0 (0: no IMA component)
 * @param driftPerRun drift δ per run
 * @param pmEvery     runs between maintenance step shifts, &ge; 0 (0: none)
 * @param pmShift     size of each maintenance shift, &ge; 0
 * @param delay       metrology delay d in runs, &ge; 0
 * @param sampleEvery every m-th run is measured, &ge; 1
 */
public record PlantConfig(double alpha, double beta, double whiteSigma, double imaTheta, double imaSigma,
                          double driftPerRun, int pmEvery, double pmShift, int delay, int sampleEvery) {
    /** Validates the parameters. */
    public PlantConfig {
        finite("alpha", alpha);
        finite("beta", beta);
        if (beta == 0) {
            throw new IllegalArgumentException("beta must be non-zero, got 0");
        }
        nonNegative("whiteSigma", whiteSigma);
        if (!(imaTheta > -1 && imaTheta <= 1)) {
            throw new IllegalArgumentException("imaTheta must be in (-1, 1], got " + imaTheta);
        }
        nonNegative("imaSigma", imaSigma);
        finite("driftPerRun", driftPerRun);
        if (pmEvery < 0) {
            throw new IllegalArgumentException("pmEvery must be >= 0, got " + pmEvery);
        }
        nonNegative("pmShift", pmShift);
        if (delay < 0) {
            throw new IllegalArgumentException("delay must be >= 0, got " + delay);
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sampleEvery must be >= 1, got " + sampleEvery);
        }
    }

    private static void finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite, got " + v);
        }
    }

    private static void nonNegative(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, got " + v);
        }
    }

    /**
     * A plant with white noise only, measured every run without delay.
     *
     * @param alpha intercept
     * @param beta  true gain
     * @param sigma white-noise σ
     * @return the configuration
     */
    public static PlantConfig whiteNoise(double alpha, double beta, double sigma) {
        return new PlantConfig(alpha, beta, sigma, 0, 0, 0, 0, 0, 0, 1);
    }

    /**
     * @param delta drift per run
     * @return a copy with the drift changed
     */
    public PlantConfig withDrift(double delta) {
        return new PlantConfig(alpha, beta, whiteSigma, imaTheta, imaSigma, delta, pmEvery, pmShift, delay, sampleEvery);
    }

    /**
     * @param theta IMA θ
     * @param sigma IMA shock σ
     * @return a copy with the IMA(1,1) component changed
     */
    public PlantConfig withIma(double theta, double sigma) {
        return new PlantConfig(alpha, beta, whiteSigma, theta, sigma, driftPerRun, pmEvery, pmShift, delay, sampleEvery);
    }

    /**
     * @param every runs between shifts
     * @param shift shift size
     * @return a copy with maintenance shifts changed
     */
    public PlantConfig withPm(int every, double shift) {
        return new PlantConfig(alpha, beta, whiteSigma, imaTheta, imaSigma, driftPerRun, every, shift, delay, sampleEvery);
    }

    /**
     * @param d delay in runs
     * @param m measure every m-th run
     * @return a copy with the metrology changed
     */
    public PlantConfig withMetrology(int d, int m) {
        return new PlantConfig(alpha, beta, whiteSigma, imaTheta, imaSigma, driftPerRun, pmEvery, pmShift, d, m);
    }

    /**
     * @param newBeta true gain
     * @return a copy with the true gain changed
     */
    public PlantConfig withBeta(double newBeta) {
        return new PlantConfig(alpha, newBeta, whiteSigma, imaTheta, imaSigma, driftPerRun, pmEvery, pmShift, delay, sampleEvery);
    }
}
