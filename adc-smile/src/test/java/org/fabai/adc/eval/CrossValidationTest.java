package org.fabai.adc.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fabai.adc.model.FeatureClassifierConfig;
import org.fabai.adc.synth.GeneratorConfig;
import org.fabai.adc.synth.WaferMapGenerator;
import org.junit.jupiter.api.Test;

class CrossValidationTest {

    @Test
    void theFoldRuleIsTheOneThePythonPeerUses() {
        // benchmarks/peers/_wm811k.py: lot_folds(groups_of(g, None), 3, 7) on the same groups
        List<String> g = List.of("lotA", "lotA", "", "lotB", "lotC", "lotC", "lotC", "", "lotD", "lotB");
        int[] f = CrossValidation.groupFolds(g, 3, 7);
        assertArrayEquals(new int[] {1, 1, 0, 2, 0, 0, 0, 0, 2, 2}, f);
        assertEquals("3a1b6c73ba4a8eee0a614f1533a20a15d75061dcb72401bc9e47d796dc0bedee", CrossValidation.foldHash(f));
    }

    @Test
    void aLotNeverSpansTwoFoldsAndFoldsAreBalanced() {
        List<String> g = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            g.add(i % 7 == 0 ? "" : "lot" + (i % 97));
        }
        int[] f = CrossValidation.groupFolds(g, 5, 3);
        Map<String, Integer> foldOfLot = new HashMap<>();
        int[] load = new int[5];
        for (int i = 0; i < f.length; i++) {
            load[f[i]]++;
            if (!g.get(i).isEmpty()) {
                Integer prev = foldOfLot.put(g.get(i), f[i]);
                assertTrue(prev == null || prev == f[i], "lot " + g.get(i) + " split across folds");
            }
        }
        for (int l : load) {
            assertTrue(Math.abs(l - 100) <= 6, "fold sizes " + java.util.Arrays.toString(load));
        }
        assertThrows(IllegalArgumentException.class, () -> CrossValidation.groupFolds(List.of("a", "a", "b"), 3, 1));
    }

    @Test
    void crossValidatesAFamilyOnHeldOutGroups() {
        LabelledMaps data = LabelledMaps.ofSynthetic(new WaferMapGenerator(GeneratorConfig.defaults()).balanced(8, 5));
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            groups.add("lot" + (i / 2));
        }
        CrossValidation.Result r = CrossValidation.run(
                new FeatureModelFamily("rf", FeatureClassifierConfig.defaults().withSeed(2)), data, groups,
                new CrossValidation.Config(3, 11));
        assertEquals(3, r.folds().size());
        assertEquals(data.size(), r.pooled().total());
        int tested = r.folds().stream().mapToInt(CrossValidation.Fold::testSize).sum();
        assertEquals(data.size(), tested);
        // generated patterns are easy: a model that learnt nothing would sit near 1/9
        assertTrue(r.meanMacroF1() > 0.6, r.summary());
        assertTrue(r.summary().contains("pooled per-class F1"));
    }
}
