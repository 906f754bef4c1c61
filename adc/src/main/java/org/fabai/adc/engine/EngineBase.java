package org.fabai.adc.engine;

/**
 * What every {@link InferenceEngine} shares: its name and shape, and the open/closed state that
 * each call checks. A subclass implements {@link #forward(float[], int)} (and the embedding if it
 * has one), calls {@link #checkCall(float[], int)} first, and frees its native resources in
 * {@link #release()}, which {@link #close()} runs once.
 *
 * <p>The accessors are thread-safe; whether a subclass's calls are says its own javadoc.
 */
public abstract class EngineBase implements InferenceEngine {

    private final String name;
    private final int inputSize;
    private final int channels;
    private final int outputs;
    private volatile boolean closed;

    /**
     * @param name      the engine's short name, e.g. {@code "onnxruntime-cpu"}
     * @param inputSize side N of the N x N input
     * @param channels  input channels
     * @param outputs   outputs per map (classes or labels)
     * @throws IllegalArgumentException if a size is not positive
     */
    protected EngineBase(String name, int inputSize, int channels, int outputs) {
        if (inputSize < 1 || channels < 1 || outputs < 1) {
            throw new IllegalArgumentException(name + ": inputSize, channels and outputs must be >= 1, got "
                    + inputSize + ", " + channels + ", " + outputs);
        }
        this.name = name;
        this.inputSize = inputSize;
        this.channels = channels;
        this.outputs = outputs;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int inputSize() {
        return inputSize;
    }

    @Override
    public final int channels() {
        return channels;
    }

    @Override
    public final int outputs() {
        return outputs;
    }

    /**
     * Checks a call's batch and that the engine is open.
     *
     * @param batch the batch
     * @param n     maps in it
     * @throws IllegalArgumentException on a length mismatch
     * @throws IllegalStateException    if the engine is closed
     */
    protected final void checkCall(float[] batch, int n) {
        checkBatch(batch, n);
        ensureOpen();
    }

    /** @throws IllegalStateException if the engine is closed */
    protected final void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(name + " engine is closed");
        }
    }

    /** @return whether {@link #close()} has run */
    protected final boolean isClosed() {
        return closed;
    }

    /** Frees the engine's resources; run once, by the first {@link #close()}. Nothing by default. */
    protected void release() {
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release();
    }
}
