"""Tests of the two converters on small synthetic inputs (numpy only; the LSWMD pickle test needs
pandas and is skipped without it; the layout test needs ../shared/data and is skipped without it).

    python3 -m unittest discover -s examples/python/tests -v
"""

import math
import os
import pickle
import subprocess
import sys
import tempfile
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(SCRIPTS))
SAMPLE = os.path.join(ROOT, "..", "shared", "data", "wm811k", "wm811k-sample.npz")
sys.path.insert(0, SCRIPTS)

import lswmd_to_npz as L  # noqa: E402
import mixedwm38_to_npz as M  # noqa: E402

try:
    import pandas as pd
except ImportError:
    pd = None


def run(script, *args):
    return subprocess.run([sys.executable, os.path.join(SCRIPTS, script), *map(str, args)],
                          capture_output=True, text=True)


def load(path):
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def wafer(rows, cols, fail=()):
    """A disc of good dies in a rows x cols grid, with the given (r, c) dies failing."""
    r = np.arange(rows)[:, None] - (rows - 1) / 2
    c = np.arange(cols)[None, :] - (cols - 1) / 2
    m = ((r / (rows / 2)) ** 2 + (c / (cols / 2)) ** 2 <= 1).astype(np.uint8)
    for rr, cc in fail:
        m[rr, cc] = 2
    return m


def lswmd_rows():
    """Records shaped like LSWMD.pkl rows (nested label arrays, empty arrays when unlabelled)."""
    lab = lambda s: np.array([[s]])  # noqa: E731
    empty = np.zeros((0, 0))
    return [
        dict(waferMap=wafer(26, 27, [(13, 13)]), dieSize=600.0, lotName="lot1", waferIndex=1.0,
             trianTestLabel=lab("Training"), failureType=lab("Center")),
        dict(waferMap=wafer(30, 30), dieSize=700.0, lotName="lot1", waferIndex=2.0,
             trianTestLabel=empty, failureType=empty),
        dict(waferMap=wafer(45, 48, [(0, 24)]), dieSize=1500.0, lotName="lot2", waferIndex=7.0,
             trianTestLabel=lab("Test"), failureType=lab("none")),
        dict(waferMap=wafer(26, 27, [(2, 13), (3, 13)]), dieSize=600.0, lotName="lot3", waferIndex=float("nan"),
             trianTestLabel=lab("Training"), failureType=lab("Scratch")),
        dict(waferMap=wafer(22, 25), dieSize=500.0, lotName="lot3", waferIndex=3.0,
             trianTestLabel=lab("Training"), failureType=lab("Edge-Ring")),
    ]


class LswmdRecordsTest(unittest.TestCase):
    """The conversion itself, on records shaped like the pickle's rows (no pandas needed)."""

    def test_all_rows_keep_order_labels_lots_and_indices(self):
        arrays = L.convert(L.select(lswmd_rows()))
        self.assertEqual(arrays["labels"].tolist(), ["Center", "", "none", "Scratch", "Edge-Ring"])
        self.assertEqual(arrays["lot_name"].tolist(), ["lot1", "lot1", "lot2", "lot3", "lot3"])
        self.assertEqual(arrays["labels"].dtype.kind, "U")
        self.assertEqual(arrays["lot_name"].dtype.kind, "U")
        wi = arrays["wafer_index"]
        self.assertEqual(wi.dtype, np.float64)
        self.assertEqual(wi[:3].tolist(), [1.0, 2.0, 7.0])
        self.assertTrue(math.isnan(wi[3]))
        self.assertEqual(arrays["map_00002"].shape, (45, 48))
        self.assertEqual(arrays["map_00002"].dtype, np.uint8)
        self.assertEqual(int(arrays["map_00002"][0, 24]), 2)
        np.testing.assert_array_equal(arrays["map_00000"], lswmd_rows()[0]["waferMap"])

    def test_labelled_only_drops_the_empty_failure_type_but_keeps_none(self):
        arrays = L.convert(L.select(lswmd_rows(), labelled_only=True))
        self.assertEqual(arrays["labels"].tolist(), ["Center", "none", "Scratch", "Edge-Ring"])
        self.assertEqual(arrays["map_00001"].shape, (45, 48))

    def test_class_filter_split_and_max_maps(self):
        self.assertEqual(L.convert(L.select(lswmd_rows(), classes=["Scratch", "Center"]))["labels"].tolist(),
                         ["Center", "Scratch"])
        self.assertEqual(L.convert(L.select(lswmd_rows(), split="test"))["labels"].tolist(), ["none"])
        self.assertEqual(len(L.convert(L.select(lswmd_rows(), max_maps=2))["labels"]), 2)

    def test_lot_sample_keeps_whole_lots_and_depends_on_the_seed_only(self):
        picks = set()
        for seed in range(12):
            a = L.convert(L.select(lswmd_rows(), sample_lots=1, seed=seed))
            lots = set(a["lot_name"].tolist())
            self.assertEqual(len(lots), 1)
            lot = lots.pop()
            self.assertEqual(len(a["labels"]), {"lot1": 2, "lot2": 1, "lot3": 2}[lot])
            again = L.convert(L.select(lswmd_rows(), sample_lots=1, seed=seed))
            self.assertEqual(again["lot_name"].tolist(), a["lot_name"].tolist())
            picks.add(lot)
        self.assertGreater(len(picks), 1, "twelve seeds always drew the same lot")

    def test_bad_codes_and_shapes_name_the_row(self):
        rows = lswmd_rows()
        rows[3]["waferMap"] = rows[3]["waferMap"].astype(np.int64) * 2  # codes up to 4
        with self.assertRaisesRegex(L.ConversionError, r"row 3: waferMap holds codes 0\.\.4"):
            L.convert(L.select(rows))
        rows = lswmd_rows()
        rows[1]["waferMap"] = np.zeros(5)
        with self.assertRaisesRegex(L.ConversionError, r"row 1: waferMap has shape \(5,\)"):
            L.convert(L.select(rows))
        rows = lswmd_rows()
        rows[4]["failureType"] = np.array([["Loc", "Center"]])
        with self.assertRaisesRegex(L.ConversionError, r"row 4: failureType holds several values"):
            L.select(rows)


@unittest.skipIf(pd is None, "pandas is not installed: the LSWMD.pkl pickle test is skipped "
                             "(apt-get install python3-pandas to run it)")
class LswmdPickleTest(unittest.TestCase):
    """The script end to end on a DataFrame pickle with LSWMD.pkl's columns."""

    def test_pickle_to_npz(self):
        with tempfile.TemporaryDirectory() as d:
            pkl, out = os.path.join(d, "LSWMD.pkl"), os.path.join(d, "out.npz")
            df = pd.DataFrame(lswmd_rows(), columns=["waferMap", "dieSize", "lotName", "waferIndex",
                                                     "trianTestLabel", "failureType"])
            df.to_pickle(pkl)
            r = run("lswmd_to_npz.py", pkl, out, "--labelled-only")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("4 maps of 5 rows", r.stdout)
            z = load(out)
            self.assertEqual(sorted(k for k in z if k.startswith("map_")),
                             ["map_00000", "map_00001", "map_00002", "map_00003"])
            self.assertEqual(z["labels"].tolist(), ["Center", "none", "Scratch", "Edge-Ring"])
            self.assertEqual(z["lot_name"].tolist(), ["lot1", "lot2", "lot3", "lot3"])
            np.testing.assert_array_equal(z["map_00003"], lswmd_rows()[4]["waferMap"])

    def test_a_dataframe_without_the_columns_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            pkl, out = os.path.join(d, "x.pkl"), os.path.join(d, "out.npz")
            pd.DataFrame({"a": [1, 2]}).to_pickle(pkl)
            r = run("lswmd_to_npz.py", pkl, out)
            self.assertEqual(r.returncode, 2)
            self.assertIn("no column(s) ['waferMap', 'failureType']", r.stderr)
            self.assertFalse(os.path.exists(out))


def mixed_input(d):
    """A tiny Wafer_Map_Datasets.npz: 5 maps of 52 x 52, one normal, one with the stray code 3."""
    maps = np.stack([wafer(52, 52) for _ in range(5)]).astype(np.int64)
    maps[0, 26, 26] = 2
    maps[1, 10:40, 10:40][maps[1, 10:40, 10:40] == 1] = 3  # a Near-full map with stray code 3
    maps[4, 5, 26] = 2
    sets = np.zeros((5, 8), dtype=np.int64)
    sets[0, 0] = 1                       # Center
    sets[1, 5] = 1                       # Near-full
    sets[3, [1, 6]] = 1                  # Donut+Scratch
    sets[4, [0, 3, 4, 7]] = 1            # Center+Edge-Ring+Loc+Random
    path = os.path.join(d, "Wafer_Map_Datasets.npz")
    np.savez(path, arr_0=maps, arr_1=sets)
    return path, maps, sets


class MixedWm38Test(unittest.TestCase):

    def test_layout_labels_sets_and_stray_code(self):
        with tempfile.TemporaryDirectory() as d:
            src, maps, sets = mixed_input(d)
            out = os.path.join(d, "out.npz")
            r = run("mixedwm38_to_npz.py", src, out)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("1 maps had code 3", r.stdout)
            z = load(out)
            self.assertEqual(z["labels"].tolist(),
                             ["Center", "Near-full", "", "Donut+Scratch", "Center+Edge-Ring+Loc+Random"])
            self.assertEqual(z["class_names"].tolist(), list(M.CLASS_NAMES))
            self.assertEqual(z["label_sets"].dtype, np.uint8)
            np.testing.assert_array_equal(z["label_sets"], sets)
            self.assertEqual(z["lot_name"].tolist(), [""] * 5)
            self.assertTrue(np.isnan(z["wafer_index"]).all())
            for i in range(5):
                m = z[f"map_{i:05d}"]
                self.assertEqual((m.dtype, m.shape), (np.dtype(np.uint8), (52, 52)))
                self.assertLessEqual(int(m.max()), 2)
            np.testing.assert_array_equal(z["map_00001"], np.where(maps[1] == 3, 2, maps[1]))
            np.testing.assert_array_equal(z["map_00004"], maps[4])

    def test_sample_and_normal_label(self):
        with tempfile.TemporaryDirectory() as d:
            src, _, sets = mixed_input(d)
            out = os.path.join(d, "out.npz")
            r = run("mixedwm38_to_npz.py", src, out, "--sample", 3, "--seed", 4, "--normal-label", "none")
            self.assertEqual(r.returncode, 0, r.stderr)
            z = load(out)
            self.assertEqual(len(z["labels"]), 3)
            self.assertEqual(sorted(k for k in z if k.startswith("map_")), ["map_00000", "map_00001", "map_00002"])
            for lab, row in zip(z["labels"].tolist(), z["label_sets"]):
                names = [M.CLASS_NAMES[j] for j in range(8) if row[j]]
                self.assertEqual(lab, "+".join(names) if names else "none")

    def test_bad_inputs_are_refused_with_the_array_named(self):
        with tempfile.TemporaryDirectory() as d:
            src, maps, sets = mixed_input(d)
            out = os.path.join(d, "out.npz")
            bad = os.path.join(d, "bad.npz")
            np.savez(bad, arr_0=maps, arr_1=sets[:, :7])
            r = run("mixedwm38_to_npz.py", bad, out)
            self.assertEqual(r.returncode, 2)
            self.assertIn("arr_1 has shape (5, 7), expected 5 x 8", r.stderr)
            maps2 = maps.copy()
            maps2[2, 0, 0] = 7
            np.savez(bad, arr_0=maps2, arr_1=sets)
            r = run("mixedwm38_to_npz.py", bad, out)
            self.assertEqual(r.returncode, 2)
            self.assertIn("arr_0 map 2 holds codes [7]", r.stderr)
            np.savez(bad, x=maps)
            r = run("mixedwm38_to_npz.py", bad, out)
            self.assertEqual(r.returncode, 2)
            self.assertIn("no arr_0 or arr_1 (it holds x)", r.stderr)
            self.assertFalse(os.path.exists(out))


@unittest.skipUnless(os.path.exists(SAMPLE), f"{SAMPLE} is absent: the layout comparison with the shared "
                                             f"WM-811K sample is skipped")
class SameLayoutAsSharedSampleTest(unittest.TestCase):
    """Both converters write the array names, kinds and shapes of the shared sample."""

    def test_layout(self):
        with np.load(SAMPLE, allow_pickle=False) as z:
            ref = {k: (z[k].dtype, z[k].ndim) for k in ("map_00000", "labels", "lot_name", "wafer_index")}
            ref_other = sorted(k for k in z.files if not k.startswith("map_"))
        lsw = L.convert(L.select(lswmd_rows()))
        with tempfile.TemporaryDirectory() as d:
            src, _, _ = mixed_input(d)
            mixed, _ = M.convert(*[np.load(src)[k] for k in ("arr_0", "arr_1")])
        for arrays, extra in ((lsw, []), (mixed, ["class_names", "label_sets"])):
            self.assertEqual(sorted(k for k in arrays if not k.startswith("map_")), sorted(ref_other + extra))
            self.assertEqual((arrays["map_00000"].dtype, arrays["map_00000"].ndim), ref["map_00000"])
            for k in ("labels", "lot_name"):
                self.assertEqual((arrays[k].dtype.kind, arrays[k].ndim), (ref[k][0].kind, ref[k][1]), k)
            self.assertEqual((arrays["wafer_index"].dtype, arrays["wafer_index"].ndim), ref["wafer_index"])


if __name__ == "__main__":
    unittest.main()
