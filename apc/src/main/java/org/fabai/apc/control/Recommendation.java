package org.fabai.apc.control;

import java.util.Set;

/**
 * A recommended recipe input and how it came about. Immutable, thread-safe.
 *
 * @param input           the input to use
 * @param rawInput        the unconstrained input {@code (T − offset)/b} (the nominal input on fallback)
 * @param predictedOutput the output the estimator predicts at {@code input}
 * @param clips           which constraints changed the input (empty when none)
 * @param deadbandHeld    true when the previous input was kept because the prediction was within the deadband
 * @param fallback        true when the thread had no valid state and the nominal recipe was returned
 * @param reason          a short human-readable explanation
 */
public record Recommendation(double input, double rawInput, double predictedOutput, Set<Clip> clips,
                             boolean deadbandHeld, boolean fallback, String reason) {
    /** Copies the clip set. */
    public Recommendation {
        clips = clips.isEmpty() ? Set.of() : Set.copyOf(clips);
    }

    /** @return true when any constraint changed the input */
    public boolean clipped() {
        return !clips.isEmpty();
    }
}
