package org.fabai.adc.engine;

/**
 * A forward pass of a trained wafer-map network over a batch, whatever runs it: Deeplearning4j
 * (the reference), ONNX Runtime on the CPU (the default for serving) or cuDNN on a GPU.
 *
 * <p>The input is a batch in NCHW layout: {@code n} maps of {@link #channels()} channels of
 * {@link #inputSize()} x {@link #inputSize()} floats, row-major, as {@link org.fabai.adc.onnx.WaferEncoding} writes
 * it. The output holds, per map, one value per class (softmax probabilities, or per-label sigmoid
 * probabilities for multi-label networks).
 *
 * <p>Engines hold native memory and must be closed. Each implementation says in its javadoc
 * whether {@link #forward(float[], int)} may be called from several threads at once.
 */
public interface InferenceEngine extends AutoCloseable {

    /** @return a short name of the engine, e.g. {@code "onnxruntime-cpu"} */
    String name();

    /** @return side N of the N x N input */
    int inputSize();

    /** @return input channels */
    int channels();

    /** @return outputs per map (classes or labels) */
    int outputs();

    /**
     * Runs the network.
     *
     * @param batch {@code n * channels * inputSize * inputSize} floats, NCHW
     * @param n     number of maps in the batch, at least 1
     * @return {@code n} rows of {@link #outputs()} values
     * @throws IllegalArgumentException if the batch length does not match {@code n}
     * @throws IllegalStateException    if the engine is closed or the native runtime fails
     */
    float[][] forward(float[] batch, int n);

    /** @return true when {@link #embed(float[], int)} is available */
    default boolean hasEmbedding() {
        return false;
    }

    /**
     * The network's embedding (the activations of its last hidden dense layer) for each map, as
     * used by similar-wafer search.
     *
     * @param batch {@code n * channels * inputSize * inputSize} floats, NCHW
     * @param n     number of maps
     * @return {@code n} embedding vectors
     * @throws UnsupportedOperationException when {@link #hasEmbedding()} is false
     */
    default float[][] embed(float[] batch, int n) {
        throw new UnsupportedOperationException(name() + " exposes no embedding output");
    }

    /**
     * Checks a batch's length.
     *
     * @param batch the batch
     * @param n     maps in it
     * @throws IllegalArgumentException on a mismatch
     */
    default void checkBatch(float[] batch, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("batch must hold at least 1 map, got n=" + n);
        }
        long need = (long) n * channels() * inputSize() * inputSize();
        if (batch.length != need) {
            throw new IllegalArgumentException(name() + ": batch of " + n + " maps of " + channels() + "x"
                    + inputSize() + "x" + inputSize() + " needs " + need + " floats, got " + batch.length);
        }
    }

    /** Releases the native resources. Idempotent. */
    @Override
    void close();
}
