"""Benchmark: pure Nash equilibria of large normal-form games, ours against pygambit's enumpure.

    python benchmarks/bench_pure.py [--quick]

Seeded random games (``solver.model.random_games.random_normal_form``) with about 10^6 pure
profiles: 4 players x 32 strategies, 2 players x 1000 x 1000 and 3 players x 100 x 100 x 100, each
with float payoffs (uniform on [0, 1)) and with small-integer payoffs (uniform on {0, ..., 9}, so
ties and many equilibria are common). In the same run:

  * ``ours``: ``solver.equilibria.pure.pure_equilibria`` on the float64 tensor; for integer
    games both on an int64 tensor and on the exact form the generator returns (an object array of
    Python ints, as the conventions hold exact payoffs);
  * ``pygambit``: ``gbt.nash.enumpure_solve`` on ``gbt.Game.from_arrays`` of the same payoffs. The
    time to build the Gambit game is shown separately and is not part of the ratio.

Both must find the same set of equilibria (the benchmark stops otherwise). The ratio is
pygambit's solve time over our time, in CPU and in wall time (> 1: ours faster). A last table times exact ``Fraction``
payoffs on a smaller game. Times are the best of several runs (one for runs over ~10 s);
``peak`` is the extra memory one call of ours allocates (tracemalloc, separate untimed run).
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from benchmarks.common import (Timing, best_of, fmt_bytes, fmt_ratio, fmt_time,  # noqa: E402
                               machine_info, peak_memory, print_table)
from solver.equilibria.pure import pure_equilibrium_indices  # noqa: E402
from solver.model.random_games import random_normal_form  # noqa: E402

try:
    import pygambit as gbt
except ImportError:  # pragma: no cover
    gbt = None


def gambit_pure(payoffs: np.ndarray):
    """(build wall time, solve Timing, equilibria as index tuples) with pygambit's enumpure."""
    start = time.perf_counter()
    game = gbt.Game.from_arrays(*payoffs)
    build = time.perf_counter() - start
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    result = gbt.nash.enumpure_solve(game)
    solve = Timing(time.perf_counter() - start, time.process_time() - start_cpu)
    players = list(game.players)
    found = set()
    for profile in result.equilibria:              # not timed: reading the answer back
        found.add(tuple(next(k for k, (_, p) in enumerate(profile[player]) if p == 1) for player in players))
    return build, solve, found


def time_ours(payoffs, repeats=5):
    return best_of(lambda: pure_equilibrium_indices(payoffs), repeats=repeats, budget=10)


def label(shape):
    return f"{len(shape)} x {'x'.join(map(str, shape))}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="about 10^4 profiles instead of 10^6")
    args = parser.parse_args()
    shapes = [(32,) * 4, (1000, 1000), (100,) * 3]
    exact_shapes = [(30,) * 3, (100, 100)]
    if args.quick:
        shapes = [(10,) * 4, (100, 100), (20,) * 3]
        exact_shapes = [(10,) * 3]

    print(machine_info({"pygambit": gbt.__version__ if gbt else "not installed"}))
    print()
    headers = ["game", "payoffs", "profiles", "equilibria", "ours", "ours cpu", "ours peak", "gambit solve",
               "gambit cpu", "gbt/ours cpu", "gbt/ours wall", "gambit build"]
    rows, ratios = [], {}
    for seed, shape in enumerate(shapes):
        for integer in (False, True):
            rng = np.random.default_rng(100 + 2 * seed + integer)
            game = random_normal_form(shape, rng, integer_range=(0, 9) if integer else None)
            profiles = int(np.prod(shape))
            if integer:
                exact_payoffs = game.payoffs                       # object array of Python ints
                fast_payoffs = exact_payoffs.astype(np.int64)
                variants = [("int64", fast_payoffs), ("exact ints (object)", exact_payoffs)]
            else:
                fast_payoffs = game.payoffs
                variants = [("float64", fast_payoffs)]
            results = []
            for name, payoffs in variants:
                slow = payoffs.dtype == object
                t, found = time_ours(payoffs, repeats=1 if slow else 5)
                peak = None if slow else peak_memory(lambda p=payoffs: pure_equilibrium_indices(p))[0]
                results.append((name, t, peak, set(found)))
            if gbt is not None:
                g_build, g_solve, g_found = gambit_pure(fast_payoffs)
            else:
                g_build = g_solve = g_found = None
            for name, t, peak, found in results:
                if found != results[0][3] or (g_found is not None and found != g_found):
                    raise SystemExit(f"MISMATCH on {label(shape)} {name}: ours {len(found)} equilibria, "
                                     f"pygambit {len(g_found) if g_found is not None else '-'}")
                ratios[(label(shape), name)] = (g_solve.cpu / t.cpu, g_solve.wall / t.wall) if g_solve else None
                row = [label(shape), name, f"{profiles:,}", len(found), fmt_time(t.wall), fmt_time(t.cpu),
                       fmt_bytes(peak), fmt_time(g_solve and g_solve.wall), fmt_time(g_solve and g_solve.cpu),
                       fmt_ratio(g_solve and g_solve.cpu, t.cpu), fmt_ratio(g_solve and g_solve.wall, t.wall),
                       fmt_time(g_build)]
                rows.append(row)
                print("  " + " | ".join(map(str, row)), flush=True)          # progress
    print()
    print_table(headers, rows)

    # ---- exact Fraction payoffs ----------------------------------------------------------------
    print("\nexact Fraction payoffs (numerators 0..19, denominators 1..6)")
    exact_rows = []
    for seed, shape in enumerate(exact_shapes):
        rng = np.random.default_rng(500 + seed)
        size = (len(shape),) + shape
        numerators, denominators = rng.integers(0, 20, size=size), rng.integers(1, 7, size=size)
        payoffs = np.empty(size, dtype=object)
        payoffs.flat[:] = [Fraction(a, b) for a, b in zip(numerators.ravel().tolist(), denominators.ravel().tolist())]
        t, found = time_ours(payoffs, repeats=3)
        floats = payoffs.astype(float)
        t_float, found_float = time_ours(floats)
        g_build, g_solve, g_found = gambit_pure(payoffs) if gbt is not None else (None, None, None)
        if g_found is not None and set(found) != g_found:
            raise SystemExit(f"MISMATCH on exact {label(shape)}: ours {len(found)}, pygambit {len(g_found)}")
        exact_rows.append([label(shape), f"{int(np.prod(shape)):,}", len(found), fmt_time(t.wall), fmt_time(t.cpu),
                           fmt_time(t_float.cpu), fmt_ratio(t.cpu, t_float.cpu), fmt_time(g_solve and g_solve.cpu),
                           fmt_ratio(g_solve and g_solve.cpu, t.cpu), fmt_time(g_build)])
    print_table(["game", "profiles", "equilibria", "ours exact", "ours exact cpu", "same as float64 cpu",
                 "exact/float", "gambit solve cpu", "gbt/ours cpu", "gambit build"], exact_rows)

    print("\nours and pygambit found the same equilibria in every game.")
    main_ratios = [r[0] for (g, v), r in ratios.items() if r is not None and v in ("float64", "int64")]
    if main_ratios:
        cpu, wall = ratios[(label(shapes[0]), "float64")]
        print(f"pure Nash at ~10^{round(np.log10(np.prod(shapes[0])))} profiles ({label(shapes[0])}, float): "
              f"{cpu:.1f}x faster than pygambit enumpure_solve (CPU time; {wall:.1f}x wall); "
              f"float64/int64 inputs over all {len(main_ratios)} games: {min(main_ratios):.1f}x to {max(main_ratios):.1f}x")


if __name__ == "__main__":
    main()
