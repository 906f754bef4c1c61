"""Writes the two fab-size training sets of this study from the shared real sample (timing only:
the maps are the sample's 2,107 maps, rotated and flipped, so no accuracy is read from them).

  natural.npz        38,536 maps, 86.5 % none (each none map 88 times, every other map 3 times)
  wm811k-size.npz   172,950 maps in WM-811K's published labelled class counts
Each copy gets its own lot name (lot_<copy>), as different lots would.
"""
import sys
import numpy as np

src = sys.argv[1] if len(sys.argv) > 1 else '../shared/data/wm811k/wm811k-sample.npz'
z = np.load(src)
n = sum(1 for k in z.keys() if k.startswith('map_'))
maps = [z['map_%05d' % i] for i in range(n)]
lab, lot = z['labels'], z['lot_name']


def dihedral(m, t):
    m = np.rot90(m, k=t % 4)
    return m[:, ::-1] if t >= 4 else m


def write(name, copies_of):
    d, labels, lots, j = {}, [], [], 0
    for i, c, t in copies_of():
        d['map_%06d' % j] = np.ascontiguousarray(dihedral(maps[i], t % 8))
        labels.append(c)
        lots.append('%s_%d' % (lot[i], t))
        j += 1
    d['labels'] = np.array(labels)
    d['lot_name'] = np.array(lots)
    np.savez_compressed(name, **d)
    print(name, j, 'maps')


def natural():
    for i in range(n):
        for r in range(88 if lab[i] == 'none' else 3):
            yield i, lab[i], r


WM811K = {'none': 147431, 'Center': 4294, 'Donut': 555, 'Edge-Loc': 5189, 'Edge-Ring': 9680, 'Loc': 3593,
          'Random': 866, 'Scratch': 1193, 'Near-full': 149}


def wm811k_size():
    by = {}
    for i in range(n):
        by.setdefault(lab[i], []).append(i)
    for c, idx in by.items():
        for r in range(WM811K[c]):
            yield idx[r % len(idx)], c, r // len(idx)


write('natural.npz', natural)
write('wm811k-size.npz', wm811k_size)
