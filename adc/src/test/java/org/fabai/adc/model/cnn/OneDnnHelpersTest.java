package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * fabai's direct oneDNN helpers against DL4J's own im2col path (a clone of the graph has no
 * helpers): the same outputs, the same gradients, the same parameters after SGD steps, over
 * kernels, strides, padding modes, odd and non-square maps, layers without bias, and a geometry
 * the helpers hand to DL4J's fallback.
 */
class OneDnnHelpersTest {

    /** A convolution, a pooling, a second convolution and a softmax output. */
    private record Case(String name, int channels, int h, int w, int k, int stride, ConvolutionMode mode, int pad,
            boolean bias, int poolK, int poolStride, ConvolutionMode poolMode) {

        ComputationGraph build() {
            ComputationGraph net = new ComputationGraph(new NeuralNetConfiguration.Builder()
                    .seed(17).dataType(DataType.FLOAT).updater(new Sgd(0.05)).weightInit(WeightInit.RELU)
                    .trainingWorkspaceMode(WorkspaceMode.ENABLED).inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                    .graphBuilder()
                    .addInputs("in")
                    .setInputTypes(InputType.convolutional(h, w, channels))
                    .addLayer("c1", new ConvolutionLayer.Builder(k, k).stride(stride, stride).padding(pad, pad)
                            .convolutionMode(mode).hasBias(bias).nOut(8).activation(Activation.RELU).build(), "in")
                    .addLayer("p1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                            .kernelSize(poolK, poolK).stride(poolStride, poolStride).convolutionMode(poolMode).build(),
                            "c1")
                    .addLayer("c2", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)
                            .hasBias(bias).nOut(6).activation(Activation.TANH).build(), "p1")
                    .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                            .activation(Activation.SOFTMAX).build(), "c2")
                    .setOutputs("out")
                    .build());
            net.init();
            return net;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("3x3 same, pool 2/2", 3, 20, 20, 3, 1, ConvolutionMode.Same, 0, true, 2, 2,
                        ConvolutionMode.Truncate),
                new Case("5x5 stride 2 same on 17x13, pool 3/2 same", 2, 17, 13, 5, 2, ConvolutionMode.Same, 0, true,
                        3, 2, ConvolutionMode.Same),
                new Case("3x3 truncate pad 1, no bias, pool 2/1", 4, 16, 16, 3, 1, ConvolutionMode.Truncate, 1, false,
                        2, 1, ConvolutionMode.Truncate),
                new Case("1x1, pool 3/3", 1, 15, 15, 1, 1, ConvolutionMode.Same, 0, true, 3, 3,
                        ConvolutionMode.Truncate),
                new Case("2x2 stride 2 truncate dropping a column, then pooling 7x7 by 2/2 (DL4J fallback)", 3, 15, 15, 2, 2,
                        ConvolutionMode.Truncate, 0, true, 2, 2, ConvolutionMode.Truncate))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameOutputsGradientsAndStepsAsDl4jsOwnPath(Case c) {
        ComputationGraph fast = c.build();
        assertEquals(2 + 1, Dl4jBackend.accelerate(fast));
        ComputationGraph plain = fast.clone();
        assertInstanceOf(OneDnnConvHelper.class, helper(fast, "c1"));
        assertTrue(((OneDnnConvHelper) helper(fast, "c1")).skipsInputGradient(), "the data's gradient is skipped");
        assertTrue(!((OneDnnConvHelper) helper(fast, "c2")).skipsInputGradient(), "c2's input gradient is needed");
        assertInstanceOf(OneDnnPoolHelper.class,
                ((org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer) fast.getLayer("p1"))
                        .getHelper());

        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 10, c.channels(), c.h(), c.w()).subi(0.3);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 10, 3);
        for (int i = 0; i < 10; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        assertClose("outputs", plain.outputSingle(false, x), fast.outputSingle(false, x), 1e-5);

        assertSameGradients("", plain, fast, x, y);
        assertEquals(plain.score(), fast.score(), 1e-5);

        for (int step = 0; step < 4; step++) {
            fast.fit(new INDArray[] {x}, new INDArray[] {y});
            plain.fit(new INDArray[] {x}, new INDArray[] {y});
        }
        assertClose("parameters after 4 SGD steps", plain.params(), fast.params(), 1e-5);

        boolean fallback = c.name().contains("fallback");
        assertEquals(fallback, ((OneDnnConvHelper) helper(fast, "c1")).cachedPlans() == 0, "c1 served by oneDNN");
        assertTrue(((OneDnnConvHelper) helper(fast, "c2")).cachedPlans() > 0, "c2 served by oneDNN");
        assertEquals(fallback, ((OneDnnPoolHelper) ((org.deeplearning4j.nn.layers.convolution.subsampling
                .SubsamplingLayer) fast.getLayer("p1")).getHelper()).cachedPlans() == 0, "p1 served by oneDNN");
        OneDnnConvHelper h1 = (OneDnnConvHelper) helper(fast, "c1");
        OneDnnConvHelper h2 = (OneDnnConvHelper) helper(fast, "c2");
        assertTrue(h1.fusesRelu() && !h2.fusesRelu(), "ReLU fused on c1, tanh left to DL4J on c2");
        // backprop's recomputation of c1's forward pass (one per fit and per gradient) came from the forward pass
        assertEquals(fallback ? 0 : 5, h1.reusedForwards(), "c1 forward passes reused");
        assertEquals(0, h2.reusedForwards(), "c2's output is changed in place by DL4J's tanh: never reused");
        OneDnnSubsamplingLayer p1 = assertInstanceOf(OneDnnSubsamplingLayer.class, fast.getLayer("p1"));
        assertTrue(java.util.Arrays.stream(fast.getLayers()).anyMatch(l -> l == p1),
                "the graph's layer array holds the replacement");
        assertEquals(fallback ? 0 : 5, p1.pool().reusedForwards(), "p1's backprop used its forward pass's argmax");
        for (String layer : new String[] {"c1", "c2", "p1"}) {
            assertEquals(0, helperFailures(fast.getLayer(layer)), layer + ": no helper call failed over to DL4J");
        }
    }

    private static int helperFailures(Layer l) {
        for (Class<?> c = l.getClass(); c != null; c = c.getSuperclass()) {
            try {
                java.lang.reflect.Field f = c.getDeclaredField("helperCountFail");
                f.setAccessible(true);
                return f.getInt(l);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no helperCountFail on " + l.getClass());
    }

    @Test
    void batchSizesBeyondThePlanCacheStayCorrect() {
        Case c = (Case) cases().findFirst().orElseThrow().get()[0];
        ComputationGraph fast = c.build();
        Dl4jBackend.accelerate(fast);
        ComputationGraph plain = fast.clone();
        Nd4j.getRandom().setSeed(5);
        for (int round = 0; round < 2; round++) {
            for (int n = 1; n <= 7; n++) {   // more shapes than a helper keeps plans for
                INDArray x = Nd4j.rand(DataType.FLOAT, n, c.channels(), c.h(), c.w());
                assertClose("batch " + n, plain.outputSingle(false, x), fast.outputSingle(false, x), 1e-5);
            }
        }
        OneDnnConvHelper h = (OneDnnConvHelper) helper(fast, "c2");
        assertEquals(4, h.cachedPlans(), "at most four shapes kept");
        assertEquals(0, h.cachedBackwardPlans(), "inference allocates no backward buffers");
    }

    @Test
    void anInputArrayChangedInPlaceIsNotServedFromTheLastForwardPass() {
        Case c = (Case) cases().findFirst().orElseThrow().get()[0];
        ComputationGraph fast = c.build();
        Dl4jBackend.accelerate(fast);
        ComputationGraph plain = fast.clone();
        Nd4j.getRandom().setSeed(8);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, c.channels(), c.h(), c.w());
        INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        for (int round = 0; round < 3; round++) {
            // the same array objects each time, new contents, unchanged weights (no update in between)
            x.assign(Nd4j.rand(DataType.FLOAT, 6, c.channels(), c.h(), c.w()));
            assertSameGradients("round " + round + " ", plain, fast, x, y);
        }
        assertEquals(3, ((OneDnnConvHelper) helper(fast, "c1")).reusedForwards(), "one reuse per gradient, in backprop");
    }

    @Test
    void aTrainingSessionBackpropagatesReluOnOneDnnAndPutsTheOriginalBack() {
        Case c = (Case) cases().findFirst().orElseThrow().get()[0];
        ComputationGraph fast = c.build();
        Dl4jBackend.accelerate(fast);
        ComputationGraph plain = fast.clone();
        ConvolutionLayer c1 = (ConvolutionLayer) fast.getLayer("c1").conf().getLayer();
        ConvolutionLayer c2 = (ConvolutionLayer) fast.getLayer("c2").conf().getLayer();
        var relu = c1.getActivationFn();
        var tanh = c2.getActivationFn();
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 12, c.channels(), c.h(), c.w()).subi(0.4);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 12, 3);
        for (int i = 0; i < 12; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        int blasThreads = Nd4j.factory().blas().getMaxThreads();
        try (Dl4jBackend.Training session = Dl4jBackend.trainingSession(fast)) {
            assertEquals(1, Nd4j.factory().blas().getMaxThreads(), "one BLAS thread while training");
            assertEquals(blasThreads > 1 ? 2 : 1, session.changes(), "the ReLU convolution (tanh left alone), BLAS");
            OneDnnRelu swapped = assertInstanceOf(OneDnnRelu.class, c1.getActivationFn());
            assertEquals(relu, swapped);
            assertTrue(tanh == c2.getActivationFn());
            assertSameGradients("", plain, fast, x, y);
            assertEquals(1, swapped.oneDnnCalls(), "c1's ReLU backprop ran on oneDNN");
        }
        assertTrue(relu == c1.getActivationFn(), "the original activation object is back");
        assertEquals(blasThreads, Nd4j.factory().blas().getMaxThreads(), "BLAS threads restored");
        assertTrue(!fast.getConfiguration().toJson().contains("OneDnnRelu"), "nothing of the swap is saved");
    }

    private static Object helper(ComputationGraph net, String name) {
        Layer l = net.getLayer(name);
        return ((org.deeplearning4j.nn.layers.convolution.ConvolutionLayer) l).getHelper();
    }

    /** Computes both graphs' gradients on one batch and asserts them equal, variable by variable, within 1e-5. */
    private static void assertSameGradients(String what, ComputationGraph plain, ComputationGraph fast, INDArray x,
            INDArray y) {
        for (ComputationGraph g : new ComputationGraph[] {fast, plain}) {
            g.setInputs(x);
            g.setLabels(y);
            g.computeGradientAndScore();
        }
        Map<String, INDArray> want = plain.gradient().gradientForVariable();
        Map<String, INDArray> got = fast.gradient().gradientForVariable();
        assertEquals(want.keySet(), got.keySet(), what + "gradient variables");
        for (String k : want.keySet()) {
            assertClose(what + "gradient " + k, want.get(k), got.get(k), 1e-5);
        }
    }

    /** Asserts that no element differs by more than {@code tol} times max(1, the largest magnitude expected). */
    private static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        assertEquals(java.util.Arrays.toString(expected.shape()), java.util.Arrays.toString(actual.shape()), what);
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= tol * scale, what + " differ by " + diff + " (scale " + scale + ")");
    }
}
