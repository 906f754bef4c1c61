/**
 * Two inference engines (implementations of {@link org.fabai.adc.engine.InferenceEngine}, registered
 * as {@link org.fabai.adc.engine.EngineProvider} services {@code onnx} and {@code java}) and fabai's
 * own ONNX tooling, written from the ONNX specification: a protobuf wire-format codec
 * ({@link org.fabai.adc.onnx.ProtoWriter}, {@link org.fabai.adc.onnx.ProtoReader}), the exporter
 * of Deeplearning4j graphs ({@link org.fabai.adc.onnx.OnnxExporter}), a hand-writing builder
 * ({@link org.fabai.adc.onnx.OnnxModelWriter}), a parser ({@link org.fabai.adc.onnx.OnnxGraph}),
 * ONNX Runtime on the CPU ({@link org.fabai.adc.onnx.OnnxRuntimeEngine}, the default for serving,
 * also for models trained elsewhere with an {@link org.fabai.adc.onnx.OnnxModelSpec} sidecar) and
 * a plain-Java interpreter ({@link org.fabai.adc.onnx.OnnxJavaEngine}). Only the exporter needs
 * Deeplearning4j; the rest is what the GPU module builds on.
 */
package org.fabai.adc.onnx;
