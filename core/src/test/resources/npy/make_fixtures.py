#!/usr/bin/env python3
"""Generates the numpy fixtures that NpyReaderTest / NpzReaderTest / WaferMapArraysTest read.

Run from this directory with a python that has numpy (written with numpy 2.4.6):
    python3 make_fixtures.py
Every file is small (the whole set stays well under 50 KB). The tests hard-code the values below,
so change both together.
"""
import io
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, arr, version=None):
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        if version is None:
            np.save(f, arr, allow_pickle=False)
        else:
            np.lib.format.write_array(f, arr, version=version, allow_pickle=False)


INTS = np.array([[-3, -2, -1], [0, 1, 2]])
UINTS = np.array([[0, 1, 2], [253, 254, 255]])
I64 = np.array([[-(2 ** 40), -1, 0], [1, 2 ** 40, 2 ** 62]], dtype="<i8")
FLOATS = np.array([[-1.5, 0.0, 0.25], [1e10, np.nan, -np.inf]])

# every dtype, little-endian (or byte order '|'), C order, shape (2, 3)
save("i1.npy", INTS.astype("|i1"))
save("u1.npy", UINTS.astype("|u1"))
save("i2.npy", INTS.astype("<i2"))
save("u2.npy", (UINTS * 200).astype("<u2"))  # 0, 200, 400, 50600, 50800, 51000
save("i4.npy", INTS.astype("<i4"))
save("u4.npy", (UINTS.astype("<u8") * 16777216).astype("<u4"))  # 255*2^24 = 4278190080 > int max
save("i8.npy", I64)
save("f4.npy", FLOATS.astype("<f4"))
save("f8.npy", FLOATS.astype("<f8"))
save("bool.npy", np.array([[True, False, True], [False, False, True]]))

# big-endian
save("be_i2.npy", INTS.astype(">i2"))
save("be_u2.npy", (UINTS * 200).astype(">u2"))
save("be_i4.npy", INTS.astype(">i4"))
save("be_u4.npy", (UINTS.astype("<u8") * 16777216).astype(">u4"))
save("be_i8.npy", I64.astype(">i8"))
save("be_f4.npy", FLOATS.astype(">f4"))
save("be_f8.npy", FLOATS.astype(">f8"))

# Fortran order: values 0..23 in C order of shape (2, 3, 4); stored column-major
save("fortran_i4.npy", np.asfortranarray(np.arange(24, dtype="<i4").reshape(2, 3, 4)))
save("fortran_be_f8.npy", np.asfortranarray((np.arange(12, dtype=">f8") / 4).reshape(3, 4)))
assert np.load(os.path.join(HERE, "fortran_i4.npy")).flags.f_contiguous

# 0-d and empty
save("scalar_f8.npy", np.array(2.5))
save("empty_i4.npy", np.zeros((0, 3), dtype="<i4"))
save("empty_1d_f8.npy", np.zeros((0,), dtype="<f8"))

# strings: unicode (UTF-32 code points), big-endian unicode, Fortran unicode, byte strings
STRS = ["Center", "Edge-Ring", "none", "\u00dcn\u00efc\u00f6d\u00e9", "\U0001F600x", ""]
save("str_u.npy", np.array(STRS))  # <U9
save("str_be_u.npy", np.array(STRS).astype(">U9"))
save("str_fortran_u.npy", np.asfortranarray(np.array([["a", "bb", "ccc"], ["dddd", "e", "ff"]])))
save("str_s.npy", np.array([b"ab", b"c", b""], dtype="|S3"))

# format versions 2.0 and 3.0
save("v2_i4.npy", INTS.astype("<i4"), version=(2, 0))
save("v3_u.npy", np.array(["x", "yz"]), version=(3, 0))

# NPZ: stored (savez) and deflated (savez_compressed)
np.savez(os.path.join(HERE, "stored.npz"), INTS.astype("<i4"), FLOATS, names=np.array(["a", "bc"]))
np.savez_compressed(os.path.join(HERE, "deflated.npz"), INTS.astype("<i4"), FLOATS, names=np.array(["a", "bc"]))

# wafer maps in WM-811K / MixedWM38 form: 0 off, 1 good, 2 fail
n, rows, cols = 4, 8, 8
yy, xx = np.mgrid[0:rows, 0:cols]
disk = ((yy - 3.5) ** 2 + (xx - 3.5) ** 2) <= 3.5 ** 2
maps = np.zeros((n, rows, cols), dtype=np.int64)
for i in range(n):
    maps[i][disk] = 1
maps[0][3:5, 3:5] = 2                 # center
maps[1][0:2, 2:6] = 2                 # top edge (only where on wafer)
maps[1][~disk] = 0
maps[2][disk & ((yy + xx) % 3 == 0)] = 2
# maps[3]: no failures
labels = np.array([[1, 0, 0], [0, 1, 0], [1, 0, 1], [0, 0, 0]], dtype=np.int64)  # multi-hot, last = none
np.savez_compressed(os.path.join(HERE, "wafer_maps.npz"), maps, labels)
np.savez(os.path.join(HERE, "wafer_maps_strings.npz"),
         maps=maps.astype(np.uint8), labels=np.array(["Center", "Edge-Loc", "Random", "none"]))
bad = maps.copy()
bad[2, 4, 6] = 3                       # MixedWM38 has such stray 3s in some Near-Full maps
np.savez(os.path.join(HERE, "wafer_maps_code3.npz"), bad, labels)

# MixedWM38 layout (Wafer_Map_Datasets.npz): arr_0 n x 52 x 52 int32 codes, arr_1 n x 8 multi-hot int32
yy, xx = np.mgrid[0:52, 0:52]
disk52 = ((yy - 25.5) ** 2 + (xx - 25.5) ** 2) <= 25 ** 2
mw = np.zeros((3, 52, 52), dtype=np.int32)
mw[:, disk52] = 1
mw[0, 20:32, 20:32] = 2                # Center
mw[1, disk52 & (np.abs(yy - xx) <= 1)] = 2  # Scratch-like diagonal
mw[1, 30, 40] = 3                      # the stray 3 some Near-Full maps carry
mw[2, 5:10, 20:30] = np.where(disk52[5:10, 20:30], 2, 0)
hot = np.zeros((3, 8), dtype=np.int32)
hot[0, 0] = 1                          # Center
hot[1, [0, 6]] = 1                     # Center + Scratch
np.savez_compressed(os.path.join(HERE, "mixedwm38_like.npz"), mw, hot)

# refused inputs: an object array (pickle) and a structured dtype
with open(os.path.join(HERE, "object.npy"), "wb") as f:
    np.save(f, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
save("structured.npy", np.zeros(2, dtype=[("x", "<i4"), ("y", "<f8")]))

# an npz holding a non-.npy entry
with zipfile.ZipFile(os.path.join(HERE, "extra_entry.npz"), "w") as z:
    buf = io.BytesIO()
    np.save(buf, INTS)
    z.writestr("arr_0.npy", buf.getvalue())
    z.writestr("readme.txt", "not an array")

total = sum(os.path.getsize(os.path.join(HERE, f)) for f in os.listdir(HERE))
print("fixtures written, total", total, "bytes")
