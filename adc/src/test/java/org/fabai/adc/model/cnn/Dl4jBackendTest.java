package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The oneDNN path is the one in use on this platform, and it trains the same network as DL4J's
 * own im2col path: same forward outputs, same gradients, nearly the same parameters after
 * several Adam steps.
 */
class Dl4jBackendTest {

    @ParameterizedTest
    @EnumSource(CnnConfig.Architecture.class)
    void oneDnnHelpersTrainLikeTheIm2colPath(CnnConfig.Architecture arch) {
        assertTrue(Dl4jBackend.onednnAvailable(), Dl4jBackend.describe());
        CnnConfig cfg = CnnConfig.defaults(5).withArchitecture(arch).withInputSize(32);
        ComputationGraph fast = CnnNetworks.build(cfg, 4, false, null);
        ComputationGraph plain = fast.clone();     // a clone's layers are created without helpers
        int convs = 0;
        for (Layer l : fast.getLayers()) {
            if (l instanceof ConvolutionLayer || l instanceof SubsamplingLayer) {
                assertNotNull(helper(l), "helper on " + l.conf().getLayer().getLayerName());
                convs++;
            }
        }
        for (Layer l : plain.getLayers()) {
            if (l instanceof ConvolutionLayer || l instanceof SubsamplingLayer) {
                assertNull(helper(l), "no helper on the clone's " + l.conf().getLayer().getLayerName());
            }
        }
        assertTrue(convs >= 4, "conv and pooling layers: " + convs);
        assertEquals(0, fast.params().sub(plain.params()).amaxNumber().doubleValue());

        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(new long[] {16, 3, 32, 32}).gt(0.6).castTo(fast.params().dataType());
        INDArray y = Nd4j.zeros(fast.params().dataType(), 16, 4);
        for (int i = 0; i < 16; i++) {
            y.putScalar(i, i % 4, 1.0);
        }
        INDArray out1 = fast.outputSingle(false, x);
        INDArray out2 = plain.outputSingle(false, x);
        assertTrue(out1.sub(out2).amaxNumber().doubleValue() < 1e-5, "forward outputs differ");
        for (ComputationGraph g : new ComputationGraph[] {fast, plain}) {
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
        }
        for (var e : plain.gradient().gradientForVariable().entrySet()) {
            INDArray want = e.getValue();
            double scale = Math.max(1, want.amaxNumber().doubleValue());
            double d = fast.gradient().gradientForVariable().get(e.getKey()).sub(want).amaxNumber().doubleValue();
            assertTrue(d <= 1e-5 * scale, e.getKey() + " gradient differs by " + d + " (scale " + scale + ")");
        }
        for (int step = 0; step < 5; step++) {
            fast.fit(new INDArray[] {x}, new INDArray[] {y});
            plain.fit(new INDArray[] {x}, new INDArray[] {y});
        }
        double diff = fast.params().sub(plain.params()).amaxNumber().doubleValue();
        double moved = fast.params().sub(CnnNetworks.build(cfg, 4, false, null).params()).amaxNumber().doubleValue();
        assertTrue(moved > 1e-3, "training moved the parameters: " + moved);
        // Adam moves a parameter by about the learning rate whatever its gradient's size, so float
        // rounding on a near-zero gradient (a different summation order) can move it by up to 5 lr:
        // the bound is a tenth of that; the gradients themselves are compared tightly above
        assertTrue(diff < 0.5 * cfg.learningRate(), "parameters after 5 Adam steps differ by " + diff);
    }

    private static Object helper(Layer l) {
        return l instanceof ConvolutionLayer c ? c.getHelper() : ((SubsamplingLayer) l).getHelper();
    }
}
