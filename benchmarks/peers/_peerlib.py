"""Timing and output shared by the peer scripts in this folder (Python standard library only).

A peer script times the same work as a fabai JMH benchmark in another library and writes its
results as JSON in the shape JMH writes with ``-rf json``, plus two fields: ``peerOf`` (the fully
qualified name of the fabai benchmark) and ``peerName`` (what the peer is, printed in the report).
bin/bench reads them with the JMH results and prints the ratio fabai/peer.

Exit status: 0 results written, 3 skipped (a module it needs is missing; the reason is printed),
anything else an error. Timing follows JMH's average-time mode: warm-up iterations, then
measurement iterations of a fixed wall time each; a score is microseconds per operation, its
error the half-width of the 99.9% Student-t confidence interval over iterations (as JMH's).
"""

import argparse
import importlib
import json
import math
import os
import platform
import re
import statistics
import sys
import time

SKIP = 3

# two-sided 99.9% Student-t quantiles t(0.9995, df)
_T999 = [(1, 636.619), (2, 31.599), (3, 12.924), (4, 8.610), (5, 6.869), (6, 5.959), (7, 5.408),
         (8, 5.041), (9, 4.781), (10, 4.587), (12, 4.318), (15, 4.073), (20, 3.850), (30, 3.646),
         (60, 3.460), (120, 3.373)]


def t999(df):
    """The t quantile for df degrees of freedom (the nearest tabulated df at or below it)."""
    q = 3.291  # normal limit
    for d, v in reversed(_T999):
        if df >= d:
            return v if df < 1000 else q
    return float("nan")


def require(*modules):
    """Imports the modules or exits with SKIP, naming the missing one and how to get it."""
    found = []
    for m in modules:
        try:
            found.append(importlib.import_module(m))
        except ImportError as e:
            script = os.path.basename(sys.argv[0])
            print(f"SKIP {script}: python module '{m}' not importable by {sys.executable} ({e}); "
                  f"install Debian's python3-{m} (apt-get install python3-{m}) and run with "
                  f"FABAI_PYTHON=/usr/bin/python3", flush=True)
            sys.exit(SKIP)
    return found[0] if len(found) == 1 else found


class Runner:
    """Times benchmarks and collects JMH-shaped results."""

    def __init__(self, argv=None):
        p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        p.add_argument("--out", required=True, help="JSON file to write")
        p.add_argument("--warmup", type=int, default=3, help="warm-up iterations")
        p.add_argument("--iterations", type=int, default=5, help="measurement iterations")
        p.add_argument("--time", type=float, default=1.0, help="seconds per iteration")
        p.add_argument("--filter", default="", help="regex on the fabai benchmark name (re.search)")
        self.args = p.parse_args(argv)
        if self.args.iterations < 1 or self.args.warmup < 0 or not self.args.time > 0:
            p.error("need --iterations >= 1, --warmup >= 0, --time > 0")
        self.results = []
        self.script = os.path.splitext(os.path.basename(sys.argv[0]))[0]

    def bench(self, name, peer_of, peer_name, fn, params=None):
        """Times fn() unless --filter excludes peer_of; returns the score in us/op or None."""
        if self.args.filter and not re.search(self.args.filter, peer_of):
            return None
        a = self.args
        batch = 1
        # calibrate a batch that takes about 10 ms, so clock reads do not dominate
        while True:
            t0 = time.perf_counter()
            for _ in range(batch):
                fn()
            if time.perf_counter() - t0 >= 0.01 or batch >= 1 << 24:
                break
            batch *= 2
        scores = []
        for it in range(a.warmup + a.iterations):
            ops = 0
            t0 = time.perf_counter()
            end = t0 + a.time
            now = t0
            while now < end:
                for _ in range(batch):
                    fn()
                ops += batch
                now = time.perf_counter()
            us = (now - t0) / ops * 1e6
            if it >= a.warmup:
                scores.append(us)
        score = statistics.fmean(scores)
        if len(scores) > 1:
            err = t999(len(scores) - 1) * statistics.stdev(scores) / math.sqrt(len(scores))
        else:
            err = float("nan")
        print(f"{self.script}.{name}: {score:.3f} ± {err:.3f} us/op  (peer of {peer_of})", flush=True)
        self.results.append({
            "jmhVersion": "peer",
            "benchmark": f"peers.{self.script}.{name}",
            "mode": "avgt",
            "threads": 1,
            "forks": 1,
            "warmupIterations": a.warmup,
            "warmupTime": f"{a.time} s",
            "measurementIterations": a.iterations,
            "measurementTime": f"{a.time} s",
            "params": params or {},
            "peerOf": peer_of,
            "peerName": peer_name,
            "python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
            "primaryMetric": {
                "score": score,
                "scoreError": err if math.isfinite(err) else "NaN",
                "scoreUnit": "us/op",
                "rawData": [scores],
            },
            "secondaryMetrics": {},
        })
        return score

    def write(self):
        with open(self.args.out, "w", encoding="utf-8") as f:
            json.dump(self.results, f, indent=2)
            f.write("\n")
