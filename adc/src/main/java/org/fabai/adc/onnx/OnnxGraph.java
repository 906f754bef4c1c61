package org.fabai.adc.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed ONNX model reduced to what fabai's engines without ONNX Runtime need: the nodes in
 * order, the float initializers, the input's dimensions and the output names. Parsed with fabai's
 * own protobuf reader ({@link ProtoReader}); needs neither ONNX Runtime nor Deeplearning4j, so the
 * GPU engine can use it alone. Immutable and thread-safe.
 */
public final class OnnxGraph {

    /**
     * A float tensor (an initializer). Treat as immutable (the arrays are shared); thread-safe to read.
     *
     * @param name tensor name
     * @param dims dimensions
     * @param data values, row-major
     */
    public record Tensor(String name, long[] dims, float[] data) {
    }

    /**
     * One operator node. Treat as immutable; thread-safe to read.
     *
     * @param op      operator type, e.g. {@code Conv}
     * @param name    node name
     * @param inputs  input tensor names
     * @param outputs output tensor names
     * @param ints    integer and integer-list attributes
     * @param floats  float attributes
     */
    public record Node(String op, String name, List<String> inputs, List<String> outputs,
                       Map<String, long[]> ints, Map<String, Float> floats) {

        /**
         * @param attr attribute name
         * @param def  default
         * @return the integer attribute, or the default
         */
        public long intAttr(String attr, long def) {
            long[] v = ints.get(attr);
            return v == null || v.length == 0 ? def : v[0];
        }

        /**
         * @param attr attribute name
         * @param def  default
         * @return the integer-list attribute, or the default
         */
        public long[] intsAttr(String attr, long[] def) {
            long[] v = ints.get(attr);
            return v == null ? def : v;
        }
    }

    private final List<Node> nodes;
    private final Map<String, Tensor> initializers;
    private final String inputName;
    private final long[] inputDims;
    private final List<String> outputNames;
    private final Map<String, String> metadata;
    private final long opset;

    private OnnxGraph(List<Node> nodes, Map<String, Tensor> initializers, String inputName, long[] inputDims,
                      List<String> outputNames, Map<String, String> metadata, long opset) {
        this.nodes = List.copyOf(nodes);
        this.initializers = Collections.unmodifiableMap(initializers);
        this.inputName = inputName;
        this.inputDims = inputDims;
        this.outputNames = List.copyOf(outputNames);
        this.metadata = Collections.unmodifiableMap(metadata);
        this.opset = opset;
    }

    /**
     * Parses a model.
     *
     * @param model ONNX model bytes
     * @return the graph
     * @throws IllegalArgumentException if the bytes are not a well-formed ONNX model with one
     *                                  non-initializer input and float initializers
     */
    public static OnnxGraph parse(byte[] model) {
        ProtoReader m = new ProtoReader(model);
        ProtoReader graph = null;
        long opset = -1;
        Map<String, String> meta = new LinkedHashMap<>();
        while (m.next()) {
            switch (m.field()) {
                case 7 -> graph = m.message();
                case 8 -> {
                    ProtoReader o = m.message();
                    String domain = "";
                    long v = -1;
                    while (o.next()) {
                        if (o.field() == 1) {
                            domain = o.string();
                        } else if (o.field() == 2) {
                            v = o.varint();
                        } else {
                            o.skip();
                        }
                    }
                    if (domain.isEmpty() || domain.equals("ai.onnx")) {
                        opset = v;
                    }
                }
                case 14 -> {
                    ProtoReader e = m.message();
                    String k = null;
                    String v = null;
                    while (e.next()) {
                        if (e.field() == 1) {
                            k = e.string();
                        } else if (e.field() == 2) {
                            v = e.string();
                        } else {
                            e.skip();
                        }
                    }
                    if (k != null) {
                        meta.put(k, v == null ? "" : v);
                    }
                }
                default -> m.skip();
            }
        }
        if (graph == null) {
            throw new IllegalArgumentException("ONNX model has no graph (field 7)");
        }
        List<Node> nodes = new ArrayList<>();
        Map<String, Tensor> inits = new LinkedHashMap<>();
        List<String[]> inputs = new ArrayList<>();
        Map<String, long[]> inputShapes = new LinkedHashMap<>();
        List<String> outputs = new ArrayList<>();
        while (graph.next()) {
            switch (graph.field()) {
                case 1 -> nodes.add(node(graph.message()));
                case 5 -> {
                    Tensor t = tensor(graph.message());
                    inits.put(t.name(), t);
                }
                case 11 -> {
                    Object[] vi = valueInfo(graph.message());
                    inputs.add(new String[] {(String) vi[0]});
                    inputShapes.put((String) vi[0], (long[]) vi[1]);
                }
                case 12 -> outputs.add((String) valueInfo(graph.message())[0]);
                default -> graph.skip();
            }
        }
        List<String> real = new ArrayList<>();
        for (String[] in : inputs) {
            if (!inits.containsKey(in[0])) {
                real.add(in[0]);
            }
        }
        if (real.size() != 1) {
            throw new IllegalArgumentException("ONNX graph must have exactly one non-initializer input, has " + real);
        }
        return new OnnxGraph(nodes, inits, real.get(0), inputShapes.get(real.get(0)), outputs, meta, opset);
    }

    private static Node node(ProtoReader r) {
        String op = null;
        String name = "";
        List<String> ins = new ArrayList<>();
        List<String> outs = new ArrayList<>();
        Map<String, long[]> ints = new LinkedHashMap<>();
        Map<String, Float> floats = new LinkedHashMap<>();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> ins.add(r.string());
                case 2 -> outs.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 5 -> {
                    ProtoReader a = r.message();
                    String an = null;
                    List<Long> iv = new ArrayList<>();
                    Float fv = null;
                    while (a.next()) {
                        switch (a.field()) {
                            case 1 -> an = a.string();
                            case 2 -> fv = a.float32();
                            case 3, 8 -> a.varints(iv);
                            default -> a.skip();
                        }
                    }
                    if (an != null) {
                        if (fv != null) {
                            floats.put(an, fv);
                        }
                        if (!iv.isEmpty()) {
                            ints.put(an, iv.stream().mapToLong(Long::longValue).toArray());
                        }
                    }
                }
                default -> r.skip();
            }
        }
        if (op == null) {
            throw new IllegalArgumentException("ONNX node '" + name + "' has no op_type");
        }
        return new Node(op, name, ins, outs, ints, floats);
    }

    private static Tensor tensor(ProtoReader r) {
        List<Long> dims = new ArrayList<>();
        int type = 1;
        String name = "";
        List<Float> fd = new ArrayList<>();
        byte[] raw = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.varints(dims);
                case 2 -> type = (int) r.varint();
                case 4 -> r.floats(fd);
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                default -> r.skip();
            }
        }
        if (type != 1) {
            throw new IllegalArgumentException("ONNX initializer '" + name + "' has data type " + type
                    + "; only FLOAT (1) is supported");
        }
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        float[] data;
        if (raw != null) {
            if (raw.length != count * 4) {
                throw new IllegalArgumentException("ONNX initializer '" + name + "' has " + raw.length
                        + " raw bytes, dims " + dims + " need " + (count * 4));
            }
            data = new float[(int) count];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        } else {
            if (fd.size() != count) {
                throw new IllegalArgumentException("ONNX initializer '" + name + "' has " + fd.size()
                        + " floats, dims " + dims + " need " + count);
            }
            data = new float[fd.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = fd.get(i);
            }
        }
        return new Tensor(name, dims.stream().mapToLong(Long::longValue).toArray(), data);
    }

    private static Object[] valueInfo(ProtoReader r) {
        String name = "";
        List<Long> dims = new ArrayList<>();
        while (r.next()) {
            if (r.field() == 1) {
                name = r.string();
            } else if (r.field() == 2) {
                ProtoReader type = r.message();
                while (type.next()) {
                    if (type.field() == 1) {
                        ProtoReader tt = type.message();
                        while (tt.next()) {
                            if (tt.field() == 2) {
                                ProtoReader shape = tt.message();
                                while (shape.next()) {
                                    if (shape.field() == 1) {
                                        ProtoReader dim = shape.message();
                                        long v = -1;
                                        while (dim.next()) {
                                            if (dim.field() == 1) {
                                                v = dim.varint();
                                            } else {
                                                dim.skip();
                                            }
                                        }
                                        dims.add(v);
                                    } else {
                                        shape.skip();
                                    }
                                }
                            } else {
                                tt.skip();
                            }
                        }
                    } else {
                        type.skip();
                    }
                }
            } else {
                r.skip();
            }
        }
        return new Object[] {name, dims.stream().mapToLong(Long::longValue).toArray()};
    }

    /** @return the nodes in file (topological) order */
    public List<Node> nodes() {
        return nodes;
    }

    /** @return float initializers by name */
    public Map<String, Tensor> initializers() {
        return initializers;
    }

    /** @return the input tensor's name */
    public String inputName() {
        return inputName;
    }

    /** @return the input's dimensions (-1 where symbolic), a copy */
    public long[] inputDims() {
        return inputDims == null ? new long[0] : inputDims.clone();
    }

    /** @return the graph's output names */
    public List<String> outputNames() {
        return outputNames;
    }

    /** @return the model's metadata properties */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return the default-domain opset version, or -1 when absent */
    public long opset() {
        return opset;
    }
}
