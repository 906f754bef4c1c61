#!/usr/bin/env python3
"""Turns WM-811K's published pandas pickle (LSWMD.pkl) into fabai's ragged wafer-map NPZ.

Output (the layout of ../shared/data/wm811k/wm811k-sample.npz, which fabai reads):
  map_00000, map_00001, ...  one uint8 2-D array per map, its own size (0 off, 1 good, 2 fail)
  labels                     numpy unicode strings, the failureType ('' where unlabelled)
  lot_name                   numpy unicode strings, the lotName ('' where unknown)
  wafer_index                float64, the waferIndex (NaN where unknown)

LSWMD.pkl is a pandas DataFrame with the columns waferMap (2-D array), dieSize, lotName,
waferIndex, trianTestLabel and failureType; the last two hold nested arrays such as
[['Center']] or an empty array for an unlabelled map. 'none' is a class (no pattern), not a
missing label.

Selection, applied in this order: --labelled-only / --classes / --split (rows), then
--sample-lots (whole lots, drawn with --seed), then --max-maps (the first N that remain). Maps
keep the pickle's order.

Reading the pickle needs pandas (only this script needs it; fabai never unpickles anything).
A pickle is code: read only files you trust. See README.md for pandas version notes.

  python3 lswmd_to_npz.py LSWMD.pkl wm811k.npz --labelled-only --sample-lots 200 --seed 1
"""

import argparse
import math
import os
import sys

import numpy as np

LSWMD_COLUMNS = ("waferMap", "lotName", "waferIndex", "failureType", "trianTestLabel")


class ConversionError(ValueError):
    """Input that cannot be converted; the message names the row."""


def nested_text(value, what, row):
    """The single string inside WM-811K's nested label cells ([['Center']], [], 'Center', NaN)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        raise ConversionError(f"row {row}: {what} is the number {value}, expected a label")
    flat = np.asarray(value, dtype=object).ravel()
    texts = sorted({str(v).strip() for v in flat})
    if not texts:
        return ""
    if len(texts) > 1:
        raise ConversionError(f"row {row}: {what} holds several values {texts[:4]}")
    return texts[0]


def wafer_codes(value, row):
    m = np.asarray(value)
    if m.ndim != 2 or m.size == 0:
        raise ConversionError(f"row {row}: waferMap has shape {m.shape}, expected a non-empty 2-D array")
    if m.dtype.kind not in "iub":
        try:
            m = m.astype(np.float64)
        except (TypeError, ValueError):
            raise ConversionError(f"row {row}: waferMap holds non-numeric values ({m.dtype})") from None
        if not np.all(np.isfinite(m)) or not np.all(m == np.round(m)):
            raise ConversionError(f"row {row}: waferMap holds non-integer values")
    lo, hi = int(m.min()), int(m.max())
    if lo < 0 or hi > 2:
        raise ConversionError(f"row {row}: waferMap holds codes {lo}..{hi}; expected 0 off, 1 good, 2 fail")
    return m.astype(np.uint8)


def wafer_index(value, row):
    if value is None:
        return float("nan")
    try:
        v = float(np.asarray(value).ravel()[0]) if np.ndim(value) else float(value)
    except (TypeError, ValueError, IndexError):
        raise ConversionError(f"row {row}: waferIndex {value!r} is not a number") from None
    return v


def select(records, labelled_only=False, classes=None, split=None, sample_lots=None, seed=0, max_maps=None):
    """Filters and samples records (dicts with the LSWMD columns); returns (row number, record)
    pairs in input order. See the module docstring for the order of the steps."""
    if classes is not None:
        classes = set(classes)
    kept = []
    for row, r in enumerate(records):
        label = nested_text(r.get("failureType"), "failureType", row)
        if (labelled_only or classes is not None) and label == "":
            continue
        if classes is not None and label not in classes:
            continue
        if split is not None and nested_text(r.get("trianTestLabel"), "trianTestLabel", row).lower() != split:
            continue
        kept.append((row, r))
    if sample_lots is not None:
        lots = sorted({str(r.get("lotName") or "").strip() for _, r in kept})
        if sample_lots < len(lots):
            pick = set(lots[i] for i in np.random.default_rng(seed).choice(len(lots), sample_lots, replace=False))
            kept = [(row, r) for row, r in kept if str(r.get("lotName") or "").strip() in pick]
    if max_maps is not None:
        kept = kept[:max_maps]
    return kept


def convert(selected):
    """The NPZ arrays for (row, record) pairs: map_NNNNN (at least 5 digits: map_100000 follows
    map_99999), labels, lot_name, wafer_index."""
    out = {}
    labels, lots, idx = [], [], []
    for i, (row, r) in enumerate(selected):
        out[f"map_{i:05d}"] = wafer_codes(r.get("waferMap"), row)
        labels.append(nested_text(r.get("failureType"), "failureType", row))
        lot = r.get("lotName")
        lots.append("" if lot is None or (isinstance(lot, float) and math.isnan(lot)) else str(lot).strip())
        idx.append(wafer_index(r.get("waferIndex"), row))
    out["labels"] = np.array(labels, dtype=str) if labels else np.zeros(0, dtype="<U1")
    out["lot_name"] = np.array(lots, dtype=str) if lots else np.zeros(0, dtype="<U1")
    out["wafer_index"] = np.array(idx, dtype=np.float64)
    return out


def _alias_old_pandas_modules(pd):
    """Makes module paths of old pandas pickles importable in a newer pandas (best effort)."""
    import types
    import pandas.core.indexes as idx_pkg
    import pandas.core.indexes.base  # noqa: F401
    import pandas.core.indexes.range  # noqa: F401
    import pandas.core.indexes.multi  # noqa: F401
    sys.modules.setdefault("pandas.indexes", idx_pkg)
    sys.modules.setdefault("pandas.indexes.base", sys.modules["pandas.core.indexes.base"])
    sys.modules.setdefault("pandas.indexes.range", sys.modules["pandas.core.indexes.range"])
    sys.modules.setdefault("pandas.indexes.multi", sys.modules["pandas.core.indexes.multi"])
    try:
        import pandas.core.indexes.numeric  # noqa: F401  (pandas < 2)
        numeric = sys.modules["pandas.core.indexes.numeric"]
    except ImportError:  # pandas >= 2 dropped Int64Index and friends: plain Index replaces them
        numeric = types.ModuleType("pandas.core.indexes.numeric")
        for name in ("Int64Index", "UInt64Index", "Float64Index", "NumericIndex"):
            setattr(numeric, name, pd.Index)
        sys.modules["pandas.core.indexes.numeric"] = numeric
    sys.modules.setdefault("pandas.indexes.numeric", numeric)


def read_lswmd(path):
    """Reads LSWMD.pkl with pandas.read_pickle, retrying with module aliases when the pickle names
    modules of an older pandas. Returns the DataFrame."""
    try:
        import pandas as pd
    except ImportError:
        sys.exit("error: reading LSWMD.pkl needs pandas (apt-get install python3-pandas, or pip install pandas); "
                 "only this conversion script needs it")
    if not os.path.isfile(path):
        raise SystemExit(f"error: {path}: no such file")
    try:
        return pd.read_pickle(path)
    except (ModuleNotFoundError, AttributeError, ImportError) as first:
        print(f"pandas {pd.__version__} could not read {path} as is ({first}); retrying with aliases for old "
              f"pandas module paths", file=sys.stderr)
        _alias_old_pandas_modules(pd)
        try:
            return pd.read_pickle(path)
        except Exception as second:
            raise SystemExit(f"error: pandas {pd.__version__} cannot read {path}: {second}. It was written by an "
                             f"old pandas; pandas 1.5.x (Debian bookworm's python3-pandas) reads it, see README.md")
    except Exception as e:  # not a pickle, truncated, ...
        raise SystemExit(f"error: {path} is not a readable pandas pickle ({type(e).__name__}: {e})")


def records_of(df, path):
    if not hasattr(df, "columns"):
        raise ConversionError(f"it holds a {type(df).__name__}, not a pandas DataFrame")
    missing = [c for c in ("waferMap", "failureType") if c not in df.columns]
    if missing:
        cols = ", ".join(map(str, list(df.columns)[:8]))
        raise ConversionError(f"no column(s) {missing}; it has {cols}")
    cols = [c for c in LSWMD_COLUMNS if c in df.columns]
    series = [df[c].tolist() for c in cols]
    return [dict(zip(cols, vals)) for vals in zip(*series)]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    p.add_argument("pickle", help="LSWMD.pkl")
    p.add_argument("out", help="output .npz")
    p.add_argument("--labelled-only", action="store_true", help="keep labelled maps only ('none' counts as a label)")
    p.add_argument("--classes", help="comma-separated failureType values to keep (implies --labelled-only)")
    p.add_argument("--split", choices=("training", "test"), help="keep one trianTestLabel value")
    p.add_argument("--sample-lots", type=int, help="keep the maps of this many randomly drawn lots")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample-lots (numpy default_rng)")
    p.add_argument("--max-maps", type=int, help="keep at most this many maps (the first ones)")
    p.add_argument("--uncompressed", action="store_true", help="np.savez instead of np.savez_compressed")
    a = p.parse_args(argv)
    for name in ("sample_lots", "max_maps"):
        v = getattr(a, name)
        if v is not None and v < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1, got {v}")
    classes = None
    if a.classes is not None:
        classes = [c.strip() for c in a.classes.split(",") if c.strip()]
        if not classes:
            p.error("--classes is empty")
    df = read_lswmd(a.pickle)
    try:
        records = records_of(df, a.pickle)
        chosen = select(records, a.labelled_only, classes, a.split, a.sample_lots, a.seed, a.max_maps)
        if not chosen:
            raise ConversionError("no map left after the selection")
        arrays = convert(chosen)
    except ConversionError as e:
        print(f"error: {a.pickle}: {e}", file=sys.stderr)
        return 2
    (np.savez if a.uncompressed else np.savez_compressed)(a.out, **arrays)
    labels = arrays["labels"]
    names, counts = np.unique(labels, return_counts=True)
    summary = ", ".join(f"{n or '(unlabelled)'} {c}" for n, c in zip(names, counts))
    sizes = {arrays[f"map_{i:05d}"].shape for i in range(len(labels))}
    print(f"wrote {a.out}: {len(labels)} maps of {len(records)} rows, {len(sizes)} sizes, "
          f"{len(set(arrays['lot_name'].tolist()))} lots; {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
