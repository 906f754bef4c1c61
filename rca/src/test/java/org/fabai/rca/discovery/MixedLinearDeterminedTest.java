package org.fabai.rca.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.fabai.rca.data.DataTable;
import org.junit.jupiter.api.Test;

/**
 * A block the conditioning set determines (a flag and its complement, as the causRCA machine logs
 * {@code CBC_open} / {@code CBC_isOpen}; a rescaled copy) is independent given it: p = 1, no
 * exception. {@code rca discover --events} on the causRCA normal-operation logs (57 varying
 * columns) failed in PC's depth 1 with "matrix is not positive definite even with a ridge"; this
 * test does not reproduce that failure (the code before the fix also passes it), it pins the rule
 * that the fix adds; the real-data run is in benchmarks/RESULTS.md.
 */
class MixedLinearDeterminedTest {

    @Test
    void aVariableTheConditioningSetDeterminesIsIndependentGivenIt() {
        Random r = new Random(1);
        int n = 2000;
        String[] f = new String[n];
        String[] g = new String[n];
        double[] y = new double[n];
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            boolean on = r.nextDouble() < 0.3;
            f[i] = on ? "True" : "False";
            g[i] = on ? "False" : "True";
            y[i] = (on ? 1 : 0) + 0.5 * r.nextGaussian();
            z[i] = y[i] * 3 - 1; // a continuous copy of y, up to scale
        }
        DataTable t = DataTable.builder().categorical("f", f).categorical("g", g).continuous("y", y).continuous("z", z).build();
        MixedLinearTest m = new MixedLinearTest(t);
        assertTrue(m.pValue(1, 2, new int[0]) < 1e-10, "g and y are dependent");
        assertEquals(1.0, m.pValue(1, 2, new int[] {0}), "given f, g is determined: independent of y");
        assertEquals(1.0, m.pValue(2, 1, new int[] {0}));
        assertEquals(1.0, m.pValue(3, 0, new int[] {2}), "given y, z is determined");
        // a test that is not degenerate is unchanged: y depends on f given nothing and given z's noise-free copy
        assertTrue(m.pValue(2, 0, new int[0]) < 1e-10);
        // a whole PC run over such columns completes
        Cpdag c = new Pc(PcConfig.of(0.01)).search(m, Knowledge.none());
        assertTrue(c.edges().size() >= 1, c.edges().toString());
    }
}
