/**
 * Inference engines behind one interface: {@link org.fabai.adc.engine.InferenceEngine} (a forward
 * pass over an NCHW batch), {@link org.fabai.adc.engine.EngineBase} (the name, shape and
 * open/closed state every engine shares), and {@link org.fabai.adc.engine.EngineProvider}, the
 * service a module registers so that {@link org.fabai.adc.engine.Engines} finds its engine through
 * {@link java.util.ServiceLoader} rather than by class name.
 *
 * <pre>{@code
 * try (InferenceEngine e = Engines.open("onnx", onnxBytes, spec)) {   // or "java", or "gpu" with fabai-adc-gpu
 *     float[][] probabilities = e.forward(batch, n);
 * }
 * }</pre>
 *
 * <p>The implementations live beside what they run: {@code onnx.OnnxRuntimeEngine} and
 * {@code onnx.OnnxJavaEngine} (fabai-adc), {@code model.cnn.Dl4jEngine} (the Deeplearning4j
 * reference, opened by {@code CnnClassifier} on its own network), {@code gpu.CudnnEngine}
 * (fabai-adc-gpu).
 */
package org.fabai.adc.engine;
