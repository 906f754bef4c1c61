package org.fabai.rca.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.scm.DistributionChange;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Good weeks vs bad weeks on a synthetic fab: which mechanism changed. */
class FabDistributionChangeTest {
    private static final Logger LOG = LoggerFactory.getLogger(FabDistributionChangeTest.class);

    @Test
    void theMetrologyAfterTheBadStepExplainsTheYieldDrop() {
        int right = 0;
        int seeds = 5;
        for (long seed = 1; seed <= seeds; seed++) {
            SyntheticFab fab = SyntheticFab.generate(FabConfig.defaults(seed));
            DataTable t = fab.table();
            Instant early = fab.timeAt(0.45);
            Instant late = fab.timeAt(0.55);
            List<Integer> before = new ArrayList<>();
            List<Integer> after = new ArrayList<>();
            for (int i = 0; i < fab.histories().size(); i++) {
                Instant s = fab.histories().get(i).runs().get(0).time();
                if (s.isBefore(early)) {
                    before.add(i);
                } else if (!s.isBefore(late)) {
                    after.add(i);
                }
            }
            DistributionChange.Result r = DistributionChange.attribute(fab.trueGraph(),
                    t.rows(before.stream().mapToInt(Integer::intValue).toArray()),
                    t.rows(after.stream().mapToInt(Integer::intValue).toArray()), SyntheticFab.YIELD, 1000, 6, seed);
            String metro = fab.metrologySteps().entrySet().stream()
                    .filter(e -> e.getValue().contains(fab.plantedStep().id())).findFirst().orElseThrow().getKey();
            LOG.info("seed {}: planted {} (measured by {}); yield {} -> {}; top {}", seed, fab.plantedCause(), metro,
                    String.format("%.4f", r.meanBefore()), String.format("%.4f", r.meanAfter()),
                    r.contributions().subList(0, 3));
            assertTrue(r.meanAfter() < r.meanBefore());
            double total = r.contributions().stream().mapToDouble(c -> c.score()).sum();
            assertEquals(r.meanAfter() - r.meanBefore(), total, 0.01);
            if (r.contributions().get(0).name().equals(metro)) {
                right++;
            }
        }
        assertEquals(seeds, right);
    }
}
