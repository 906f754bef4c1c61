package org.fabai.adc.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.fabai.adc.onnx.OnnxModelSpec;

/**
 * The {@link EngineProvider}s on the class path, by kind. Thread-safe; every call asks the
 * {@link ServiceLoader} afresh (opening an engine costs far more than finding it).
 */
public final class Engines {

    private Engines() {
    }

    /**
     * @return every provider the class path lists, in class-path order
     * @throws IllegalStateException if a listed provider cannot be instantiated
     */
    public static List<EngineProvider> providers() {
        List<EngineProvider> out = new ArrayList<>();
        try {
            for (EngineProvider p : ServiceLoader.load(EngineProvider.class, Engines.class.getClassLoader())) {
                out.add(p);
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("an inference engine listed in META-INF/services cannot be loaded: "
                    + e.getMessage(), e);
        }
        return out;
    }

    /**
     * @param kind the engine kind, any case ({@code onnx}, {@code java}, {@code gpu})
     * @return its provider
     * @throws IllegalStateException if no provider of that kind is on the class path (naming the
     *                               module that brings it for {@code gpu})
     */
    public static EngineProvider provider(String kind) {
        String k = kind.trim().toLowerCase(Locale.ROOT);
        List<String> kinds = new ArrayList<>();
        for (EngineProvider p : providers()) {
            if (p.kind().equals(k)) {
                return p;
            }
            kinds.add(p.kind());
        }
        throw new IllegalStateException("no inference engine '" + k + "' on the class path (found: " + kinds + ")"
                + (k.equals("gpu") ? "; the GPU engine needs the fabai-adc-gpu module on the class path" : ""));
    }

    /**
     * Opens an engine of a kind on an exported network; the caller closes it.
     *
     * @param kind the engine kind
     * @param onnx the ONNX model bytes
     * @param spec what the model takes and gives
     * @return the engine
     * @throws IllegalStateException if there is no such engine, or it cannot run here or start
     */
    public static InferenceEngine open(String kind, byte[] onnx, OnnxModelSpec spec) {
        EngineProvider p = provider(kind);
        p.unavailableReason().ifPresent(why -> {
            throw new IllegalStateException("inference engine '" + p.kind() + "' cannot run here: " + why);
        });
        return p.open(onnx, spec);
    }
}
