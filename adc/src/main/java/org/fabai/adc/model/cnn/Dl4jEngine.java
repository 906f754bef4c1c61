package org.fabai.adc.model.cnn;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.fabai.adc.onnx.InferenceEngine;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference engine: Deeplearning4j's own forward pass of the trained graph.
 *
 * <p>Thread-safe: calls are serialised, because a DL4J graph keeps per-call state. Closing it
 * does not free the graph, which belongs to its {@link CnnClassifier}.
 */
public final class Dl4jEngine implements InferenceEngine {

    private final ComputationGraph net;
    private final int size;
    private final int outputs;
    private volatile boolean closed;

    /**
     * @param net     a trained graph with input {@code input}, embedding {@code dense} and output {@code out}
     * @param size    input side N
     * @param outputs classes or labels
     */
    Dl4jEngine(ComputationGraph net, int size, int outputs) {
        this.net = net;
        this.size = size;
        this.outputs = outputs;
    }

    @Override
    public String name() {
        return "dl4j";
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int channels() {
        return CnnNetworks.CHANNELS;
    }

    @Override
    public int outputs() {
        return outputs;
    }

    @Override
    public float[][] forward(float[] batch, int n) {
        checkBatch(batch, n);
        INDArray in = Nd4j.create(batch, new long[] {n, CnnNetworks.CHANNELS, size, size}, 'c');
        INDArray out;
        synchronized (this) {
            ensureOpen();
            out = net.outputSingle(false, in);
        }
        return out.toFloatMatrix();
    }

    @Override
    public boolean hasEmbedding() {
        return true;
    }

    @Override
    public float[][] embed(float[] batch, int n) {
        checkBatch(batch, n);
        INDArray in = Nd4j.create(batch, new long[] {n, CnnNetworks.CHANNELS, size, size}, 'c');
        synchronized (this) {
            ensureOpen();
            Map<String, INDArray> acts = net.feedForward(in, false);
            return acts.get(CnnNetworks.EMBEDDING).toFloatMatrix();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("dl4j engine is closed");
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
