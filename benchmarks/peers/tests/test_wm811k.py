"""Tests of _wm811k.py (fold rules, resize policy, NPZ checks); numpy only, a few seconds.

    python3 -m unittest discover -s benchmarks/peers/tests -v
"""

import os
import sys
import tempfile
import unittest
import zlib

import numpy as np

PEERS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, PEERS)
SAMPLE = os.path.normpath(os.path.join(PEERS, "..", "..", "..", "shared", "data", "wm811k", "wm811k-sample.npz"))

import _wm811k as W  # noqa: E402


class FoldRuleTest(unittest.TestCase):

    def lots(self):
        rng = np.random.default_rng(3)
        lots = [f"lot{int(v)}" for v in rng.integers(0, 60, 300)]
        for i in (5, 17, 200):
            lots[i] = ""
        return lots

    def test_every_group_in_one_fold_and_sizes_balanced(self):
        lots = self.lots()
        names = [f"map_{i:05d}" for i in range(len(lots))]
        for rule in W.RULES:
            groups = W.groups_of(lots, names, rule)
            folds = W.lot_folds(groups, 5, 7, rule)
            by = {}
            for g, f in zip(groups, folds):
                by.setdefault(g, set()).add(int(f))
            self.assertTrue(all(len(s) == 1 for s in by.values()), rule)
            sizes = np.bincount(folds, minlength=5)
            self.assertLessEqual(sizes.max() - sizes.min(), max(lots.count(x) for x in set(lots)), rule)
            self.assertEqual(len({g for g in groups if g.startswith(("#", "map_"))}), 3, rule)

    def test_crc32_rule_visits_groups_by_crc_of_seed_and_name(self):
        # four single-map lots and k = 4: each lands in its own fold, in CRC order
        lots = ["a", "b", "c", "d"]
        order = sorted(lots, key=lambda g: (zlib.crc32(f"9:{g}".encode()), g))
        folds = W.lot_folds(lots, 4, 9, "crc32")
        self.assertEqual([int(folds[lots.index(g)]) for g in order], [0, 1, 2, 3])
        self.assertEqual(W.groups_of(["x", ""], ["map_00000", "map_00001"], "crc32"), ["x", "#1"])

    def test_seed_changes_the_assignment(self):
        lots = self.lots()
        g = W.groups_of(lots, [""] * len(lots))
        self.assertFalse(np.array_equal(W.lot_folds(g, 5, 1), W.lot_folds(g, 5, 2)))
        np.testing.assert_array_equal(W.lot_folds(g, 5, 1), W.lot_folds(g, 5, 1))

    @unittest.skipUnless(os.path.exists(SAMPLE), f"{SAMPLE} absent: fold hashes of the shared sample not checked")
    def test_hashes_on_the_shared_sample(self):
        _, _, lots, names = W.load_npz(SAMPLE)
        # crc32: the same hash as fabai's CrossValidation.groupFolds (Java) gave on 2026-12-03
        crc = W.lot_folds(W.groups_of(lots, names, "crc32"), 5, 1, "crc32")
        self.assertEqual(W.fold_hash(crc), "dd287e3ebe720814bcc4440df3820e30b36a5dd83d3b60c6b7c355b7e06d84a7")
        crc13 = W.lot_folds(W.groups_of(lots, names, "crc32"), 5, 13, "crc32")
        self.assertEqual(W.fold_hash(crc13), "86499c72f2f0c6aebf8b67584d7f70c3ed42bdbcf260f7b1573e900a0bba87bb")
        # numpy: the folds of the first measured run (README)
        npy = W.lot_folds(W.groups_of(lots, names, "numpy"), 5, 13, "numpy")
        self.assertEqual(W.fold_hash(npy), "b0f655cf8e46e1c3554939bb586300288feb42721035c00bf9d754a0c9aa3a31")


class ResizeTest(unittest.TestCase):

    def test_pad_centres_the_map(self):
        m = np.ones((3, 6), dtype=np.uint8)
        p = W.pad_square(m)
        self.assertEqual(p.shape, (6, 6))
        np.testing.assert_array_equal(p.sum(axis=1), [0, 6, 6, 6, 0, 0])

    def test_one_die_scratch_survives_shrinking(self):
        for s in (65, 97, 130, 143, 300):
            m = np.ones((s, s), dtype=np.uint8)
            m[:, s // 3] = 2
            r = W.resize_max(m, 64)
            self.assertEqual(r.shape, (64, 64))
            self.assertEqual(int((r == 2).sum()), 64, s)  # one full column of fails

    def test_shrink_blocks_follow_floor_bounds(self):
        m = np.zeros((5, 5), dtype=np.uint8)
        m[2, 2] = 2  # blocks: rows/cols 0..1 and 2..4 (floor(1 * 5 / 2) = 2)
        r = W.resize_max(m, 2)
        np.testing.assert_array_equal(r, [[0, 0], [0, 2]])

    def test_enlarge_samples_cell_centres(self):
        m = np.array([[0, 1], [2, 1]], dtype=np.uint8)
        np.testing.assert_array_equal(W.resize_max(m, 4), [[0, 0, 1, 1], [0, 0, 1, 1], [2, 2, 1, 1], [2, 2, 1, 1]])
        np.testing.assert_array_equal(W.resize_max(m, 3), [[0, 1, 1], [2, 1, 1], [2, 1, 1]])


class LotSplitTest(unittest.TestCase):

    def test_whole_lots_held_out_and_every_class_kept(self):
        rng = np.random.default_rng(5)
        lots = [f"L{i // 5:02d}" for i in range(200)]
        y = np.array([3 if i // 5 == 7 else int(rng.integers(0, 3)) for i in range(200)])
        tr, va = W.lot_split(y, lots, 4, 0.2, np.random.default_rng(1))
        self.assertEqual(200, len(tr) + len(va))
        self.assertFalse({lots[i] for i in tr} & {lots[i] for i in va})
        self.assertTrue(40 <= len(va) < 45, len(va))
        self.assertIn(3, set(y[tr].tolist()))

    def test_too_few_lots_fall_back(self):
        y = np.arange(40) % 3
        self.assertIsNone(W.lot_split(y, [f"L{i % 4}" for i in range(40)], 3, 0.2, np.random.default_rng(1)))
        self.assertIsNone(W.lot_split(y, [""] * 40, 3, 0.2, np.random.default_rng(1)))


class LoadTest(unittest.TestCase):

    def test_bad_files_are_named(self):
        with tempfile.TemporaryDirectory() as d:
            p = os.path.join(d, "x.npz")
            np.savez(p, map_00000=np.ones((3, 3), np.uint8), map_00002=np.ones((3, 3), np.uint8),
                     labels=np.array(["a", "b"]))
            with self.assertRaisesRegex(W.DataError, "first odd one: map_00002"):
                W.load_npz(p)
            np.savez(p, map_00000=np.full((3, 3), 5, np.uint8), labels=np.array(["a"]))
            with self.assertRaisesRegex(W.DataError, "map_00000 holds code 5"):
                W.load_npz(p)
            np.savez(p, a=np.ones(3), b=np.ones(3))
            with self.assertRaisesRegex(W.DataError, r"no map_NNNNN arrays \(it holds a, b\)"):
                W.load_npz(p)


if __name__ == "__main__":
    unittest.main()
