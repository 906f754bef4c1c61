#!/usr/bin/env python3
"""Turns MixedWM38's Wafer_Map_Datasets.npz into fabai's ragged wafer-map NPZ (numpy only).

MixedWM38 (Wang et al., 2020) holds 38,015 maps of 52 x 52 dies: arr_0 (n x 52 x 52 die codes,
0 off, 1 good, 2 fail) and arr_1 (n x 8 multi-hot labels in the order Center, Donut, Edge-Loc,
Edge-Ring, Loc, Near-full, Scratch, Random; all zero for a normal map). Some Near-full maps carry
a stray code 3; it is written as 2 (fail) and counted in the summary. Any other code is an error.

Output (the layout of ../shared/data/wm811k/wm811k-sample.npz, plus two arrays):
  map_00000, ...   one uint8 2-D array per map (0 off, 1 good, 2 fail)
  labels           numpy unicode strings: the map's classes joined by '+' in the order above
                   (e.g. 'Center+Scratch'); '' for a normal map (no pattern), unless
                   --normal-label gives a name for it
  lot_name         '' for every map (MixedWM38 has no lots)
  wafer_index      NaN for every map
  class_names      the 8 class names, in the column order of label_sets
  label_sets       uint8 n x 8, the multi-hot labels as given

  python3 mixedwm38_to_npz.py Wafer_Map_Datasets.npz mixedwm38.npz [--sample 2000 --seed 1]
"""

import argparse
import sys

import numpy as np

CLASS_NAMES = ("Center", "Donut", "Edge-Loc", "Edge-Ring", "Loc", "Near-full", "Scratch", "Random")
STRAY_FAIL = 3


class ConversionError(ValueError):
    """Input that cannot be converted; the message names the array and the map."""


def convert(maps, sets, normal_label="", indices=None):
    """The NPZ arrays for MixedWM38's arr_0 (maps) and arr_1 (sets), optionally for the given map
    indices only (in that order). Returns (arrays, number of maps that held the stray code 3)."""
    maps = np.asarray(maps)
    sets = np.asarray(sets)
    if maps.ndim != 3 or maps.shape[0] == 0:
        raise ConversionError(f"arr_0 has shape {maps.shape}, expected n x rows x cols maps")
    if sets.ndim != 2 or sets.shape != (maps.shape[0], len(CLASS_NAMES)):
        raise ConversionError(f"arr_1 has shape {sets.shape}, expected {maps.shape[0]} x {len(CLASS_NAMES)} "
                              f"(one multi-hot row per map of arr_0)")
    bad = ~np.isin(sets, (0, 1))
    if bad.any():
        i, j = np.argwhere(bad)[0]
        raise ConversionError(f"arr_1 row {i} column {j} ({CLASS_NAMES[j]}) holds {sets[i, j]!r}; expected 0 or 1")
    if indices is None:
        indices = np.arange(maps.shape[0])
    out = {}
    labels = []
    stray = 0
    for k, i in enumerate(indices):
        m = maps[i]
        if not np.issubdtype(m.dtype, np.integer) and not np.all(m == np.round(m)):
            raise ConversionError(f"arr_0 map {i} holds non-integer values")
        odd = ~np.isin(m, (0, 1, 2))
        if odd.any():
            vals = np.unique(m[odd])
            if not np.all(vals == STRAY_FAIL):
                raise ConversionError(f"arr_0 map {i} holds codes {vals[:5].tolist()}; expected 0 off, 1 good, "
                                      f"2 fail (3 is read as fail)")
            stray += 1
            m = np.where(m == STRAY_FAIL, 2, m)
        out[f"map_{k:05d}"] = m.astype(np.uint8)
        names = [CLASS_NAMES[j] for j in range(len(CLASS_NAMES)) if sets[i, j] == 1]
        labels.append("+".join(names) if names else normal_label)
    out["labels"] = np.array(labels, dtype=str)
    out["lot_name"] = np.full(len(labels), "", dtype="<U1")
    out["wafer_index"] = np.full(len(labels), np.nan, dtype=np.float64)
    out["class_names"] = np.array(CLASS_NAMES, dtype=str)
    out["label_sets"] = sets[np.asarray(indices)].astype(np.uint8)
    return out, stray


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("npz", help="Wafer_Map_Datasets.npz")
    p.add_argument("out", help="output .npz")
    p.add_argument("--sample", type=int, help="keep this many maps drawn at random (kept in file order)")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample (numpy default_rng)")
    p.add_argument("--max-maps", type=int, help="keep at most this many maps (the first ones, after --sample)")
    p.add_argument("--normal-label", default="", help="label of a map without pattern (default '')")
    p.add_argument("--uncompressed", action="store_true", help="np.savez instead of np.savez_compressed")
    a = p.parse_args(argv)
    for name in ("sample", "max_maps"):
        v = getattr(a, name)
        if v is not None and v < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1, got {v}")
    if "+" in a.normal_label:
        p.error("--normal-label must not contain '+'")
    try:
        with np.load(a.npz, allow_pickle=False) as z:
            missing = [k for k in ("arr_0", "arr_1") if k not in z.files]
            if missing:
                shown = ", ".join(z.files[:5]) + (" ..." if len(z.files) > 5 else "")
                raise ConversionError(f"no {' or '.join(missing)} (it holds {shown})")
            maps, sets = z["arr_0"], z["arr_1"]
        n = maps.shape[0] if maps.ndim else 0
        idx = np.arange(n)
        if a.sample is not None and a.sample < n:
            idx = np.sort(np.random.default_rng(a.seed).choice(n, a.sample, replace=False))
        if a.max_maps is not None:
            idx = idx[:a.max_maps]
        arrays, stray = convert(maps, sets, a.normal_label, idx)
    except (ConversionError, ValueError, OSError) as e:
        print(f"error: {a.npz}: {e}", file=sys.stderr)
        return 2
    (np.savez if a.uncompressed else np.savez_compressed)(a.out, **arrays)
    names, counts = np.unique(arrays["labels"], return_counts=True)
    top = sorted(zip(counts, names), reverse=True)[:6]
    print(f"wrote {a.out}: {len(arrays['labels'])} maps of {n}; {len(names)} label combinations "
          f"(most: {', '.join(f'{nm or chr(39) * 2} {c}' for c, nm in top)}); {stray} maps had code 3, written as fail")
    return 0


if __name__ == "__main__":
    sys.exit(main())
