package org.fabai.apc.control;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.fabai.apc.estimator.Estimator;

/**
 * A run-to-run controller around any {@link Estimator}: unconstrained input {@code (T − offset)/b},
 * then deadband, rate limit and bounds, each reported on the {@link Recommendation}.
 *
 * <p><b>Anti-windup.</b> The estimator is always updated with the input actually used in the run
 * (which is the clipped one), never with the unconstrained wish. Its estimate of the process offset
 * therefore stays what the data say, however long the input sits at a bound, and the loop
 * recovers as soon as the bound stops binding.
 *
 * <p><b>Metrology delay.</b> A measurement is applied when it arrives, paired with the input recorded
 * for its own run ({@code a_t = λ(y_{t−d} − b u_{t−d}) + (1 − λ)a_{t−1}} for EWMA): the form analysed
 * in the R2R literature (Good and Qin, 2006) and the one {@link StabilityAnalysis} checks. It needs
 * no extra model and degrades gracefully; the price is a smaller stable range of λξ as d grows.
 *
 * <p><b>Missing metrology.</b> {@link #missing()} makes a time update (drift estimators move on).
 *
 * <p><b>Outliers.</b> With {@code outlierK} finite, a measurement whose |innovation| exceeds kσ is held
 * (time update only) and reported as {@link UpdateOutcome.Status#OUTLIER_HELD}; after
 * {@code outlierPersistence} consecutive rejections the next one is accepted as a real shift.
 *
 * <p><b>Fallback.</b> A controller created by {@link #unseeded} (or {@link #invalidate}d) recommends the
 * nominal input until its first measurement, which then seeds the level as {@code y − b u}.
 *
 * <p>Not thread-safe; control threads serialise access.
 */
public final class Controller {

    /** Accepted runs before an estimated σ is used for outlier rejection. */
    public static final int SIGMA_WARMUP = 10;
    private static final double SIGMA_WEIGHT = 0.05;
    private static final int HEADER = 5;

    private final ControllerConfig config;
    private final Estimator estimator;
    private double lastInput;
    private double innovationVariance;
    private double acceptedRuns;
    private int consecutiveOutliers;
    private boolean valid;

    /**
     * A seeded controller: the estimator's current state is trusted.
     *
     * @param config    controller configuration
     * @param estimator estimator, owned by the controller from now on
     */
    public Controller(ControllerConfig config, Estimator estimator) {
        this.config = config;
        this.estimator = estimator;
        this.lastInput = config.nominalInput();
        this.innovationVariance = Double.isNaN(config.noiseSigma()) ? 0 : config.noiseSigma() * config.noiseSigma();
        this.valid = true;
    }

    /**
     * A controller without valid state: it recommends the nominal input until the first measurement.
     *
     * @param config    controller configuration
     * @param estimator estimator, owned by the controller from now on
     * @return the controller
     */
    public static Controller unseeded(ControllerConfig config, Estimator estimator) {
        Controller c = new Controller(config, estimator);
        c.valid = false;
        return c;
    }

    /** @return the configuration */
    public ControllerConfig config() {
        return config;
    }

    /** @return the estimator (live, not a copy) */
    public Estimator estimator() {
        return estimator;
    }

    /** @return true when the controller has a valid state (otherwise it falls back to nominal) */
    public boolean valid() {
        return valid;
    }

    /** @return the input of the latest run as known to the controller */
    public double lastInput() {
        return lastInput;
    }

    /**
     * Marks the state invalid (e.g. after a maintenance event without re-seed): the nominal input is
     * recommended until the next measurement.
     */
    public void invalidate() {
        valid = false;
        consecutiveOutliers = 0;
    }

    /**
     * The input for the next run. The controller assumes the run uses it; call {@link #applied} if
     * the run used something else.
     *
     * @return the recommendation
     */
    public Recommendation recommend() {
        Recommendation r = peek();
        lastInput = r.input();
        return r;
    }

    /**
     * The input the next run would get, without changing anything.
     *
     * @return the recommendation
     */
    public Recommendation peek() {
        boolean finite = estimator.gain() != 0 && Double.isFinite(estimator.gain());
        for (double v : estimator.state()) {
            finite &= Double.isFinite(v);
        }
        if (!valid || !finite) {
            double u = config.nominalInput();
            String why = !valid ? "no valid thread state: nominal recipe" : "estimator state not finite: nominal recipe";
            return new Recommendation(u, u, finite ? estimator.predict(u) : Double.NaN, Set.of(), false, true, why);
        }
        double target = config.target();
        double raw = (target - estimator.predictedOffset()) / estimator.gain();
        if (config.deadband() > 0 && Math.abs(target - estimator.predict(lastInput)) <= config.deadband()) {
            return new Recommendation(lastInput, raw, estimator.predict(lastInput), Set.of(), true, false,
                    "prediction within deadband " + config.deadband() + ": input held");
        }
        EnumSet<Clip> clips = EnumSet.noneOf(Clip.class);
        double u = raw;
        if (Double.isFinite(config.maxStep())) {
            double lo = lastInput - config.maxStep();
            double hi = lastInput + config.maxStep();
            if (u < lo || u > hi) {
                u = Math.min(hi, Math.max(lo, u));
                clips.add(Clip.RATE_LIMIT);
            }
        }
        if (u < config.lowerBound()) {
            u = config.lowerBound();
            clips.add(Clip.LOWER_BOUND);
        } else if (u > config.upperBound()) {
            u = config.upperBound();
            clips.add(Clip.UPPER_BOUND);
        }
        String reason = clips.isEmpty() ? "on target" : "clipped by " + clips + " from " + raw;
        return new Recommendation(u, raw, estimator.predict(u), clips.isEmpty() ? Set.of() : clips, false, false, reason);
    }

    /**
     * Records that the latest run used {@code input} (an override of the recommendation).
     *
     * @param input input used
     */
    public void applied(double input) {
        lastInput = Estimator.requireFinite("input", input);
    }

    /**
     * Applies one measurement.
     *
     * @param input  input used in the measured run (for the anti-windup form this is the clipped input)
     * @param output measured output
     * @return what was done with it
     */
    public UpdateOutcome update(double input, double output) {
        Estimator.requireFinite("input", input);
        Estimator.requireFinite("output", output);
        if (!valid) {
            estimator.resetLevel(output - estimator.gain() * input);
            valid = true;
            consecutiveOutliers = 0;
            acceptedRuns = 0;
            return new UpdateOutcome(UpdateOutcome.Status.ACCEPTED, 0, Double.NaN,
                    "first measurement of an unseeded thread: level seeded from it");
        }
        double innovation = output - estimator.predict(input);
        double sigma = currentSigma();
        UpdateOutcome.Status status = UpdateOutcome.Status.ACCEPTED;
        String message = "accepted";
        if (Double.isFinite(config.outlierK()) && Double.isFinite(sigma)
                && Math.abs(innovation) > config.outlierK() * sigma) {
            if (consecutiveOutliers < config.outlierPersistence()) {
                consecutiveOutliers++;
                estimator.timeUpdate();
                return new UpdateOutcome(UpdateOutcome.Status.OUTLIER_HELD, innovation, sigma,
                        String.format("|innovation| %.6g > %.3g sigma (sigma %.6g): held (%d in a row)",
                                Math.abs(innovation), config.outlierK(), sigma, consecutiveOutliers));
            }
            status = UpdateOutcome.Status.SHIFT_ACCEPTED;
            message = "outlier after " + consecutiveOutliers + " rejections: accepted as a level shift";
        }
        consecutiveOutliers = 0;
        estimator.update(input, output);
        if (Double.isNaN(config.noiseSigma()) && status == UpdateOutcome.Status.ACCEPTED) {
            innovationVariance = acceptedRuns == 0 ? innovation * innovation
                    : (1 - SIGMA_WEIGHT) * innovationVariance + SIGMA_WEIGHT * innovation * innovation;
        }
        acceptedRuns++;
        return new UpdateOutcome(status, innovation, sigma, message);
    }

    private double currentSigma() {
        if (!Double.isNaN(config.noiseSigma())) {
            return config.noiseSigma();
        }
        return acceptedRuns >= SIGMA_WARMUP ? Math.sqrt(innovationVariance) : Double.NaN;
    }

    /** A run went by without a measurement: time update of the estimator. */
    public void missing() {
        estimator.timeUpdate();
    }

    /**
     * Full persistent state: {@code [lastInput, innovationVariance, acceptedRuns, consecutiveOutliers,
     * valid (1/0), estimator state...]}.
     *
     * @return a new array
     */
    public double[] state() {
        double[] s = new double[stateLength()];
        writeState(s);
        return s;
    }

    /** @return the length of {@link #state()} */
    public int stateLength() {
        return HEADER + estimator.stateLength();
    }

    /**
     * Writes {@link #state()} into {@code dst} without allocating (for a store that keeps its own copy).
     *
     * @param dst destination with exactly {@link #stateLength()} entries
     * @throws IllegalArgumentException when the length differs
     */
    public void writeState(double[] dst) {
        if (dst.length != stateLength()) {
            throw new IllegalArgumentException("controller state for " + estimator.kind() + " has " + stateLength()
                    + " entries, destination has " + dst.length);
        }
        dst[0] = lastInput;
        dst[1] = innovationVariance;
        dst[2] = acceptedRuns;
        dst[3] = consecutiveOutliers;
        dst[4] = valid ? 1 : 0;
        estimator.writeState(dst, HEADER);
    }

    /**
     * Restores a state from {@link #state()}.
     *
     * @param s the array
     * @throws IllegalArgumentException when the length does not fit the estimator
     */
    public void restore(double[] s) {
        int expected = HEADER + estimator.state().length;
        if (s == null || s.length != expected) {
            throw new IllegalArgumentException("controller state for " + estimator.kind() + " must have " + expected
                    + " entries, got " + (s == null ? "null" : s.length));
        }
        lastInput = s[0];
        innovationVariance = s[1];
        acceptedRuns = s[2];
        consecutiveOutliers = (int) s[3];
        valid = s[4] != 0;
        estimator.restore(Arrays.copyOfRange(s, HEADER, s.length));
    }

    @Override
    public String toString() {
        return "Controller[" + estimator + ", lastInput=" + lastInput + ", valid=" + valid + "]";
    }
}
