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

    /** Opens an engine of one kind: a static factory of an engine class. */
    @FunctionalInterface
    interface Opener {
        /**
         * @param onnx the ONNX model bytes
         * @param spec what the model takes and gives
         * @return the engine
         */
        InferenceEngine open(byte[] onnx, OnnxModelSpec spec);
    }

    /**
     * A kind opened by one factory: what a service class extends, giving both to {@code super} from
     * its public no-argument constructor (and overriding {@link #unavailableReason()} where the
     * engine needs a device). Thread-safe.
     */
    abstract class Of implements EngineProvider {
        private final String kind;
        private final Opener opener;

        /**
         * @param kind   the engine kind, lower case
         * @param opener what opens it
         */
        protected Of(String kind, Opener opener) {
            this.kind = kind;
            this.opener = opener;
        }

        @Override
        public final String kind() {
            return kind;
        }

        @Override
        public final InferenceEngine open(byte[] onnx, OnnxModelSpec spec) {
            return opener.open(onnx, spec);
        }
    }
}
