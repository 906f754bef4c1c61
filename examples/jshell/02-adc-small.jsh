// fabai ADC, small-model path: generate synthetic maps, train the feature classifier, evaluate, classify one map.
// Run from the repository root:  bin/fabai-jshell examples/jshell/02-adc-small.jsh
import org.fabai.adc.synth.*;
import org.fabai.adc.model.*;
import org.fabai.adc.eval.*;
import java.nio.file.Path;

var gen = new WaferMapGenerator();                       // WM-811K's nine classes, seeded
var train = gen.balanced(200, 1);                        // 1,800 maps, 26-64 dies a side
var test = gen.balanced(100, 2);                         // held out: another seed

var model = FeatureClassifier.fit(WaferMapGenerator.maps(train), WaferMapGenerator.labels(train),
        FeatureClassifierConfig.defaults());            // random forest, unknown threshold at 2% false rejects

var predictions = model.predictBatch(WaferMapGenerator.maps(test));
var cm = ConfusionMatrix.ofPredictions(model.classNames(), WaferMapGenerator.labels(test), predictions);
System.out.println(cm.report("none"));
EvalCharts.writeConfusionPng(cm, "small model", Path.of("target/adc-small-confusion.png"));

var scratch = gen.generate(DefectPattern.SCRATCH, 42).map();
var p = model.predict(scratch);
System.out.printf("one map: %s (best %s, p=%.3f, unknown=%b)%n", p.label(), p.bestClass(), p.confidence(), p.isUnknown());

model.save(Path.of("target/adc-small.fabai"));           // versioned file with provenance
var again = FeatureClassifier.load(Path.of("target/adc-small.fabai"));
System.out.println("reloaded: " + again.predict(scratch) + ", validation macro-F1 " + again.provenance().get("validation.macroF1").orElse("?"));
model.close(); again.close();
/exit
