package org.fabai.rca.discovery;

import java.util.ArrayList;
import java.util.List;

/**
 * Orientation of a skeleton as PC and GES do it: background knowledge, unshielded colliders and
 * Meek's rules R1–R4 (Meek 1995). A graph is {@code adj} (symmetric adjacency) and {@code ar}
 * ({@code ar[a][b]}: a mark a -> b); both directions marked or neither means undirected.
 * Package-private; stateless.
 */
final class Orientation {

    private Orientation() {
    }

    /** Decides whether an unshielded triple a - c - b is a collider: TRUE, FALSE or null (ambiguous). */
    @FunctionalInterface
    interface ColliderJudge {
        /** @return {decision (1 collider, 0 not, -1 ambiguous), priority (higher first)} */
        double[] judge(int a, int b, int c);
    }

    /**
     * Orients the skeleton {@code adj} into {@code ar}: knowledge first, then the unshielded
     * colliders the judge accepts (highest priority first; one that conflicts with an existing
     * orientation is skipped), then {@link #meek}.
     */
    static void orient(List<String> names, boolean[][] adj, boolean[][] ar, ColliderJudge judge, Knowledge k) {
        int n = names.size();
        // 1. knowledge
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (!adj[a][b]) {
                    continue;
                }
                String na = names.get(a);
                String nb = names.get(b);
                if (k.isRequired(na, nb) || (k.isForbidden(nb, na) && !k.isForbidden(na, nb))) {
                    ar[a][b] = true;
                }
            }
        }
        // 2. unshielded colliders a -> c <- b, highest priority first (stable for ties)
        List<double[]> colliders = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            for (int a = 0; a < n; a++) {
                if (!adj[a][c]) {
                    continue;
                }
                for (int b = a + 1; b < n; b++) {
                    if (!adj[b][c] || adj[a][b]) {
                        continue;
                    }
                    double[] j = judge.judge(a, b, c);
                    if (j[0] == 1) {
                        colliders.add(new double[] {a, b, c, j[1]});
                    }
                }
            }
        }
        colliders.sort((u, v) -> Double.compare(v[3], u[3]));
        for (double[] t : colliders) {
            int a = (int) t[0];
            int b = (int) t[1];
            int c = (int) t[2];
            boolean okA = !directed(adj, ar, c, a) && !k.isForbidden(names.get(a), names.get(c));
            boolean okB = !directed(adj, ar, c, b) && !k.isForbidden(names.get(b), names.get(c));
            if (okA && okB) {
                ar[a][c] = true;
                ar[b][c] = true;
            }
        }
        meek(names, adj, ar, k);
    }

    private static boolean directed(boolean[][] adj, boolean[][] ar, int a, int b) {
        return adj[a][b] && ar[a][b] && !ar[b][a];
    }

    private static boolean undirected(boolean[][] adj, boolean[][] ar, int a, int b) {
        return adj[a][b] && !ar[a][b] && !ar[b][a];
    }

    /** Orients a -- b as a -> b if allowed; returns true if it changed. */
    private static boolean tryOrient(List<String> names, boolean[][] adj, boolean[][] ar, Knowledge k, int a, int b) {
        if (!undirected(adj, ar, a, b) || k.isForbidden(names.get(a), names.get(b))) {
            return false;
        }
        ar[a][b] = true;
        return true;
    }

    /** Meek's rules R1–R4 to a fixed point. */
    static void meek(List<String> names, boolean[][] adj, boolean[][] ar, Knowledge k) {
        int n = names.size();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (!undirected(adj, ar, a, b)) {
                        continue;
                    }
                    boolean orient = false;
                    for (int c = 0; c < n && !orient; c++) {
                        if (c == a || c == b) {
                            continue;
                        }
                        // R1: c -> a -- b, c and b nonadjacent => a -> b
                        if (directed(adj, ar, c, a) && !adj[c][b]) {
                            orient = true;
                        }
                        // R2: a -> c -> b and a -- b => a -> b
                        if (directed(adj, ar, a, c) && directed(adj, ar, c, b)) {
                            orient = true;
                        }
                    }
                    // R3: a -- c, a -- d, c -> b, d -> b, c and d nonadjacent => a -> b
                    for (int c = 0; c < n && !orient; c++) {
                        if (c == a || c == b || !undirected(adj, ar, a, c) || !directed(adj, ar, c, b)) {
                            continue;
                        }
                        for (int d = c + 1; d < n && !orient; d++) {
                            if (d != a && d != b && undirected(adj, ar, a, d) && directed(adj, ar, d, b) && !adj[c][d]) {
                                orient = true;
                            }
                        }
                    }
                    // R4: a -- d, d -> c, c -> b, a adjacent c, d and b nonadjacent => a -> b
                    for (int d = 0; d < n && !orient; d++) {
                        if (d == a || d == b || !undirected(adj, ar, a, d) || adj[d][b]) {
                            continue;
                        }
                        for (int c = 0; c < n && !orient; c++) {
                            if (c != a && c != b && c != d && directed(adj, ar, d, c) && directed(adj, ar, c, b)
                                    && adj[a][c]) {
                                orient = true;
                            }
                        }
                    }
                    if (orient && tryOrient(names, adj, ar, k, a, b)) {
                        changed = true;
                    }
                }
            }
        }
    }
}
