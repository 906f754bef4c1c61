package org.fabai.benchmarks.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.Row;
import org.fabai.adc.model.Prediction;
import org.fabai.apc.sim.Replay;
import org.junit.jupiter.api.Test;

/**
 * Each benchmark once, at a small size: the Spark path and its single-JVM peer compute the same thing, so that
 * their ratio compares like with like.
 */
class SparkBenchTest {

    @Test
    void sparkAdcAndTheCliPathGiveTheSamePredictions() throws Exception {
        SparkAdcBench b = new SparkAdcBench();
        b.maps = 40;
        b.setUp();
        try {
            List<Row> spark = b.sparkClassify();
            List<?> one = b.singleJvmClassify();
            assertEquals(40, spark.size());
            assertEquals(40, one.size());
            for (Row r : spark) {
                // the Parquet maps are named W<index>, the NPZ reader's by their index
                Prediction p = (Prediction) one.get(Integer.parseInt(r.getString(0).substring(1)));
                assertEquals(p.label(), r.getString(2), r.getString(0));
                assertEquals(p.confidence(), r.getDouble(4), 1e-6, r.getString(0));
            }
        } finally {
            b.tearDown();
        }
    }

    @Test
    void sparkReplayAndTheCliPathGiveTheSameSteps() throws Exception {
        SparkApcReplayBench b = new SparkApcReplayBench();
        b.contexts = 3;
        b.runsPerContext = 40;
        b.setUp();
        try {
            List<Row> spark = b.sparkReplay();
            List<?> one = b.singleJvmReplay();
            assertEquals(120, spark.size());
            assertEquals(120, one.size());
            int clipped = 0;
            for (int i = 0; i < spark.size(); i++) {
                Replay.Step s = (Replay.Step) one.get(i);
                Row r = spark.get(i);
                assertEquals(s.run().runId(), r.getString(0));
                assertEquals(s.recommended(), r.getDouble(5), 1e-12, s.run().runId());
                assertEquals(s.whatIfOutput(), r.getDouble(7), 1e-12, s.run().runId());
                clipped += r.getString(8).isEmpty() ? 0 : 1;
            }
            assertTrue(clipped < spark.size());
        } finally {
            b.tearDown();
        }
    }
}
