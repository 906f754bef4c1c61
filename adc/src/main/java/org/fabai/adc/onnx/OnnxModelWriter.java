package org.fabai.adc.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * A small builder for ONNX models written by hand (opset {@value OnnxExporter#OPSET}, float
 * tensors): nodes, initializers, one input and outputs. Useful for test models and for models
 * assembled outside Deeplearning4j. Not thread-safe.
 */
public final class OnnxModelWriter {

    private final ProtoWriter graph = new ProtoWriter();
    private final ProtoWriter model = new ProtoWriter();

    /**
     * @param graphName the graph's name
     */
    public OnnxModelWriter(String graphName) {
        graph.string(2, graphName);
    }

    /**
     * Adds a node.
     *
     * @param op      operator type
     * @param name    node name
     * @param inputs  input tensor names
     * @param output  output tensor name
     * @param intAttrs integer-list attributes (a one-element list is written as an INT attribute
     *                 when its name is {@code axis}, {@code transA}, {@code transB}, {@code group} or
     *                 {@code ceil_mode}, as the operator spec types them)
     * @return this
     */
    public OnnxModelWriter node(String op, String name, String[] inputs, String output, Map<String, long[]> intAttrs) {
        ProtoWriter n = new ProtoWriter();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, output).string(3, name).string(4, op);
        for (Map.Entry<String, long[]> a : intAttrs.entrySet()) {
            ProtoWriter at = new ProtoWriter().string(1, a.getKey());
            boolean single = switch (a.getKey()) {
                case "axis", "transA", "transB", "group", "ceil_mode" -> true;
                default -> false;
            };
            if (single) {
                at.varint(3, a.getValue()[0]).varint(20, 2);
            } else {
                for (long v : a.getValue()) {
                    at.varint(8, v);
                }
                at.varint(20, 7);
            }
            n.message(5, at);
        }
        graph.message(1, n);
        return this;
    }

    /**
     * Adds a float initializer.
     *
     * @param name tensor name
     * @param dims dimensions
     * @param data values, row-major
     * @return this
     */
    public OnnxModelWriter initializer(String name, long[] dims, float[] data) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != data.length) {
            throw new IllegalArgumentException("initializer '" + name + "': dims hold " + count + " values, data " + data.length);
        }
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, 1).string(8, name);
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        t.bytes(9, bb.array());
        graph.message(5, t);
        return this;
    }

    /**
     * Declares the graph input (float).
     *
     * @param name tensor name
     * @param dims dimensions; -1 for a symbolic batch dimension {@code N}
     * @return this
     */
    public OnnxModelWriter input(String name, long[] dims) {
        graph.message(11, valueInfo(name, dims));
        return this;
    }

    /**
     * Declares a graph output (float).
     *
     * @param name tensor name
     * @param dims dimensions; -1 for symbolic
     * @return this
     */
    public OnnxModelWriter output(String name, long[] dims) {
        graph.message(12, valueInfo(name, dims));
        return this;
    }

    /**
     * Adds a metadata property.
     *
     * @param key   key
     * @param value value
     * @return this
     */
    public OnnxModelWriter metadata(String key, String value) {
        model.message(14, new ProtoWriter().string(1, key).string(2, value));
        return this;
    }

    /** @return the model bytes (IR version 7, default-domain opset {@value OnnxExporter#OPSET}) */
    public byte[] toByteArray() {
        ProtoWriter m = new ProtoWriter();
        m.varint(1, 7).string(2, "fabai").string(3, "0.1");
        m.message(7, graph);
        m.message(8, new ProtoWriter().string(1, "").varint(2, OnnxExporter.OPSET));
        byte[] meta = model.toByteArray();
        byte[] head = m.toByteArray();
        byte[] out = new byte[head.length + meta.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(meta, 0, out, head.length, meta.length);
        return out;
    }

    private static ProtoWriter valueInfo(String name, long[] dims) {
        ProtoWriter shape = new ProtoWriter();
        for (long d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d < 0) {
                dim.string(2, "N");
            } else {
                dim.varint(1, d);
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, 1).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
