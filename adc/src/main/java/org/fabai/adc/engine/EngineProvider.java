package org.fabai.adc.engine;

import java.util.Optional;
import org.fabai.adc.onnx.OnnxModelSpec;

/**
 * A kind of {@link InferenceEngine} that serves an exported ONNX network, found at run time through
 * {@link java.util.ServiceLoader} (see {@link Engines}). A module that brings an engine lists its
 * provider class in {@code META-INF/services/org.fabai.adc.engine.EngineProvider}: fabai-adc lists
 * {@code onnx} (ONNX Runtime on the CPU) and {@code java} (the plain-Java interpreter),
 * fabai-adc-gpu lists {@code gpu} (cuDNN). Implementations need a public no-argument constructor
 * and must be thread-safe.
 */
public interface EngineProvider {

    /** @return the engine kind, lower case, as {@code --engine} names it: {@code onnx}, {@code java}, {@code gpu} */
    String kind();

    /**
     * @return empty when the engine can run in this JVM, else why not (no device, a native library
     *         missing); the default says it can
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * Opens an engine on an exported network; the caller closes it.
     *
     * @param onnx the ONNX model bytes
     * @param spec what the model takes and gives
     * @return the engine
     * @throws IllegalArgumentException if the model does not match the spec or uses what the engine cannot run
     * @throws IllegalStateException    if the engine cannot start
     */
    InferenceEngine open(byte[] onnx, OnnxModelSpec spec);
}
