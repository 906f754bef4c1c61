"""Extrapolates the soft vote's real-data learning curve to the number of labels a macro-F1 needs.

Points: adc/REAL-DATA.md's curve (small, labels alone: 25 ... 500 labels, two repeats each, and
750 / 1,000 / 1,500 from ../20261204T1340Z-adc-generated-beside-labels/curve-large.csv), plus the
5-fold lot-grouped CV (about 1,685 training maps). Two fits: a power law of the error with a floor,
1 - F1 = a n^-b + c (scipy curve_fit), and a line in log n through the points from 250 labels on.
"""
import numpy as np
from scipy.optimize import curve_fit

n = np.array([25, 50, 100, 250, 500, 750, 1000, 1500, 1685.])
f1 = np.array([.552, .648, .694, .758, .786, .796, .818, .850, .846])


def model(n, a, b, c):
    return 1 - (a * n ** -b + c)


(a, b, c), _ = curve_fit(model, n, f1, p0=[1, 0.3, 0.1], bounds=([0, 0, 0], [100, 3, 0.5]), maxfev=20000)
print('power law: a %.3f b %.3f floor %.3f (asymptote %.3f)' % (a, b, c, 1 - c))
for target in (0.86, 0.88, 0.90):
    e = 1 - target - c
    print('  macro-F1 %.2f at about %s labels' % (target, '%.0f' % ((a / e) ** (1 / b)) if e > 0 else 'never'))
m = n >= 250
k, k0 = np.polyfit(np.log(n[m]), f1[m], 1)
print('log-linear from 250 labels: +%.3f per doubling; 0.90 at about %.0f labels' % (k * np.log(2), np.exp((0.9 - k0) / k)))
