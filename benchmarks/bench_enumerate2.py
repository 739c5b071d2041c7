"""Benchmark: all extreme equilibria of random n×n bimatrix games, ours against Gambit and nashpy.

Run as ``python benchmarks/bench_enumerate2.py`` (options: ``--sizes 4 6 8``, ``--timeout 300``
for Gambit, ``--nashpy-timeout 60``). For each n and each kind of game — ``gauss`` (float payoffs
from N(0, 1)) and ``int0-3`` (integer payoffs 0..3, usually degenerate) — one seeded game is
solved by

* ours: ``solver.equilibria.enumerate2.enumerate_extreme_equilibria`` (exact);
* Gambit ``enummixed_solve(rational=True)`` (exact) and ``rational=False`` (floating point),
  when pygambit is importable;
* nashpy ``support_enumeration`` and ``vertex_enumeration`` (floating point).

Every peer runs in a child process killed after its time limit in wall seconds ("timeout").
The table shows seconds, equilibrium counts, the ratio peer time / our time, and whether the
peer's equilibrium set equals ours: exactly for integer games; to 1e-9 for float games (Gambit
reads a float through its shortest decimal repr, we through its exact binary value, so the exact
rationals differ in the 17th digit).

Results on the development machine (2 cores shared with other jobs, load ~7; Python 3.11.7,
pygambit 16.7.0, nashpy 0.0.43), default options (Gambit limit 300 s, nashpy 60 s wall), one run.
Times are CPU seconds of the solving call (``time.process_time`` in the process that solves), which
the machine's load disturbs less than wall time:

       n kind    ours s #eq | gambit-rational        | gambit-float           | nashpy-support         | nashpy-vertex
                            |   CPU s #eq  ratio same |   CPU s #eq  ratio same |   CPU s #eq  ratio same |   CPU s #eq  ratio same
       4 gauss    0.001    1 |   0.012   1    9.5  yes |   0.001   1    0.7  yes |   0.008   1    6.3  yes |   0.016   1   12.6  yes
       4 int0-3   0.001    2 |   0.004   2    2.7  yes |   0.001   2    0.6  yes |   0.008   2    5.8  yes |   0.011   2    8.2  yes
       6 gauss    0.003    7 |   0.429   7  154.0  yes |   0.003   7    1.1  yes |   0.144   6   51.7   NO |   0.183   7   65.7  yes
       6 int0-3   0.006   18 |   0.080  21   12.6  yes |   0.005  21    0.7  yes |   0.143   7   22.5   NO |   0.078  18   12.3  yes
       8 gauss    0.007    1 |   3.938   1  568.6  yes |   0.028   1    4.1  yes |   2.569   0  370.9   NO |   1.516   1  218.9  yes
       8 int0-3   0.014   18 |   0.514  18   35.6  yes |   0.017  18    1.2  yes |   2.674   8  185.0   NO |   0.743  18   51.4  yes
      10 gauss    0.053   15 |  84.014  15 1588.9  yes |   0.907  15   17.2  yes |                timeout |                timeout
      10 int0-3   0.074   47 |   4.030  47   54.7  yes |   0.150  47    2.0  yes |                timeout |   7.674  47  104.1  yes
      12 gauss    0.165   13 |                timeout |  11.764  13   71.4  yes |                timeout |                timeout
      12 int0-3   0.361   50 |  38.449  53  106.6  yes |   2.236  53    6.2  yes |                timeout |                timeout

Gambit's "#eq" can exceed ours on degenerate games because it lists some extreme equilibria more
than once; "same" compares sets. nashpy's support enumeration misses equilibria in every game from
n = 6 on (unequal supports in the degenerate games; float rounding in the Gaussian ones). At n = 10 we are ~17×
(float Gambit) and ~1600× (exact Gambit) faster on the Gaussian game; at n = 12, ~70× faster
than float Gambit while exact Gambit did not finish in 300 s. Our first call in a process also
pays ~0.2 s for importing ``scipy.spatial`` (not included above).
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from solver.equilibria.enumerate2 import enumerate_extreme_equilibria  # noqa: E402

KINDS = ("gauss", "int0-3")


def make_game(n: int, kind: str) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(1000 * n + KINDS.index(kind))
    if kind == "gauss":
        return rng.normal(size=(n, n)), rng.normal(size=(n, n))
    return rng.integers(0, 4, size=(n, n)), rng.integers(0, 4, size=(n, n))


def to_key(pairs, exact: bool) -> set:
    if exact:
        return {(tuple(Fraction(v) for v in x), tuple(Fraction(v) for v in y)) for x, y in pairs}
    return {(tuple(np.round(np.asarray(x, dtype=float), 9) + 0.0), tuple(np.round(np.asarray(y, dtype=float), 9) + 0.0))
            for x, y in pairs}


# ---- peers, each run in a child process ------------------------------------------------------

def run_ours(A, B, kind):
    if kind != "gauss":
        A, B = A.astype(object), B.astype(object)
    start = time.process_time()
    result = enumerate_extreme_equilibria(A, B)
    return time.process_time() - start, [(list(x), list(y)) for x, y in result.profiles]


def run_gambit(A, B, kind, rational):
    import pygambit as gbt

    game = gbt.Game.from_arrays(A, B)
    p1, p2 = game.players
    start = time.process_time()
    result = gbt.nash.enummixed_solve(game, rational=rational)
    elapsed = time.process_time() - start

    def value(v):
        return Fraction(v.numerator, v.denominator) if rational else float(v)

    return elapsed, [([value(v) for _, v in eq[p1]], [value(v) for _, v in eq[p2]]) for eq in result.equilibria]


def run_nashpy(A, B, kind, method):
    import warnings

    import nashpy

    warnings.simplefilter("ignore")
    game = nashpy.Game(np.asarray(A, dtype=float), np.asarray(B, dtype=float))
    start = time.process_time()
    found = list(getattr(game, method)())
    return time.process_time() - start, [(list(x), list(y)) for x, y in found]


def _child(conn, function, args):
    try:
        conn.send(("ok", function(*args)))
    except Exception as error:  # report, don't hang the parent
        conn.send(("error", repr(error)))
    conn.close()


def in_child(function, args, timeout: float):
    """(seconds, equilibria) or a short failure string."""
    context = mp.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, function, args))
    process.start()
    child.close()
    if parent.poll(timeout):
        status, payload = parent.recv()
    else:
        status, payload = "timeout", f">{timeout:g}s"
    process.join(1)
    if process.is_alive():
        process.kill()
        process.join()
    return payload if status == "ok" else (status if status == "timeout" else "error: " + payload)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 6, 8, 10, 12])
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per Gambit call")
    parser.add_argument("--nashpy-timeout", type=float, default=60.0, help="seconds per nashpy call")
    args = parser.parse_args()

    try:
        import pygambit  # noqa: F401
        have_gambit = True
    except ImportError:
        have_gambit = False
        print("pygambit not importable: Gambit columns skipped")

    peers = [("nashpy-support", run_nashpy, ("support_enumeration",)),
             ("nashpy-vertex", run_nashpy, ("vertex_enumeration",))]
    if have_gambit:
        peers = [("gambit-rational", run_gambit, (True,)), ("gambit-float", run_gambit, (False,))] + peers

    header = f"{'n':>3} {'kind':<7} {'ours s':>8} {'#eq':>4} | " + " | ".join(
        f"{name:<15} {'s':>8} {'#eq':>4} {'ratio':>7} {'same':>4}" for name, _, _ in peers)
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        for kind in KINDS:
            A, B = make_game(n, kind)
            ours_time, ours = run_ours(A, B, kind)
            exact = kind != "gauss"
            ours_key = to_key(ours, exact)
            cells = [f"{n:>3} {kind:<7} {ours_time:>8.3f} {len(ours):>4}"]
            for name, function, extra in peers:
                limit = args.nashpy_timeout if name.startswith("nashpy") else args.timeout
                outcome = in_child(function, (A, B, kind) + extra, limit)
                if isinstance(outcome, str):
                    cells.append(f"{name:<15} {outcome[:22]:>22} {'':>4}")
                    continue
                seconds, found = outcome
                peer_exact = exact and name == "gambit-rational"
                same = to_key(found, peer_exact) == (ours_key if peer_exact else to_key(ours, False))
                cells.append(f"{name:<15} {seconds:>8.3f} {len(found):>4} {seconds / ours_time:>7.1f} {'yes' if same else 'NO':>4}")
            print(" | ".join(cells), flush=True)
    print("times are CPU seconds; ratio = peer time / our time (>1: we are faster); same = equal equilibrium sets")


if __name__ == "__main__":
    main()
