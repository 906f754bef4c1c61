package org.fabai.adc.model.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each wither changes its own component and nothing else, and the copy is validated. */
class CnnConfigWithersTest {

    private static Map<String, String> fields(CnnConfig c) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : c.describe().split(";")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private static void onlyChanges(CnnConfig base, CnnConfig changed, String key, String value) {
        Map<String, String> a = fields(base);
        Map<String, String> b = fields(changed);
        assertEquals(value, b.get(key), key);
        a.put(key, value);
        assertEquals(a, b, key);
    }

    @Test
    void everyWitherChangesOneComponent() {
        CnnConfig c = CnnConfig.defaults(3);
        onlyChanges(c, c.withInputSize(40), "inputSize", "40");
        onlyChanges(c, c.withArchitecture(CnnConfig.Architecture.values()[0]), "architecture",
                CnnConfig.Architecture.values()[0].name());
        onlyChanges(c, c.withWidth(2), "width", "2");
        onlyChanges(c, c.withEpochs(7), "epochs", "7");
        onlyChanges(c, c.withBatchSize(16), "batchSize", "16");
        onlyChanges(c, c.withLearningRate(0.01), "learningRate", "0.01");
        onlyChanges(c, c.withAugment(false), "augment", "false");
        onlyChanges(c, c.withPatience(3), "patience", "3");
        onlyChanges(c, c.withSeed(99), "seed", "99");
        onlyChanges(c, c.withLabelSmoothing(0.1), "labelSmoothing", "0.1");
        onlyChanges(c, c.withTestTimeAugment(true), "testTimeAugment", "true");
        onlyChanges(c, c.withClassWeightPower(0.5), "classWeightPower", "0.5");
        assertThrows(IllegalArgumentException.class, () -> c.withEpochs(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withClassWeightPower(1.5));
        assertEquals("classWeightPower must be in [0, 1], got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> c.withClassWeightPower(Double.NaN));
    }

    @Test
    void theRealDataRecipeSoftensClassWeightsAndHalvesTheBatch() {
        CnnConfig real = CnnConfig.realDataDefaults(5);
        assertEquals(CnnConfig.defaults(5).withLabelSmoothing(0.1).withTestTimeAugment(true).withEpochs(30)
                .withBatchSize(32).withClassWeightPower(0.5), real);
        assertEquals(real, CnnConfig.parse(real.describe()));
        // model files written before the exponent existed weighted by plain inverse frequency
        CnnConfig old = CnnConfig.parse(real.describe().replace("classWeightPower=0.5;", ""));
        assertEquals(real.withClassWeightPower(1), old);
        // 300 clean maps against 15 of a rare class and one absent class: 20 times rarer weighs
        // 20 times more with plain weights, sqrt(20) times more with the real recipe's
        int[] counts = {300, 15, 0};
        float[] plain = CnnTrainer.classWeights(counts, 1);
        float[] soft = CnnTrainer.classWeights(counts, 0.5);
        assertEquals(315.0 / (3 * 300), plain[0], 1e-6);
        assertEquals(20.0, plain[1] / plain[0], 1e-4);
        assertEquals(Math.sqrt(20), soft[1] / soft[0], 1e-4);
        assertEquals(1f, soft[2]);
        float[] none = CnnTrainer.classWeights(counts, 0);
        assertEquals(1f, none[0]);
        assertEquals(1f, none[1]);
    }
}
