package org.fabai.adc.model.cnn;

import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's pooling layer with its forward pass sent to {@link OneDnnPoolHelper} too. In DL4J
 * 1.0.0-M2.1 {@link SubsamplingLayer#activate} always runs libnd4j's {@code maxpool2d}, and a
 * helper serves backprop only, so it pools a second time there for oneDNN's argmax workspace; with
 * the forward pass on oneDNN the workspace is already there. {@link Dl4jBackend#accelerate} puts
 * this layer in place of a graph's pooling layers; configuration, serialisation and clones are
 * DL4J's own (a clone gets plain layers again). Whatever the helper does not support (not max
 * pooling, NHWC, dilation) runs DL4J's code unchanged.
 *
 * <p>Not thread-safe, like the DL4J layer it extends.
 */
final class OneDnnSubsamplingLayer extends SubsamplingLayer {

    private static final long serialVersionUID = 1L;

    private final transient OneDnnPoolHelper pool;

    OneDnnSubsamplingLayer(NeuralNetConfiguration conf, DataType dataType, OneDnnPoolHelper pool) {
        super(conf, dataType);
        this.pool = pool;
        this.helper = pool;
    }

    /** @return the helper serving this layer */
    OneDnnPoolHelper pool() {
        return pool;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (input.rank() != 4) {
            throw new DL4JInvalidInputException("Got rank " + input.rank() + " array as input to pooling layer "
                    + layerConf().getLayerName() + "; expected rank 4 " + layerConf().getCnn2dDataFormat());
        }
        var c = layerConf();
        INDArray out = pool.pooled(input.castTo(dataType), training, c.getKernelSize(), c.getStride(), c.getPadding(),
                c.getPoolingType(), c.getConvolutionMode(), c.getDilation(), c.getCnn2dDataFormat(), workspaceMgr);
        return out != null ? out : super.activate(training, workspaceMgr);
    }
}
