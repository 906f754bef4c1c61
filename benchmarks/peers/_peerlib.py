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
import shutil
import statistics
import subprocess
import sys
import time

SKIP = 3

# OpenBLAS variables the machine may set to steady older OpenBLAS builds; they pin a slower kernel
# for a current numpy. Runner() drops them from its own process (a re-exec) unless
# FABAI_PEERS_KEEP_OPENBLAS=1; tests and CI never run the peers.
_OPENBLAS_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_WAS = "FABAI_PEERS_OPENBLAS_WAS"
DEBIAN_PYTHON = "/usr/bin/python3"

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


def _reexec(python, env):
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(python, [python] + sys.argv, env)


def _can_import(python, module):
    return subprocess.run([python, "-c", f"import {module}"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


def require_debian(module, package):
    """Imports module, installing Debian's package for it when it is missing.

    When the running interpreter lacks the module but Debian's /usr/bin/python3 has it, the script
    is re-executed there. When neither has it and the script runs as root (and
    FABAI_PEERS_NO_INSTALL is not set), ``apt-get install -y PACKAGE`` (after ``apt-get update`` if
    the first try fails) installs it for Debian's python. Otherwise it exits with SKIP and says why.
    The package is a peer's, never a dependency of the library.
    """
    try:
        return importlib.import_module(module)
    except ImportError as e:
        first = e
    script = os.path.basename(sys.argv[0])
    debian = os.path.realpath(sys.executable) == os.path.realpath(DEBIAN_PYTHON)
    if not debian and os.access(DEBIAN_PYTHON, os.X_OK) and _can_import(DEBIAN_PYTHON, module):
        print(f"{script}: '{module}' is not importable by {sys.executable}; re-running with {DEBIAN_PYTHON}",
              flush=True)
        _reexec(DEBIAN_PYTHON, os.environ)
    why = None
    if os.environ.get("FABAI_PEERS_NO_INSTALL"):
        why = "FABAI_PEERS_NO_INSTALL is set"
    elif os.geteuid() != 0:
        why = "not root, so apt-get cannot install it"
    elif not shutil.which("apt-get") or not os.access(DEBIAN_PYTHON, os.X_OK):
        why = "no apt-get or no /usr/bin/python3 here"
    if why is None:
        print(f"{script}: installing Debian's {package} for '{module}' (apt-get install -y {package})", flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        cmd = ["apt-get", "install", "-y", "-q", "--no-install-recommends", package]
        ok = subprocess.run(cmd, env=env).returncode == 0
        if not ok:
            subprocess.run(["apt-get", "update", "-q"], env=env)
            ok = subprocess.run(cmd, env=env).returncode == 0
        if ok and _can_import(DEBIAN_PYTHON, module):
            if debian:
                importlib.invalidate_caches()
                return importlib.import_module(module)
            _reexec(DEBIAN_PYTHON, os.environ)
        why = f"apt-get install -y {package} failed or did not make '{module}' importable (no network?)"
    print(f"SKIP {script}: python module '{module}' not importable by {sys.executable} ({first}); {why}. "
          f"Install it with: apt-get install -y {package}", flush=True)
    sys.exit(SKIP)


def blas_info():
    """What threadpoolctl sees of the loaded BLAS/OpenMP libraries ('' without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return ""
    parts = []
    for i in threadpool_info():
        name = i.get("internal_api") or i.get("prefix")
        arch = i.get("architecture")
        label = " ".join(str(x) for x in (name, i.get("version"), arch) if x)
        parts.append(f"{label}, {i.get('num_threads')} threads")
    return "; ".join(parts)


def _matmul_ok():
    """Checks float32 and float64 matrix products of the loaded numpy/torch against an
    element-wise (BLAS-free) reference; a misdetected OpenBLAS kernel computes wrong results."""
    problems = []
    np = sys.modules.get("numpy")
    if np is not None:
        rng = np.random.default_rng(7)
        a, b = rng.random((67, 129)), rng.random((129, 71))
        ref = (a[:, :, None] * b[None, :, :]).sum(axis=1)
        for dt, tol in ((np.float64, 1e-9), (np.float32, 1e-3)):
            got = a.astype(dt) @ b.astype(dt)
            if not np.allclose(got, ref, rtol=tol, atol=tol):
                problems.append(f"numpy {np.dtype(dt).name} matmul off by {abs(got - ref).max():.3g}")
    torch = sys.modules.get("torch")
    if torch is not None:
        g = torch.Generator().manual_seed(7)
        a, b = torch.rand(67, 129, generator=g, dtype=torch.float64), torch.rand(129, 71, generator=g, dtype=torch.float64)
        ref = (a[:, :, None] * b[None, :, :]).sum(dim=1)
        for dt, tol in ((torch.float64, 1e-9), (torch.float32, 1e-3)):
            got = (a.to(dt) @ b.to(dt)).to(torch.float64)
            if not torch.allclose(got, ref, rtol=tol, atol=tol):
                problems.append(f"torch {dt} matmul off by {(got - ref).abs().max().item():.3g}")
    return problems


class Runner:
    """Times benchmarks and collects JMH-shaped results."""

    def __init__(self, argv=None):
        # Fair timing: drop the OpenBLAS pins from this process (re-exec before numpy loads).
        if not os.environ.get("FABAI_PEERS_KEEP_OPENBLAS") and _WAS not in os.environ \
                and any(v in os.environ for v in _OPENBLAS_VARS):
            env = dict(os.environ)
            env[_WAS] = " ".join(f"{v}={env.pop(v)}" for v in _OPENBLAS_VARS if v in env)
            _reexec(sys.executable, env)
        self.openblas_note = (f"unset {os.environ[_WAS]} for this peer" if _WAS in os.environ
                              else "; ".join(f"{v}={os.environ[v]}" for v in _OPENBLAS_VARS if v in os.environ)
                              or "no OPENBLAS_* pins")
        self._checked = False
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

    def _check_blas(self):
        """Once, before the first timing: the BLAS kernel in use, and a correctness check of it.
        Should the kernel picked without the OpenBLAS pins compute wrong products, the script
        re-runs itself with the pins restored (and says so)."""
        if self._checked:
            return
        self._checked = True
        problems = _matmul_ok()
        if problems and _WAS in os.environ:
            print(f"{self.script}: without the OpenBLAS pins: {'; '.join(problems)}; re-running with "
                  f"{os.environ[_WAS]} restored", flush=True)
            env = dict(os.environ)
            for kv in env.pop(_WAS).split():
                k, v = kv.split("=", 1)
                env[k] = v
            env["FABAI_PEERS_KEEP_OPENBLAS"] = "1"
            _reexec(sys.executable, env)
        if problems:
            raise SystemExit(f"{self.script}: the BLAS computes wrong products: {'; '.join(problems)}")
        self.blas = blas_info() or "threadpoolctl not installed"
        print(f"{self.script}: {platform.python_implementation()} {platform.python_version()} "
              f"({sys.executable}); BLAS: {self.blas}; {self.openblas_note}", flush=True)

    def bench(self, name, peer_of, peer_name, fn, params=None, also=None):
        """Times fn() unless --filter excludes peer_of; returns the score in us/op or None.

        also: optional {name: peer_of} of further fabai benchmarks the same work pairs with; the
        one measurement is written once per pairing (each under its own name), those the filter
        excludes left out.
        """
        pairs = [(n, p) for n, p in [(name, peer_of)] + list((also or {}).items())
                 if not self.args.filter or re.search(self.args.filter, p)]
        if not pairs:
            return None
        self._check_blas()
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
        for name, peer_of in pairs:
            print(f"{self.script}.{name}: {score:.3f} ± {err:.3f} us/op  (peer of {peer_of})", flush=True)
            self._result(name, peer_of, peer_name, params, scores, score, err)
        return score

    def _result(self, name, peer_of, peer_name, params, scores, score, err):
        a = self.args
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
            "blas": self.blas,
            "openblasEnv": self.openblas_note,
            "primaryMetric": {
                "score": score,
                "scoreError": err if math.isfinite(err) else "NaN",
                "scoreUnit": "us/op",
                "rawData": [scores],
            },
            "secondaryMetrics": {},
        })

    def write(self):
        with open(self.args.out, "w", encoding="utf-8") as f:
            json.dump(self.results, f, indent=2)
            f.write("\n")
