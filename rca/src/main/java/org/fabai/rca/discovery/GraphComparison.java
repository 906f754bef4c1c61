package org.fabai.rca.discovery;

import java.util.List;

/**
 * Comparison of an estimated graph with a true DAG: skeleton precision and recall, and the
 * structural Hamming distance (SHD) — the number of node pairs whose edge differs: a missing
 * edge, an extra edge, or an edge present in both but with a different mark (reversed, or
 * undirected in one and directed in the other) each count one.
 *
 * Immutable and thread-safe.
 *
 * @param estimatedEdges  edges in the estimate
 * @param trueEdges       edges in the truth
 * @param truePositives   adjacencies in both
 * @param orientationDiff adjacencies in both whose marks differ
 * @param precision       skeleton precision (truePositives / estimatedEdges; 1 when there are none)
 * @param recall          skeleton recall (truePositives / trueEdges)
 * @param shd             structural Hamming distance
 */
public record GraphComparison(int estimatedEdges, int trueEdges, int truePositives, int orientationDiff,
                              double precision, double recall, int shd) {

    /**
     * @param estimate the estimate
     * @param truth    the truth, over the same node names
     * @return the comparison
     */
    public static GraphComparison compare(Cpdag estimate, Cpdag truth) {
        List<String> nodes = truth.nodes();
        if (!estimate.nodes().containsAll(nodes) || !nodes.containsAll(estimate.nodes())) {
            throw new IllegalArgumentException("graphs have different nodes: " + estimate.nodes() + " vs " + nodes);
        }
        int est = estimate.edges().size();
        int tru = truth.edges().size();
        int tp = 0;
        int diff = 0;
        int shd = 0;
        for (int i = 0; i < nodes.size(); i++) {
            for (int j = i + 1; j < nodes.size(); j++) {
                String a = nodes.get(i);
                String b = nodes.get(j);
                boolean ea = estimate.adjacent(a, b);
                boolean ta = truth.adjacent(a, b);
                if (ea && ta) {
                    tp++;
                    boolean same = estimate.isDirected(a, b) == truth.isDirected(a, b)
                            && estimate.isDirected(b, a) == truth.isDirected(b, a);
                    if (!same) {
                        diff++;
                        shd++;
                    }
                } else if (ea || ta) {
                    shd++;
                }
            }
        }
        double p = est == 0 ? 1.0 : (double) tp / est;
        double r = tru == 0 ? 1.0 : (double) tp / tru;
        return new GraphComparison(est, tru, tp, diff, p, r, shd);
    }
}
