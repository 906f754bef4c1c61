package org.fabai.adc.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exports a Deeplearning4j {@link ComputationGraph} to an ONNX model (IR version 7, opset
 * {@value #OPSET}), written from the ONNX operator specification with a hand-rolled protobuf
 * encoder. Stateless and thread-safe.
 *
 * <p>Supported: one NCHW convolutional input; {@code ConvolutionLayer} (2-D, any kernel and
 * stride in Truncate mode, stride 1 in Same mode, with or without bias) as {@code Conv};
 * {@code SubsamplingLayer} MAX as {@code MaxPool}; {@code DenseLayer} and {@code OutputLayer} as
 * {@code Gemm} (DL4J stores W as [nIn, nOut], so {@code transB = 0}); {@code ActivationLayer}
 * and layer activations ReLU, sigmoid, tanh, softmax and identity; {@code CnnToFeedForwardPreProcessor}
 * (NCHW) as {@code Flatten} (DL4J flattens in c, h, w order, the same as ONNX's row-major
 * {@code Flatten}); {@code ElementWiseVertex} Add as {@code Add}. Anything else fails with an
 * {@link UnsupportedOperationException} naming the vertex.
 *
 * <p>The model's input is {@value #INPUT} [N, C, H, W] (N symbolic); its outputs are
 * {@value #OUTPUT} [N, classes] and, when an embedding vertex is named, {@value #EMBEDDING}.
 */
public final class OnnxExporter {

    /** Opset version of the exported models. */
    public static final int OPSET = 13;
    /** Name of the input tensor. */
    public static final String INPUT = "input";
    /** Name of the class-probability output. */
    public static final String OUTPUT = "probabilities";
    /** Name of the embedding output. */
    public static final String EMBEDDING = "embedding";

    private static final int FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;

    private OnnxExporter() {
    }

    /**
     * Exports a trained graph.
     *
     * @param net             the graph, with one input and one output
     * @param inputSize       input side H = W
     * @param channels        input channels C
     * @param embeddingVertex the vertex whose activations become the {@value #EMBEDDING} output, or null
     * @param metadata        key/value pairs stored as the model's {@code metadata_props}
     * @return the ONNX model bytes
     * @throws UnsupportedOperationException for a layer or vertex the exporter does not cover
     */
    public static byte[] export(ComputationGraph net, int inputSize, int channels, String embeddingVertex,
                                Map<String, String> metadata) {
        var conf = net.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
            throw new UnsupportedOperationException("ONNX export needs one input and one output, got "
                    + conf.getNetworkInputs() + " -> " + conf.getNetworkOutputs());
        }
        String netInput = conf.getNetworkInputs().get(0);
        String netOutput = conf.getNetworkOutputs().get(0);
        ProtoWriter graph = new ProtoWriter();
        Map<String, String> tensorOf = new HashMap<>();
        Map<String, INDArray> inits = new java.util.LinkedHashMap<>();
        tensorOf.put(netInput, INPUT);
        long outputs = -1;
        long embeddingWidth = -1;
        int[] order = net.topologicalSortOrder();
        for (int vi : order) {
            String name = net.getVertices()[vi].getVertexName();
            if (name.equals(netInput)) {
                continue;
            }
            GraphVertex gv = conf.getVertices().get(name);
            List<String> ins = conf.getVertexInputs().get(name);
            String out;
            if (gv instanceof LayerVertex lv) {
                String x = tensorOf.get(ins.get(0));
                InputPreProcessor pre = lv.getPreProcessor();
                if (pre != null) {
                    if (pre instanceof CnnToFeedForwardPreProcessor c && c.getFormat() == CNN2DFormat.NCHW) {
                        String f = name + "/flatten";
                        node(graph, "Flatten", name + "_flatten", new String[] {x}, f, attrInt("axis", 1));
                        x = f;
                    } else {
                        throw new UnsupportedOperationException("vertex '" + name + "': preprocessor "
                                + pre.getClass().getSimpleName() + " is not supported by the ONNX exporter");
                    }
                }
                Layer layer = lv.getLayerConf().getLayer();
                org.deeplearning4j.nn.api.Layer live = net.getLayer(name);
                out = exportLayer(graph, name, layer, live, x, inits);
                if (layer instanceof OutputLayer o) {
                    outputs = o.getNOut();
                }
                if (name.equals(embeddingVertex) && layer instanceof DenseLayer d) {
                    embeddingWidth = d.getNOut();
                }
            } else if (gv instanceof ElementWiseVertex ew && ew.getOp() == ElementWiseVertex.Op.Add) {
                out = exportAdd(graph, name, ins, tensorOf);
            } else {
                throw new UnsupportedOperationException("vertex '" + name + "' of type " + gv.getClass().getSimpleName()
                        + " is not supported by the ONNX exporter");
            }
            tensorOf.put(name, out);
        }
        if (outputs < 0) {
            throw new UnsupportedOperationException("the graph's output vertex '" + netOutput + "' is not an OutputLayer");
        }
        node(graph, "Identity", "output_identity", new String[] {tensorOf.get(netOutput)}, OUTPUT);
        if (embeddingVertex != null) {
            if (embeddingWidth < 0) {
                throw new IllegalArgumentException("embedding vertex '" + embeddingVertex + "' is not a DenseLayer of the graph");
            }
            node(graph, "Identity", "embedding_identity", new String[] {tensorOf.get(embeddingVertex)}, EMBEDDING);
        }
        graph.string(2, "fabai");
        graph.message(11, valueInfo(INPUT, new Object[] {"N", (long) channels, (long) inputSize, (long) inputSize}));
        graph.message(12, valueInfo(OUTPUT, new Object[] {"N", outputs}));
        if (embeddingVertex != null) {
            graph.message(12, valueInfo(EMBEDDING, new Object[] {"N", embeddingWidth}));
        }
        for (Map.Entry<String, INDArray> init : inits.entrySet()) {
            graph.message(5, tensor(init.getKey(), init.getValue()));
        }
        return model(graph, metadata);
    }

    /** A residual Add of two tensors as an ONNX {@code Add} node; @return its output tensor */
    private static String exportAdd(ProtoWriter graph, String name, List<String> ins, Map<String, String> tensorOf) {
        String[] xs = new String[ins.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = tensorOf.get(ins.get(i));
        }
        if (xs.length != 2) {
            throw new UnsupportedOperationException("vertex '" + name + "': Add of " + xs.length
                    + " inputs; the exporter supports 2");
        }
        node(graph, "Add", name, xs, name);
        return name;
    }

    /** The ModelProto around the graph: IR version 7, producer fabai 0.1, the opset, the metadata. */
    private static byte[] model(ProtoWriter graph, Map<String, String> metadata) {
        ProtoWriter model = new ProtoWriter();
        model.varint(1, 7);
        model.string(2, "fabai");
        model.string(3, "0.1");
        model.message(7, graph);
        model.message(8, new ProtoWriter().string(1, "").varint(2, OPSET));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            model.message(14, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
        }
        return model.toByteArray();
    }

    private static String exportLayer(ProtoWriter g, String name, Layer layer, org.deeplearning4j.nn.api.Layer live,
                                      String x, Map<String, INDArray> inits) {
        String y;
        if (layer instanceof ConvolutionLayer c) {
            if (c.getKernelSize().length != 2) {
                throw new UnsupportedOperationException("vertex '" + name + "': only 2-D convolutions are exported");
            }
            if (c.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new UnsupportedOperationException("vertex '" + name + "': only NCHW convolutions are exported");
            }
            int[] pads = pads(name, c.getConvolutionMode(), c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation());
            String w = name + "/W";
            inits.put(w, live.getParam("W"));
            String[] ins;
            if (c.hasBias()) {
                String b = name + "/b";
                inits.put(b, live.getParam("b").reshape(live.getParam("b").length()));
                ins = new String[] {x, w, b};
            } else {
                ins = new String[] {x, w};
            }
            y = name + "/conv";
            node(g, "Conv", name, ins, y, attrInts("kernel_shape", c.getKernelSize()), attrInts("strides", c.getStride()),
                    attrInts("pads", pads), attrInts("dilations", c.getDilation()));
            return activation(g, name, c.getActivationFn(), y);
        }
        if (layer instanceof SubsamplingLayer s) {
            if (s.getPoolingType() != org.deeplearning4j.nn.conf.layers.PoolingType.MAX) {
                throw new UnsupportedOperationException("vertex '" + name + "': pooling " + s.getPoolingType()
                        + " is not exported (MAX only)");
            }
            if (s.getCnn2dDataFormat() != CNN2DFormat.NCHW) {
                throw new UnsupportedOperationException("vertex '" + name + "': only NCHW pooling is exported");
            }
            int[] pads = pads(name, s.getConvolutionMode(), s.getKernelSize(), s.getStride(), s.getPadding(), s.getDilation());
            node(g, "MaxPool", name, new String[] {x}, name, attrInts("kernel_shape", s.getKernelSize()),
                    attrInts("strides", s.getStride()), attrInts("pads", pads));
            return name;
        }
        if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
            boolean bias = layer instanceof DenseLayer d ? d.hasBias() : ((OutputLayer) layer).hasBias();
            String w = name + "/W";
            inits.put(w, live.getParam("W"));
            String[] ins;
            if (bias) {
                String b = name + "/b";
                inits.put(b, live.getParam("b").reshape(live.getParam("b").length()));
                ins = new String[] {x, w, b};
            } else {
                ins = new String[] {x, w};
            }
            y = name + "/gemm";
            node(g, "Gemm", name, ins, y, attrInt("transA", 0), attrInt("transB", 0));
            return activation(g, name, ((BaseLayer) layer).getActivationFn(), y);
        }
        if (layer instanceof ActivationLayer a) {
            return activation(g, name, a.getActivationFn(), x);
        }
        throw new UnsupportedOperationException("vertex '" + name + "': layer " + layer.getClass().getSimpleName()
                + " is not supported by the ONNX exporter");
    }

    private static int[] pads(String name, ConvolutionMode mode, int[] k, int[] s, int[] p, int[] d) {
        if (mode == ConvolutionMode.Same) {
            int[] pads = new int[4];
            for (int i = 0; i < 2; i++) {
                if (s[i] != 1) {
                    throw new UnsupportedOperationException("vertex '" + name + "': Same mode with stride " + s[i]
                            + " is not exported (stride 1 only)");
                }
                int total = d[i] * (k[i] - 1);
                pads[i] = total / 2;
                pads[i + 2] = total - total / 2;
            }
            return pads;
        }
        if (mode == ConvolutionMode.Truncate || mode == ConvolutionMode.Strict) {
            return new int[] {p[0], p[1], p[0], p[1]};
        }
        throw new UnsupportedOperationException("vertex '" + name + "': convolution mode " + mode + " is not exported");
    }

    private static String activation(ProtoWriter g, String name, IActivation a, String x) {
        String op;
        if (a instanceof ActivationIdentity) {
            return x;
        } else if (a instanceof ActivationReLU) {
            op = "Relu";
        } else if (a instanceof ActivationSigmoid) {
            op = "Sigmoid";
        } else if (a instanceof ActivationTanH) {
            op = "Tanh";
        } else if (a instanceof ActivationSoftmax) {
            node(g, "Softmax", name + "_softmax", new String[] {x}, name, attrInt("axis", 1));
            return name;
        } else {
            throw new UnsupportedOperationException("vertex '" + name + "': activation " + a + " is not exported");
        }
        node(g, op, name + "_" + op.toLowerCase(java.util.Locale.ROOT), new String[] {x}, name);
        return name;
    }

    private static void node(ProtoWriter g, String op, String name, String[] inputs, String output, ProtoWriter... attrs) {
        ProtoWriter n = new ProtoWriter();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, output);
        n.string(3, name);
        n.string(4, op);
        for (ProtoWriter a : attrs) {
            n.message(5, a);
        }
        g.message(1, n);
    }

    private static ProtoWriter attrInt(String name, long v) {
        return new ProtoWriter().string(1, name).varint(3, v).varint(20, ATTR_INT);
    }

    private static ProtoWriter attrInts(String name, int[] vs) {
        ProtoWriter a = new ProtoWriter().string(1, name);
        for (int v : vs) {
            a.varint(8, v);
        }
        return a.varint(20, ATTR_INTS);
    }

    private static ProtoWriter tensor(String name, INDArray arr) {
        ProtoWriter t = new ProtoWriter();
        for (long d : arr.shape()) {
            t.varint(1, d);
        }
        t.varint(2, FLOAT);
        t.string(8, name);
        float[] data = arr.dup('c').data().asFloat();
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        t.bytes(9, bb.array());
        return t;
    }

    private static ProtoWriter valueInfo(String name, Object[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof String s) {
                dim.string(2, s);
            } else {
                dim.varint(1, (Long) d);
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        ProtoWriter type = new ProtoWriter().message(1, tensorType);
        return new ProtoWriter().string(1, name).message(2, type);
    }
}
