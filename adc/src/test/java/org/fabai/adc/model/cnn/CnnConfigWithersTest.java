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
        assertThrows(IllegalArgumentException.class, () -> c.withEpochs(0));
    }
}
