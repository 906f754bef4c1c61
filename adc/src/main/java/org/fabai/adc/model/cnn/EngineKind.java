package org.fabai.adc.model.cnn;

import java.util.Locale;

/** Which engine runs a {@link CnnClassifier}'s forward pass. Immutable and thread-safe. */
public enum EngineKind {
    /** Deeplearning4j, the reference. */
    DL4J,
    /** ONNX Runtime on the CPU, the default for serving. */
    ONNX,
    /** fabai's plain-Java interpreter of the exported ONNX graph (no native code; slow; a cross-check). */
    JAVA,
    /** cuDNN and cuBLAS through JavaCPP's CUDA presets; needs the {@code fabai-adc-gpu} module and a CUDA device. */
    GPU;

    /**
     * @param s {@code dl4j}, {@code onnx}, {@code java} or {@code gpu}, any case
     * @return the engine kind
     * @throws IllegalArgumentException for another name
     */
    public static EngineKind parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("engine must be dl4j, onnx, java or gpu, got '" + s + "'", e);
        }
    }
}
