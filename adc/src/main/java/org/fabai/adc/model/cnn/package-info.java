/**
 * The CNN path of fabai's wafer-map classification: {@link org.fabai.adc.model.cnn.CnnClassifier}
 * trained with Deeplearning4j 1.0.0-M2.1 on the CPU and served by one of several
 * {@link org.fabai.adc.engine.InferenceEngine}s ({@link org.fabai.adc.model.cnn.EngineKind}).
 *
 * <h2>Public API in four calls</h2>
 * <pre>
 * CnnClassifier cnn = CnnClassifier.train(maps, labels, CnnConfig.defaults(42));      // train (DL4J)
 * Prediction p = cnn.predict(map);                                                    // predict (DL4J)
 * cnn.exportOnnx(Path.of("cnn.onnx"));                                                // + cnn.onnx.properties
 * try (InferenceEngine ort = OnnxRuntimeEngine.open(Path.of("cnn.onnx"))) { ... }     // serve (ONNX Runtime)
 * try (CnnClassifier served = cnn.withEngine(EngineKind.ONNX)) { served.predict(map); }
 * </pre>
 *
 * <h2>Native libraries</h2>
 * Training and loading need Deeplearning4j's native libraries (the oneDNN build of nd4j-native and
 * oneDNN, Linux x86-64), which {@code fabai-adc} does not bring: add {@code org.fabai:fabai-adc-native}
 * (type {@code pom}). Without them the first use of these classes fails with an
 * {@link java.lang.IllegalStateException} naming it ({@link org.fabai.adc.model.cnn.Dl4jBackend#configure()}).
 * Serving an exported ONNX model through {@link org.fabai.adc.onnx.OnnxRuntimeEngine} needs none of them.
 *
 * <h2>Native memory</h2>
 * Deeplearning4j keeps its arrays off the Java heap through JavaCPP; cap it with
 * {@code -Dorg.bytedeco.javacpp.maxbytes=2G} (off-heap arrays) and
 * {@code -Dorg.bytedeco.javacpp.maxphysicalbytes=4G} (whole process); ND4J's threads follow
 * {@code OMP_NUM_THREADS}. Training and inference use DL4J workspaces (reused buffers), so memory
 * stays flat across epochs. ONNX Runtime's memory is governed by
 * {@link org.fabai.adc.onnx.OnnxRuntimeEngine.Options} (CPU arena on or off). The GPU engine
 * (module {@code fabai-adc-gpu}) holds the weights and one plan per batch size on the device.
 */
package org.fabai.adc.model.cnn;
