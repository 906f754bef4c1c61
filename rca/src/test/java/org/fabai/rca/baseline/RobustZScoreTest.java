package org.fabai.rca.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.fabai.rca.Cause;
import org.fabai.rca.data.DataTable;
import org.junit.jupiter.api.Test;

class RobustZScoreTest {

    @Test
    void medianMadAndZ() {
        double[] v = {1, 2, 3, 4, 100};
        assertEquals(3, RobustZScore.median(v));
        assertEquals(1.4826, RobustZScore.scaledMad(v), 1e-12);
        assertEquals((10 - 3) / 1.4826, RobustZScore.z(v, 10), 1e-12);
        assertEquals(2.5, RobustZScore.median(new double[] {4, 1, 2, 3}));
    }

    @Test
    void ranksTheShiftedVariableFirst() {
        DataTable ref = DataTable.builder().continuous("a", new double[] {1, 2, 3, 4, 5})
                .continuous("b", new double[] {10, 11, 12, 13, 14}).build();
        DataTable anom = DataTable.builder().continuous("a", new double[] {3, 4})
                .continuous("b", new double[] {30, 31}).build();
        List<Cause> r = RobustZScore.rankVariables(ref, anom, 0);
        assertEquals("b", r.get(0).name());
        List<Cause> c = RobustZScore.rankCandidates(Map.of("x", new double[] {1, 2, 3}, "y", new double[] {1, 2, 3}),
                Map.of("x", 2.0, "y", -5.0), -1);
        assertEquals("y", c.get(0).name());
        assertThrows(IllegalArgumentException.class, () -> RobustZScore.median(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> RobustZScore.rankVariables(ref, anom, 2));
    }
}
