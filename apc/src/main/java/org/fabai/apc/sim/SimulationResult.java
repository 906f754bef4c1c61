package org.fabai.apc.sim;

/**
 * Traces and metrics of one simulation. Arrays are copied on access. Immutable, thread-safe.
 *
 * @param target  target T
 * @param inputs  input u of each run (runs after divergence are NaN)
 * @param outputs output y of each run (runs after divergence are NaN)
 * @param metrics the metrics
 * @param seed    the seed used
 */
public record SimulationResult(double target, double[] inputs, double[] outputs, Metrics metrics, long seed) {
    /** Copies the arrays. */
    public SimulationResult {
        inputs = inputs.clone();
        outputs = outputs.clone();
    }

    @Override
    public double[] inputs() {
        return inputs.clone();
    }

    @Override
    public double[] outputs() {
        return outputs.clone();
    }
}
