"""Benchmark: solver.equilibria.lemke_howson against nashpy and pygambit on random n x n games.

    python benchmarks/bench_lemke_howson.py [--quick]

Two families of seeded random games, n = 20, 50, 100, 200:
  * ``float``: payoffs uniform on [0, 1) (non-degenerate with probability 1);
  * ``int``:   payoffs uniform on {0, ..., 9} (degenerate ties are common), given as float arrays
               to the float solvers and as int arrays to the exact ones.
For each game a sample of initial labels is run. A run counts as solved only if the profile
passes ``verify.is_nash``. nashpy's ``lemke_howson`` (lexicographic, its default) runs under a
time cap and a cycle detector (a repeated pair of bases); NaN / wrong-shape / non-equilibrium
results count as failures. pygambit's ``lcp_solve`` (one equilibrium, no label) runs once per game.
Ratios are peer time / our time on the runs both solved (> 1 means ours is faster).
Times are process CPU time (``time.process_time``), which stays meaningful on a shared, loaded
machine. nashpy's cap is wall-clock (``ITIMER_REAL``): arming a CPU-time timer would make the
process CPU clock tick-granular on Linux.
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import warnings
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from solver.equilibria.lemke_howson import lemke_howson  # noqa: E402
from solver.core.regret import is_nash  # noqa: E402

try:
    import nashpy
    from nashpy.linalg import tableau as _nashpy_tableau
except ImportError:  # pragma: no cover
    nashpy = None
try:
    import pygambit as gbt
except ImportError:  # pragma: no cover
    gbt = None


_clock = time.process_time


# --- nashpy with a cycle detector and a time cap ---------------------------------------------

class _Stop(Exception):
    def __init__(self, reason):
        self.reason = reason


_TRACKED: list = []
_SEEN: set = set()


def _install_cycle_detector():
    original = _nashpy_tableau.TableauLex.pivot_and_drop_label

    def tracked(self, column_index):
        dropped = original(self, column_index)
        if all(t is not self for t in _TRACKED):
            _TRACKED.append(self)
        key = tuple(frozenset(t._non_basic_variables) for t in _TRACKED)
        if len(_TRACKED) == 2:
            if key in _SEEN:
                raise _Stop("cycle")
            _SEEN.add(key)
        return dropped

    _nashpy_tableau.TableauLex.pivot_and_drop_label = tracked


def _alarm(*_):
    raise _Stop("timeout")


def run_nashpy(A, B, label, cap):
    _TRACKED.clear()
    _SEEN.clear()
    signal.setitimer(signal.ITIMER_REAL, cap)
    start = _clock()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x, y = nashpy.Game(A, B).lemke_howson(initial_dropped_label=label)
        status = "ok"
    except _Stop as stop:
        status, x, y = stop.reason, None, None
    except Exception:  # noqa: BLE001 - nashpy may raise on NaN tableaux
        status, x, y = "error", None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    elapsed = _clock() - start
    if status == "ok":
        m, n = A.shape
        if x.shape != (m,) or y.shape != (n,) or not is_nash(np.stack([A, B]), [x, y]):
            status = "invalid"
    return status, elapsed


def run_ours(A, B, label, **kwargs):
    start = _clock()
    x, y = lemke_howson(A, B, label, **kwargs).profiles[0]
    elapsed = _clock() - start
    payoffs = np.stack([A, B]).astype(object if A.dtype.kind == "i" else float)
    return ("ok" if is_nash(payoffs, [x, y]) else "invalid"), elapsed


def run_gambit(A, B, rational):
    game = gbt.Game.from_arrays(A, B)
    start = _clock()
    result = gbt.nash.lcp_solve(game, rational=rational, stop_after=1)
    elapsed = _clock() - start
    if not result.equilibria:
        return "none", elapsed
    eq = result.equilibria[0]
    conv = (lambda v: Fraction(str(v))) if rational else float
    x, y = ([conv(eq[s]) for s in pl.strategies] for pl in game.players)
    payoffs = np.stack([A, B]).astype(object if rational else float)
    ok = is_nash(payoffs, [np.array(x, dtype=object if rational else float),
                           np.array(y, dtype=object if rational else float)])
    return ("ok" if ok else "invalid"), elapsed


# --- driver ----------------------------------------------------------------------------------

def summarise(name, ours, peer):
    """One row: solved fraction, mean and median time of all runs (failures included),
    peer/ours time ratio on the runs both solved, failure breakdown."""
    statuses = [s for s, _ in peer]
    solved = statuses.count("ok")
    mean = sum(t for _, t in peer) / len(peer)
    median = float(np.median([t for _, t in peer]))
    fails = {k: statuses.count(k) for k in sorted(set(statuses)) if k != "ok"}
    common = [(o[1], p[1]) for o, p in zip(ours, peer) if o[0] == "ok" and p[0] == "ok"] if ours else []
    ratio = (sum(p for _, p in common) / sum(o for o, _ in common)) if common else float("nan")
    fail_txt = ", ".join(f"{k} {v}" for k, v in fails.items()) or "-"
    ratio_txt = "" if ours is None else f"{ratio:9.2f}x"
    print(f"    {name:<28} {solved:>4}/{len(peer):<4} {mean * 1e3:10.2f} {median * 1e3:10.2f} "
          f"{ratio_txt:>10}   {fail_txt}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes and samples")
    parser.add_argument("--nashpy-cap", type=float, default=10.0, help="wall-clock seconds per nashpy run")
    args = parser.parse_args()

    plan = {20: (3, 40), 50: (3, 20), 100: (2, 10), 200: (2, 6)}      # n: (games, labels per game)
    if args.quick:
        plan = {20: (2, 10), 50: (2, 6), 100: (1, 4)}
    exact_max_n = 50
    if nashpy is not None:
        _install_cycle_detector()
        signal.signal(signal.SIGALRM, _alarm)
    print(f"nashpy {nashpy.__version__ if nashpy else 'not installed'}, "
          f"pygambit {gbt.__version__ if gbt else 'not installed'}; "
          f"nashpy cap {args.nashpy_cap:g} s/run (wall); "
          f"times are CPU time per run (pygambit: per game, it takes no label)")
    print(f"    {'solver':<28} {'solved':>9} {'mean ms':>10} {'median ms':>10} {'peer/ours':>10}   failures")

    for family in ("float", "int"):
        for n, (games, n_labels) in plan.items():
            rng = np.random.default_rng(1000 * n + (family == "int"))
            ours, ours_g, ours_x, peer, gam, gam_r = [], [], [], [], [], []
            ours_per_game, ours_x_per_game = [], []
            for _ in range(games):
                if family == "float":
                    A, B = rng.random((n, n)), rng.random((n, n))
                else:
                    A = rng.integers(0, 10, (n, n)).astype(float)
                    B = rng.integers(0, 10, (n, n)).astype(float)
                labels = sorted(rng.choice(2 * n, size=min(n_labels, 2 * n), replace=False).tolist())
                runs = [run_ours(A, B, k) for k in labels]
                ours += runs
                ours_per_game.append(sum(t for _, t in runs) / len(runs))
                if nashpy is not None:
                    peer += [run_nashpy(A, B, k, args.nashpy_cap) for k in labels]
                if family == "int":
                    Ai, Bi = A.astype(np.int64), B.astype(np.int64)
                    ours_g += [run_ours(Ai, Bi, k, float_guided=True) for k in labels]
                    if n <= exact_max_n:
                        runs_x = [run_ours(Ai, Bi, k, float_guided=False) for k in labels]
                        ours_x += runs_x
                        ours_x_per_game.append(sum(t for _, t in runs_x) / len(runs_x))
                if gbt is not None:
                    gam.append(run_gambit(A, B, rational=False))
                    if family == "int" and n <= exact_max_n:
                        gam_r.append(run_gambit(A.astype(np.int64), B.astype(np.int64), rational=True))
            print(f"  {family} n={n}: {games} games x {min(n_labels, 2 * n)} labels")
            summarise("ours (float)", None, ours)
            if peer:
                summarise("nashpy lemke_howson", ours, peer)
            if gam:
                # Gambit has no label: compare its per-game time with our mean per-label time.
                per_game = [("ok", t) for t in ours_per_game]
                summarise("pygambit lcp_solve (float)", per_game, gam)
            if ours_g:
                summarise("ours exact, float_guided", None, ours_g)
            if ours_x:
                summarise("ours exact (integer pivots)", None, ours_x)
                if gam_r:
                    summarise("pygambit lcp_solve rational", [("ok", t) for t in ours_x_per_game], gam_r)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
