"""Benchmark: a vectorised parameter sweep against solving each grid point in a loop.

    python benchmarks/bench_sweep.py [--points 1001] [--sample 400]

Two article games, each on a grid of ``--points`` × ``--points`` values (10^6 by default):

  1. tech_transfer (3-player tree): ammo_gain × china_squeeze, the subgame-perfect path at each point;
  2. peninsula_stability (2×2 stag hunt): stability_gain × competitive_edge, every equilibrium
     (pure and mixed) at each point.

In the same run:

  * ``sweep``: ``solver.analysis.sweep.sweep`` over the whole grid, timed once end to end
    (compiling the expressions, the batched solve, and re-solving the tie points exactly);
  * ``loop: solve``: the project's own single-point ``solver.solve(game, parameters)`` in a Python
    loop, timed on ``--sample`` grid points drawn at random (seeded) and scaled to the grid size;
  * ``loop: pygambit``: pygambit 16.7 in a loop, same sample, scaled. Tree: the game is built once
    and per point the 8 outcomes are given that point's payoffs and ``enumpure_solve`` runs (pure
    Nash equilibria of the tree: pygambit has no subgame-perfect solver, so it solves a different,
    larger problem). 2×2: ``Game.from_arrays`` + ``enumpure_solve``, and + ``enummixed_solve``
    (all extreme equilibria, the same set the sweep reports). Payoffs for the sampled points are
    computed before timing;
  * ``loop: nashpy``: ``nashpy.Game(A, B).support_enumeration()`` in a loop (2-player games only).

Peak memory of the sweep is measured in a separate, untimed run with tracemalloc (Python objects
and numpy buffers); the process's maximum resident set size (``resource.getrusage``) is printed at
the end. Scaled times are estimates: the sample mean times the number of grid points.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from benchmarks.common import fmt_bytes, fmt_ratio, fmt_time, machine_info, peak_memory, print_table  # noqa: E402
from solver import load_game, solve  # noqa: E402
from solver.analysis.batched import GridPayoffs  # noqa: E402
from solver.analysis.sweep import Axis, sweep  # noqa: E402
from solver.api import parameter_values  # noqa: E402
from solver.model.tree import CHANCE  # noqa: E402
from solver.present.sweep_text import boundary_text  # noqa: E402

try:
    import pygambit as gbt
except ImportError:  # pragma: no cover
    gbt = None
try:
    import nashpy
except ImportError:  # pragma: no cover
    nashpy = None

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def sample_points(axes, count, seed=0):
    rng = np.random.default_rng(seed)
    return [{a.name: a.exact(int(rng.integers(a.count))) for a in axes} for _ in range(count)]


def time_loop(function, items) -> float:
    """Mean seconds per item."""
    start = time.perf_counter()
    for item in items:
        function(item)
    return (time.perf_counter() - start) / len(items)


def float_payoffs(game, points):
    """Payoffs of the sampled points (not timed): trees (k, leaves, N), normal forms (k, N, ...)."""
    fixed = {k: float(v) for k, v in parameter_values(game).items()}
    compiled = GridPayoffs(game, list(fixed))
    columns = dict(fixed)
    for name in points[0]:
        columns[name] = np.array([float(p[name]) for p in points])
    out = compiled(columns, len(points))
    if isinstance(out, tuple):
        return np.moveaxis(out[0], 2, 0)
    return out


def gambit_tree(game):
    """The tree in pygambit (built once), and its outcomes in our leaf order."""
    g = gbt.Game.new_tree(players=list(game.players))
    nodes = {0: g.root}
    outcomes = []
    for v in range(game.num_nodes):
        node = nodes[v]
        kids = list(game.children(v))
        if not kids:
            outcome = g.add_outcome(f"o{v}", [0] * game.num_players)
            g.set_outcome(node, outcome)
            outcomes.append(outcome)
            continue
        mover = int(game.node_player[v])
        g.append_move(node, g.players.chance if mover == CHANCE else g.players[game.players[mover]], list(game.node_moves[v]))
        for c, child in zip(kids, node.children):
            nodes[c] = child
    return g, outcomes


def bench(name, game, axes, sample, rows, notes):
    total = int(np.prod([a.count for a in axes]))
    settings_text = " × ".join(f"{a.name} {a.count}" for a in axes)
    print(f"\n{name}: {settings_text} = {total} points", flush=True)
    start = time.perf_counter()
    result = sweep(game, axes, processes=os.cpu_count())
    ours = time.perf_counter() - start
    regions = [r for r in result.regions() if not r.boundary]
    print(f"  sweep: {fmt_time(ours)}, {len(regions)} regions, {result.exact_points} tie points solved exactly")
    for b in result.boundaries()[:2]:
        print(f"    {boundary_text(b, result.axes)[:150]}")
    peak, _ = peak_memory(lambda: sweep(game, axes, processes=1))
    rows.append([name, "sweep (vectorised)", total, fmt_time(ours), fmt_time(ours), "1.0x", fmt_bytes(peak)])

    points = sample_points(axes, sample)
    per_point = time_loop(lambda p: solve(game, p), points)
    rows.append([name, "loop: solve (ours, per point)", f"{sample} sampled", fmt_time(per_point),
                 fmt_time(per_point * total), fmt_ratio(per_point * total, ours), "-"])
    payoffs = float_payoffs(game, points)
    if gbt is not None:
        if hasattr(game, "infosets"):
            g, outcomes = gambit_tree(game)
            players = list(g.players)

            def gambit_point(k):
                for outcome, values in zip(outcomes, payoffs[k]):
                    for player, value in zip(players, values):
                        outcome[player] = float(value)
                return gbt.nash.enumpure_solve(g).equilibria
            per = time_loop(gambit_point, range(len(points)))
            rows.append([name, "loop: pygambit enumpure (tree)", f"{sample} sampled", fmt_time(per), fmt_time(per * total),
                         fmt_ratio(per * total, ours), "-"])
        else:
            for label, solver in (("enumpure", gbt.nash.enumpure_solve), ("enummixed", gbt.nash.enummixed_solve)):
                def gambit_point(k, solver=solver):
                    return solver(gbt.Game.from_arrays(payoffs[k][0], payoffs[k][1])).equilibria
                per = time_loop(gambit_point, range(len(points)))
                rows.append([name, f"loop: pygambit {label}", f"{sample} sampled", fmt_time(per), fmt_time(per * total),
                             fmt_ratio(per * total, ours), "-"])
    if nashpy is not None and not hasattr(game, "infosets") and game.num_players == 2:
        def nashpy_point(k):
            return list(nashpy.Game(payoffs[k][0], payoffs[k][1]).support_enumeration())
        per = time_loop(nashpy_point, range(len(points)))
        rows.append([name, "loop: nashpy support_enumeration", f"{sample} sampled", fmt_time(per), fmt_time(per * total),
                     fmt_ratio(per * total, ours), "-"])
    elif nashpy is not None:
        notes.append(f"{name}: nashpy handles 2-player normal forms only; not run on the 3-player tree")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=1001, help="grid points per parameter (default 1001: 10^6 in all)")
    parser.add_argument("--sample", type=int, default=400, help="points timed in the loops (then scaled)")
    args = parser.parse_args()
    versions = {"pygambit": gbt.__version__ if gbt else "not installed",
                "nashpy": getattr(nashpy, "__version__", "not installed") if nashpy else "not installed"}
    print(machine_info(versions))
    rows, notes = [], []
    for name, swept in (("tech_transfer", ("ammo_gain", "china_squeeze")),
                        ("peninsula_stability", ("stability_gain", "competitive_edge"))):
        game = load_game(os.path.join(ROOT, f"games/{name}.yaml"))
        bench(name, game, [Axis(p, Fraction(0), Fraction(10), args.points) for p in swept], args.sample, rows, notes)
    print()
    print_table(["game", "method", "points timed", "per point / run", "whole grid", "slower than sweep", "peak memory"],
                [[r[0], r[1], r[2], r[3] if "loop" in r[1] else "-", r[4], r[5], r[6]] for r in rows])
    print()
    print("'whole grid' for the loops is an estimate: the mean time of the sampled points × the number of grid points.")
    for note in notes:
        print(note)
    print(f"max resident set size of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
