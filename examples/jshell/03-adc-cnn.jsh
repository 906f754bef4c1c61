// fabai ADC part 2: the CNN wafer-map classifier, trained on Deeplearning4j, served by ONNX Runtime.
// Run from the repository root:  bin/fabai-jshell examples/jshell/03-adc-cnn.jsh
import java.nio.file.*;
import java.util.*;
import org.fabai.adc.synth.*;
import org.fabai.adc.model.*;
import org.fabai.adc.model.cnn.*;
import org.fabai.adc.eval.*;
import org.fabai.adc.onnx.*;

// 1. data: the generator's nine WM-811K classes (seeded), a training set and a held-out set
var gen = new WaferMapGenerator();
var train = gen.balanced(200, 1);
var test = gen.balanced(20, 2);

// 2. train: 32x32 input, the default (residual) network, a few epochs (progress is logged per epoch).
//    A quick demo (under a minute). CnnConfig.defaults(42) as it is -- 64x64, 20 epochs,
//    800 maps per class -- reaches macro-F1 0.98 in about 5 minutes on 2 cores (adc/CNN.md).
var cfg = CnnConfig.defaults(42).withInputSize(32).withEpochs(12);
var cnn = CnnClassifier.train(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train), cfg);
System.out.println(cnn + "  " + cnn.provenance());

// 3. evaluate on the held-out maps
var preds = cnn.predictBatch(WaferMapGenerator.maps(test));
var cm = ConfusionMatrix.ofPredictions(cnn.classNames(), WaferMapGenerator.labels(test), preds);
System.out.println(cm.report("none"));

// 4. serve with ONNX Runtime (same answers as DL4J within 1e-4), export for other tools
var served = cnn.withEngine(EngineKind.ONNX);
System.out.println(served.predict(WaferMapGenerator.maps(test).get(0)));
cnn.exportOnnx(Path.of("/tmp/fabai-cnn.onnx"));          // + /tmp/fabai-cnn.onnx.properties
try (var ort = OnnxRuntimeEngine.open(Path.of("/tmp/fabai-cnn.onnx"))) {
    float[] x = WaferEncoding.ONE_HOT.encode(WaferMapGenerator.maps(test).subList(0, 4), ort.inputSize());
    System.out.println(Arrays.toString(ort.forward(x, 4)[0]));
}

// 5. similar-wafer search on the network's embedding
var index = EmbeddingIndex.build(cnn, WaferMapGenerator.maps(test), WaferMapGenerator.labels(test));
System.out.println(index.nearest(WaferMapGenerator.maps(train).get(0), 5));

// 6. save with provenance (fabai's model file), load back
cnn.save(Path.of("/tmp/fabai-cnn.fabai"));
var back = CnnClassifier.load(Path.of("/tmp/fabai-cnn.fabai"));
System.out.println(back.predict(WaferMapGenerator.maps(test).get(0)));
served.close();
/exit
