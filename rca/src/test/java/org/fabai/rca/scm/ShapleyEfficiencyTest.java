package org.fabai.rca.scm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fabai.rca.data.DataTable;
import org.fabai.rca.synth.RandomDag;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.junit.jupiter.api.Test;

/**
 * Property test on random linear-Gaussian SCMs: the Shapley contributions add up to the score
 * being explained, and that score is the model's outlier score up to the stated Monte Carlo
 * error, which shrinks with the number of samples.
 */
class ShapleyEfficiencyTest {

    @Test
    void contributionsAddUpToTheModelsOutlierScoreWithinTheStatedError() {
        int checked = 0;
        for (long seed = 1; seed <= 6; seed++) {
            RandomDag rd = RandomDag.linearGaussian(6, 2.0, 3000, seed);
            DirectedAcyclicGraph<String, DefaultEdge> g = rd.truth().toDag();
            StructuralCausalModel m = StructuralCausalModel.fit(g, rd.data(), ScmConfig.defaults());
            String target = null;
            for (String v : m.nodes()) {
                if (m.ancestors(v).size() >= 2) {
                    target = v;
                }
            }
            if (target == null) {
                continue;
            }
            // an anomalous row: a normal row whose ancestor noise is pushed up, then recomputed
            SplittableRandom r = new SplittableRandom(seed);
            double[] row = m.sample(1, r)[0];
            String root = m.ancestors(target).iterator().next();
            double[] sorted = m.sortedTrainingValues(root);
            double sd = (sorted[(int) (0.84 * sorted.length)] - sorted[(int) (0.16 * sorted.length)]) / 2;
            double[] noise = new double[m.nodes().size()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = m.mechanism(m.nodes().get(i)).noise(row, 0.5);
            }
            noise[m.nodes().indexOf(root)] += 2.0 * sd;
            for (int i = 0; i < noise.length; i++) {
                String v = m.nodes().get(i);
                row[m.column(v)] = m.mechanism(v).value(row, noise[i]);
            }
            double median = m.trainingMedian(target);
            AttributionConfig.Tail tail = row[m.column(target)] >= median ? AttributionConfig.Tail.HIGH
                    : AttributionConfig.Tail.LOW;
            Attribution small = AnomalyAttribution.explain(m, target, row, new AttributionConfig(4, 400, tail, seed));
            Attribution large = AnomalyAttribution.explain(m, target, row, new AttributionConfig(4, 6400, tail, seed));
            for (Attribution a : new Attribution[] {small, large}) {
                // efficiency: the contributions add up to the score being explained
                assertEquals(a.outlierScore(), a.contributionSum(), 1e-9, a.toString());
            }
            // the score being explained is the model's outlier score, to the stated error: compare
            // with an independent estimate from 200,000 rows drawn from the model
            double[][] draws = m.sample(200_000, new SplittableRandom(seed + 100));
            double gObs = tail == AttributionConfig.Tail.HIGH ? row[m.column(target)] - median : median - row[m.column(target)];
            int hits = 0;
            for (double[] d : draws) {
                double gv = tail == AttributionConfig.Tail.HIGH ? d[m.column(target)] - median : median - d[m.column(target)];
                if (gv >= gObs) {
                    hits++;
                }
            }
            double ref = -Math.log((1.0 + hits) / (draws.length + 1.0));
            if (hits < 50) {
                continue; // too far in the tail for a fair check at 400 samples
            }
            for (Attribution a : new Attribution[] {small, large}) {
                assertTrue(Math.abs(a.outlierScore() - ref) <= 4 * a.monteCarloError() + 0.01,
                        "seed " + seed + ": score " + a.outlierScore() + " vs model " + ref + ", stated error "
                                + a.monteCarloError());
            }
            assertTrue(large.monteCarloError() < 0.5 * small.monteCarloError(),
                    large.monteCarloError() + " vs " + small.monteCarloError());
            // a well-specified model: model and empirical scores agree
            assertEquals(large.empiricalScore(), large.outlierScore(), 6 * large.monteCarloError() + 0.15, large.toString());
            checked++;
        }
        assertTrue(checked >= 3, "only " + checked + " random SCMs had a usable target");
    }

    @Test
    void categoricalLevelsDoNotDependOnRowOrder() {
        String[] a = {"True", "False", "True", "True"};
        String[] b = {"False", "True", "True", "True"};
        DataTable ta = DataTable.builder().categorical("ok", a).build();
        DataTable tb = DataTable.builder().categorical("ok", b).build();
        assertEquals(java.util.List.of("False", "True"), ta.levels(0));
        assertEquals(ta.levels(0), tb.levels(0));
        assertEquals(1.0, ta.get(0, 0));
        assertEquals("True", ta.format(0, 0));
        assertEquals(java.util.List.of("2", "10"), DataTable.canonicalLevels(java.util.Set.of("10", "2")));
        assertEquals(java.util.List.of("10", "2", "x"), DataTable.canonicalLevels(java.util.Set.of("10", "2", "x")));
    }
}
