package org.fabai.adc.model.cnn;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.fabai.adc.engine.EngineBase;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference engine: Deeplearning4j's own forward pass of the trained graph.
 *
 * <p>Thread-safe: calls are serialised, because a DL4J graph keeps per-call state. Closing it
 * does not free the graph, which belongs to its {@link CnnClassifier}.
 */
public final class Dl4jEngine extends EngineBase {

    private final ComputationGraph net;
    private final int size;

    /**
     * @param net     a trained graph with input {@code input}, embedding {@code dense} and output {@code out}
     * @param size    input side N
     * @param outputs classes or labels
     */
    Dl4jEngine(ComputationGraph net, int size, int outputs) {
        super("dl4j", size, CnnNetworks.CHANNELS, outputs);
        this.net = net;
        this.size = size;
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
}
