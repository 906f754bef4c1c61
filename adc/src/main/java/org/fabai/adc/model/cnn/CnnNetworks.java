package org.fabai.adc.model.cnn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/** Builds the DL4J computation graphs of {@link CnnConfig.Architecture}. Stateless. */
final class CnnNetworks {

    /** Name of the network input. */
    static final String INPUT = "input";
    /** Name of the embedding (dense 64) vertex. */
    static final String EMBEDDING = "dense";
    /** Name of the output vertex. */
    static final String OUTPUT = "out";
    /** Width of the embedding layer. */
    static final int EMBEDDING_SIZE = 64;
    /** Input channels: one per die state (OFF, GOOD, FAIL). */
    static final int CHANNELS = 3;

    static {
        Dl4jBackend.configure();
    }

    private CnnNetworks() {
    }

    static ComputationGraph build(CnnConfig cfg, int nClasses, boolean multiLabel, float[] classWeights) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(cfg.seed())
                .dataType(DataType.FLOAT)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .updater(new Adam(cfg.learningRate()))
                .l2(cfg.l2())
                .weightInit(WeightInit.RELU)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(cfg.inputSize(), cfg.inputSize(), CHANNELS));
        String last;
        int w = cfg.width();
        g.addLayer("conv1", conv(16 * w, Activation.RELU), INPUT);
        g.addLayer("pool1", pool(), "conv1");
        g.addLayer("conv2", conv(32 * w, Activation.RELU), "pool1");
        if (cfg.architecture() == CnnConfig.Architecture.COMPACT) {
            g.addLayer("pool2", pool(), "conv2");
            last = "pool2";
        } else {
            g.addLayer("res_a", conv(32 * w, Activation.RELU), "conv2");
            g.addLayer("res_b", conv(32 * w, Activation.IDENTITY), "res_a");
            g.addVertex("res_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv2", "res_b");
            g.addLayer("res_relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "res_add");
            g.addLayer("pool2", pool(), "res_relu");
            g.addLayer("conv3", conv(64 * w, Activation.RELU), "pool2");
            g.addLayer("pool3", pool(), "conv3");
            last = "pool3";
        }
        g.addLayer(EMBEDDING, new DenseLayer.Builder().nOut(EMBEDDING_SIZE).activation(Activation.RELU).build(), last);
        ILossFunction loss;
        Activation act;
        if (multiLabel) {
            loss = classWeights == null ? new LossBinaryXENT() : new LossBinaryXENT(Nd4j.create(classWeights));
            act = Activation.SIGMOID;
        } else {
            loss = classWeights == null ? new LossMCXENT() : new LossMCXENT(Nd4j.create(classWeights));
            act = Activation.SOFTMAX;
        }
        g.addLayer(OUTPUT, new OutputLayer.Builder(loss).nOut(nClasses).activation(act)
                .weightInit(WeightInit.XAVIER).build(), EMBEDDING);
        g.setOutputs(OUTPUT);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        Dl4jBackend.accelerate(net);
        return net;
    }

    private static ConvolutionLayer conv(int nOut, Activation a) {
        return new ConvolutionLayer.Builder(3, 3).stride(1, 1).nOut(nOut).activation(a)
                .convolutionMode(ConvolutionMode.Same).build();
    }

    private static SubsamplingLayer pool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                .convolutionMode(ConvolutionMode.Truncate).build();
    }
}
