"""Tests of _causal.py (the peers' PC); numpy/scipy only, about a second.

    /usr/bin/python3 -m unittest discover -s benchmarks/peers/tests -v
"""

import os
import sys
import unittest

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import _causal as C  # noqa: E402


class GSquareTest(unittest.TestCase):

    def test_unconditional_equals_scipys_g_test(self):
        rng = np.random.default_rng(1)
        x = rng.integers(0, 3, 500)
        y = (x + rng.integers(0, 2, 500)) % 3
        table = np.zeros((3, 3))
        np.add.at(table, (x, y), 1)
        _, p, _, _ = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")
        self.assertAlmostEqual(C.GSquare(np.column_stack([x, y])).p(0, 1, ()), p, places=10)


class PcTest(unittest.TestCase):

    def test_collider_and_chain_found_with_fisher_z(self):
        # a -> c <- b, c -> d
        rng = np.random.default_rng(7)
        n = 5000
        a, b = rng.normal(size=n), rng.normal(size=n)
        c = a + b + rng.normal(size=n)
        d = c + rng.normal(size=n)
        names = ["a", "b", "c", "d"]
        for rule in ("max_p", "sepsets"):
            adj, ar = C.pc(C.FisherZ(np.column_stack([a, b, c, d])), 4, 0.01, rule)
            est, tp, p, r, shd = C.compare(adj, ar, names, [("a", "c"), ("b", "c"), ("c", "d")])
            self.assertEqual((est, tp, shd), (3, 3, 0), rule)
            par = C.to_dag(adj, ar)
            self.assertEqual(par[2], {0, 1})
            self.assertEqual(par[3], {2})

    def test_tiers_orient_an_edge_the_data_cannot(self):
        rng = np.random.default_rng(3)
        x = rng.integers(0, 2, 3000)
        y = np.where(rng.random(3000) < 0.9, x, 1 - x)
        codes = np.column_stack([y, x])
        adj, ar = C.pc(C.GSquare(codes), 2, 0.01, "max_p", tiers=[1, 0])
        self.assertTrue(adj[0][1])
        self.assertTrue(ar[1][0] and not ar[0][1])  # x -> y, the earlier tier first


class ScoreSearchTest(unittest.TestCase):

    def test_ges_and_boss_find_a_collider_and_a_chain(self):
        # a -> c <- b, c -> d, linear Gaussian
        rng = np.random.default_rng(11)
        n = 5000
        a, b = rng.normal(size=n), rng.normal(size=n)
        c = a + b + rng.normal(size=n)
        d = c + rng.normal(size=n)
        data = np.column_stack([a, b, c, d])
        for search in (C.ges, C.boss):
            adj, ar = search(data)
            est, tp, p, r, shd = C.compare(adj, ar, ["a", "b", "c", "d"], [("a", "c"), ("b", "c"), ("c", "d")])
            self.assertEqual((est, tp, shd), (3, 3, 0), search.__name__)


if __name__ == "__main__":
    unittest.main()
