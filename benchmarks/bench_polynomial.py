"""Benchmark: all equilibria of 3-player games, ours vs Gambit's enumpoly.

    python benchmarks/bench_polynomial.py [--timeout 60] [--quick]

Seeded random games of several shapes — Gaussian payoffs (generic) and small integers
(degenerate: ties, continua of equilibria) — are solved by
:func:`solver.equilibria.polynomial.enumerate_polynomial` and by ``pygambit.nash.enumpoly_solve``
(pygambit 16.7; run in a subprocess with a timeout, reported as ``timeout``). Columns:

* ``ours s`` / ``gambit s`` — solve time (Gambit's measured inside its process, without import);
* ``eq`` — isolated equilibria (ours / Gambit's), ``fam`` — our families (continua);
* ``agree`` — how many of Gambit's equilibria we also report (isolated or as a point found on a
  family) out of Gambit's count; ``extra`` — our verified isolated equilibria Gambit did not list;
* ``ratio`` — Gambit time / our time (> 1: we are faster); with a timeout it is a lower bound.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from solver.equilibria.polynomial import enumerate_polynomial  # noqa: E402
from solver.core.regret import is_nash  # noqa: E402

_CHILD = r"""
import json, sys, time
from fractions import Fraction
import numpy as np
import pygambit as gbt
U = np.load(sys.argv[1], allow_pickle=True)
arrs = [U[i] for i in range(U.shape[0])]
if U.dtype == object:
    arrs = [np.vectorize(Fraction, otypes=[object])(a) for a in arrs]
game = gbt.Game.from_arrays(*arrs)
start = time.perf_counter()
res = gbt.nash.enumpoly_solve(game)
elapsed = time.perf_counter() - start
eqs = [[[float(eq[s]) for s in p.strategies] for p in game.players] for eq in res.equilibria]
print(json.dumps({"time": elapsed, "eqs": eqs}))
"""


def gambit_enumpoly(U: np.ndarray, timeout: float):
    """(equilibria, seconds) from pygambit in a subprocess; (None, reason) on failure."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "game.npy")
        np.save(path, np.asarray(U), allow_pickle=True)
        try:
            run = subprocess.run([sys.executable, "-c", _CHILD, path], capture_output=True, text=True,
                                 timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, "timeout"
        if run.returncode != 0:
            last = run.stderr.strip().splitlines()[-1:] or ["?"]
            return None, "error: " + last[0][:60]
        data = json.loads(run.stdout)
        return [[np.array(p) for p in eq] for eq in data["eqs"]], data["time"]


def _same(p, q, atol=1e-5) -> bool:
    return all(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), atol=atol, rtol=0)
               for a, b in zip(p, q))


def games(quick: bool):
    rng = np.random.default_rng(20240531)
    cases = [("2x2x2 gauss", (2, 2, 2), "gauss", 3 if quick else 10),
             ("3x3x3 gauss", (3, 3, 3), "gauss", 1 if quick else 3),
             ("2x2x2 int{0,1,2}", (2, 2, 2), "small", 3 if quick else 8),
             ("2x2x3 int{0,1,2}", (2, 2, 3), "small", 1 if quick else 3),
             ("3x3x3 int{0,1,2}", (3, 3, 3), "small", 0 if quick else 1),
             ("2x4x16 gauss", (2, 4, 16), "gauss", 0 if quick else 1),
             ("2x4x16 int{0..9}", (2, 4, 16), "int", 0 if quick else 1)]
    for label, shape, kind, count in cases:
        for k in range(count):
            size = (len(shape),) + shape
            if kind == "gauss":
                U = rng.normal(size=size)
            elif kind == "small":
                U = rng.integers(0, 3, size=size).astype(object)
            else:
                U = rng.integers(0, 10, size=size).astype(object)
            yield f"{label} #{k}", U


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds allowed to Gambit (and to us)")
    ap.add_argument("--quick", action="store_true", help="small games only")
    args = ap.parse_args(argv)
    try:
        import pygambit  # noqa: F401  (optional: only the Gambit columns need it)
        have_gambit = True
    except ImportError:
        have_gambit = False
        print("pygambit not importable: Gambit columns left empty")
    head = (f"{'game':22} {'ours s':>8} {'eq':>4} {'fam':>4} {'done':>5} | {'gambit s':>9} {'eq':>4} | "
            f"{'agree':>7} {'extra':>5} {'ratio':>8}")
    print(head)
    print("-" * len(head))
    totals = {"ours": 0.0, "gambit": 0.0, "gambit_timeouts": 0, "missed": 0}
    for label, U in games(args.quick):
        start = time.perf_counter()
        res = enumerate_polynomial(U, deadline=time.monotonic() + args.timeout)
        ours = time.perf_counter() - start
        assert all(is_nash(U, eq) for eq in res.profiles)
        assert all(is_nash(U, sp) for f in res.families for sp in f.extreme_points)
        totals["ours"] += ours
        pool = list(res.profiles) + [sp for f in res.families for sp in f.extreme_points]
        g_txt = g_eq = agree = extra = ratio = "-"
        if have_gambit:
            ref, info = gambit_enumpoly(U, args.timeout)
            if ref is None:
                g_txt = info if info == "timeout" else "error"
                if info == "timeout":
                    totals["gambit_timeouts"] += 1
                    ratio = f">{args.timeout / ours:.1f}"
            else:
                g_txt = f"{info:.3f}"
                totals["gambit"] += info
                g_eq = str(len(ref))
                hit = sum(any(_same(p, q) for p in pool) for q in ref)
                totals["missed"] += len(ref) - hit
                agree = f"{hit}/{len(ref)}"
                extra = str(sum(not any(_same(p, q) for q in ref) for p in res.profiles))
                ratio = f"{info / ours:.3f}"
        print(f"{label:22} {ours:8.3f} {len(res.profiles):4d} {len(res.families):4d} "
              f"{str(res.complete):>5} | {g_txt:>9} {g_eq:>4} | {agree:>7} {extra:>5} {ratio:>8}", flush=True)
    print("-" * len(head))
    print(f"total ours {totals['ours']:.1f} s; Gambit {totals['gambit']:.1f} s on the games it finished, "
          f"{totals['gambit_timeouts']} timeouts (> {args.timeout:.0f} s); Gambit equilibria we missed: "
          f"{totals['missed']}")


if __name__ == "__main__":
    main()
