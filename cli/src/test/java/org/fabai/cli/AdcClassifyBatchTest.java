package org.fabai.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fabai.adc.model.Prediction;
import org.fabai.adc.model.WaferMapClassifier;
import org.fabai.core.wafer.WaferMap;
import org.junit.jupiter.api.Test;

/** {@code adc classify} batches by map count and by dies, so that big maps do not make a big batch. */
class AdcClassifyBatchTest {

    /** Records the size of every batch it is asked to classify. */
    private static final class Recording implements WaferMapClassifier {
        final List<Integer> batches = new ArrayList<>();
        final List<Long> dies = new ArrayList<>();

        @Override
        public List<String> classNames() {
            return List.of("Center", "none");
        }

        @Override
        public Prediction predict(WaferMap map) {
            return new Prediction("none", "none", new double[] {0.1, 0.9}, classNames());
        }

        @Override
        public List<Prediction> predictBatch(List<WaferMap> maps) {
            batches.add(maps.size());
            dies.add(maps.stream().mapToLong(m -> (long) m.rows() * m.cols()).sum());
            return WaferMapClassifier.super.predictBatch(maps);
        }

        @Override
        public void save(Path file) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void bigMapsGoInBatchesOfBoundedDiesSmallOnesInBatchesOfBoundedCount() throws Exception {
        Recording c = new Recording();
        StringWriter out = new StringWriter();
        AdcOutput.Predictions report = new AdcOutput.Predictions(new PrintWriter(out), false, 1, null, Path.of("m"), c);
        report.begin(Path.of("f.npz"));
        AdcCommand.Classify.Pending pending = new AdcCommand.Classify.Pending(c, report);
        WaferMap big = WaferMap.fromCodes(300, 300, new byte[300 * 300]);
        WaferMap small = WaferMap.fromCodes(30, 30, new byte[30 * 30]);
        for (int i = 0; i < 400; i++) {
            pending.add(big, i % 2 == 0 ? "none" : "Center", List.of(i % 2 == 0 ? "none" : "Center"));
        }
        for (int i = 0; i < 5000; i++) {
            pending.add(small, "none", List.of("none"));
        }
        pending.flush();
        report.end();
        assertEquals(5400, c.batches.stream().mapToInt(Integer::intValue).sum());
        for (int i = 0; i < c.batches.size(); i++) {
            assertTrue(c.batches.get(i) <= AdcCommand.Classify.BATCH, c.batches.toString());
            // a batch stops at the first map that reaches the limit: at most one map beyond it
            assertTrue(c.dies.get(i) < AdcCommand.Classify.BATCH_DIES + 300 * 300, c.dies.toString());
        }
        assertEquals(187, (int) c.batches.get(0), "16 Mi dies of 300 x 300 maps: " + c.batches);
        assertTrue(c.batches.contains(AdcCommand.Classify.BATCH), c.batches.toString());
        assertTrue(out.toString().contains("f.npz: 5400 wafers") && out.toString().contains("accuracy 0.9630"),
                out.toString());
    }
}
