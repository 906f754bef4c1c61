package org.fabai.adc.onnx;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import org.fabai.core.io.FormatException;

/**
 * What an ONNX wafer-map model needs declared beside it: class names, input size, how maps are
 * encoded, the tensor layout, which output to read and whether to apply an activation to it.
 * Immutable and thread-safe.
 *
 * <p>The sidecar file is {@code <model>.onnx.properties}, for example for a PyTorch export:
 * <pre>
 * classes=Center,Donut,Edge-Loc,Edge-Ring,Loc,Near-full,Random,Scratch,none
 * inputSize=64
 * encoding=codes          # one_hot (3 channels), codes (0/1/2) or codes_scaled (0/0.5/1)
 * layout=NCHW             # or NHWC (Keras)
 * output=logits           # optional: the output to read (default: the first)
 * activation=softmax      # none, softmax or sigmoid, applied to that output
 * </pre>
 *
 * @param classNames class names, in output order (no commas)
 * @param inputSize  side N of the N x N input, in [8, 1024]
 * @param encoding   how maps become input channels
 * @param layout     tensor layout of the model's input
 * @param outputName the output to read, or null for the model's first output
 * @param activation applied to the output row by fabai
 */
public record OnnxModelSpec(List<String> classNames, int inputSize, WaferEncoding encoding, Layout layout,
                            String outputName, Activation activation) {

    /** Input tensor layout. Immutable and thread-safe. */
    public enum Layout {
        /** [N, C, H, W] (PyTorch, fabai). */
        NCHW,
        /** [N, H, W, C] (Keras / TensorFlow). */
        NHWC
    }

    /** Activation fabai applies to the model's output. Immutable and thread-safe. */
    public enum Activation {
        /** Use the output as it is (the model ends in softmax or sigmoid). */
        NONE,
        /** Softmax over each row (the model outputs logits). */
        SOFTMAX,
        /** Element-wise sigmoid (multi-label logits). */
        SIGMOID
    }

    /** Validates. */
    public OnnxModelSpec {
        classNames = List.copyOf(classNames);
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(layout, "layout");
        Objects.requireNonNull(activation, "activation");
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames must not be empty");
        }
        for (String c : classNames) {
            if (c.isBlank() || c.contains(",")) {
                throw new IllegalArgumentException("class name must be non-blank without commas, got '" + c + "'");
            }
        }
        if (inputSize < 8 || inputSize > 1024) {
            throw new IllegalArgumentException("inputSize must be in [8, 1024], got " + inputSize);
        }
    }

    /**
     * @param onnxFile the model file
     * @return its sidecar, {@code <model file name>.properties} in the same folder
     */
    public static Path sidecarOf(Path onnxFile) {
        return onnxFile.resolveSibling(onnxFile.getFileName() + ".properties");
    }

    /**
     * Reads a sidecar.
     *
     * @param file the properties file
     * @return the spec
     * @throws IOException     if reading fails
     * @throws FormatException if a key is missing or a value is malformed
     */
    public static OnnxModelSpec readSidecar(Path file) throws IOException, FormatException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String src = file.toString();
        try {
            List<String> classes = new ArrayList<>();
            for (String c : req(p, "classes", src).split(",")) {
                classes.add(c.trim());
            }
            int size = Integer.parseInt(req(p, "inputSize", src).trim());
            WaferEncoding enc = WaferEncoding.parse(req(p, "encoding", src));
            Layout layout = Layout.valueOf(p.getProperty("layout", "NCHW").trim().toUpperCase(Locale.ROOT));
            String out = p.getProperty("output");
            Activation act = Activation.valueOf(p.getProperty("activation", "none").trim().toUpperCase(Locale.ROOT));
            return new OnnxModelSpec(classes, size, enc, layout, out == null || out.isBlank() ? null : out.trim(), act);
        } catch (IllegalArgumentException e) {
            throw new FormatException(src, "sidecar properties", e.getMessage(), e);
        }
    }

    private static String req(Properties p, String key, String src) throws FormatException {
        String v = p.getProperty(key);
        if (v == null) {
            throw new FormatException(src, "sidecar properties", "missing key '" + key + "'");
        }
        return v;
    }

    /**
     * Writes this spec as a sidecar.
     *
     * @param file the properties file
     * @throws IOException if writing fails
     */
    public void writeSidecar(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("classes", String.join(",", classNames));
        p.setProperty("inputSize", Integer.toString(inputSize));
        p.setProperty("encoding", encoding.name().toLowerCase(Locale.ROOT));
        p.setProperty("layout", layout.name());
        if (outputName != null) {
            p.setProperty("output", outputName);
        }
        p.setProperty("activation", activation.name().toLowerCase(Locale.ROOT));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(w, "fabai ONNX model sidecar");
        }
    }
}
