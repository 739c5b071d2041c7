"""Benchmark: vectorised backward induction against a plain recursive Python implementation.

    python benchmarks/bench_backward_induction.py [--max-leaves 1000000] [--gambit-cap 60]

Seeded random perfect-information trees (``solver.model.random_games``: 3 players, 2-4 children
per inner node, 10% chance nodes, float payoffs uniform on [0, 1), leaves at many depths) with
10^3 ... ``--max-leaves`` leaves. In the same run:

  * ``ours``: ``solver.equilibria.backward.vectorised_backward_induction`` (level by level, numpy);
  * ``recursive``: the textbook recursion written below over Python lists (children lists,
    movers, probabilities, payoff tuples) converted from the same tree. The conversion is done
    once, before timing, and is not counted. It returns what ours returns (every subtree's
    payoffs, the chosen child, the tie and tie-below flags) and breaks ties the same way (first
    best move within the same tolerance); the benchmark stops with an error unless the root
    values agree to 1e-9 and every other output agrees too.
  * ``pygambit build``: pygambit 16.7 has no subgame-perfect solver, so only the time to BUILD
    the same tree (``Game.new_tree``, ``append_move`` per node, ``set_chance_probs``,
    ``add_outcome`` / ``set_outcome`` per leaf) is reported, under a time cap; a build that hits
    the cap is stopped and larger sizes are reported as ``skipped``. Nothing is extrapolated.
  * ours is timed twice: ``cold`` includes building the per-level index plan that depends only
    on the tree's shape (``ExtensiveGame.levels``, what a single solve pays); ``warm`` reuses it
    (what each point of a sweep over one tree shape pays). The headline ratio uses the cold time.

A second table does the same on exact trees (Fraction payoffs and probabilities). Times are the
best of up to 7 runs (2 for the slow ones), both wall-clock and CPU time of this process; the
ratio is given for both, CPU time being the steadier one when the machine is shared. ``peak`` is
the extra memory one call of ours allocates (tracemalloc, in a separate untimed run).
"""
from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.setrecursionlimit(100_000)

from benchmarks.common import (TimeLimit, best_of, fmt_bytes, fmt_ratio, fmt_time,  # noqa: E402
                               machine_info, peak_memory, print_table)
from solver.core.numbers import TIE_TOLERANCE  # noqa: E402
from solver.equilibria.backward import BackwardInduction, vectorised_backward_induction  # noqa: E402
from solver.model.random_games import random_perfect_information_tree  # noqa: E402
from solver.model.tree import CHANCE, ExtensiveGame  # noqa: E402

try:
    import pygambit as gbt
except ImportError:  # pragma: no cover
    gbt = None

NUM_PLAYERS = 3


# ---- the naive peer ------------------------------------------------------------------------

def to_python(tree: ExtensiveGame):
    """Plain Python structures for the recursive solver (not timed)."""
    first, count = tree.first_child.tolist(), tree.num_children.tolist()
    kids = [list(range(f, f + k)) for f, k in zip(first, count)]
    payoffs = [tuple(row) for row in tree.leaf_payoffs.tolist()]
    exact = tree.leaf_payoffs.dtype == object
    if exact:
        tolerance = 0
    else:
        leaves = tree.leaf_payoffs[tree.num_children == 0]
        tolerance = TIE_TOLERANCE * max(1.0, float(np.ptp(leaves))) if leaves.size else 0.0
    return kids, tree.node_player.tolist(), tree.chance_probs.tolist(), payoffs, tree.num_players, tolerance


def recursive_backward_induction(kids, movers, probs, payoffs, num_players, tolerance):
    """The same outputs as ours (payoffs of every subtree, chosen child, tie and tie-below flags),
    by recursion over the nodes with Python lists."""
    n = len(kids)
    values, choice, tie, tie_below = [None] * n, [-1] * n, [False] * n, [False] * n

    def solve(node):
        children = kids[node]
        if not children:
            value = values[node] = payoffs[node]
            return value
        results = [solve(c) for c in children]
        below = any(tie_below[c] for c in children)
        mover = movers[node]
        if mover == CHANCE:
            value = tuple(sum(probs[c] * r[i] for c, r in zip(children, results)) for i in range(num_players))
        else:
            best = max(r[mover] for r in results)
            threshold = best - tolerance if tolerance else best
            chosen, count = -1, 0
            for c, r in zip(children, results):
                if r[mover] >= threshold:
                    if count == 0:
                        chosen, value = c, r
                    count += 1
            choice[node] = chosen
            if count > 1:
                tie[node] = below = True
        tie_below[node] = below
        values[node] = value
        return value

    solve(0)
    return values, choice, tie, tie_below


# ---- the pygambit build --------------------------------------------------------------------

def gambit_inputs(tree: ExtensiveGame):
    """Per-node data in plain Python, with chance probabilities as Fractions that sum to exactly 1
    (Gambit rejects float probabilities whose decimal forms do not); prepared before timing."""
    count, first = tree.num_children.tolist(), tree.first_child.tolist()
    movers = tree.node_player.tolist()
    chance = {}
    for v in np.flatnonzero(tree.node_player == CHANCE).tolist():
        probs = [Fraction(tree.chance_probs[c]) for c in tree.children(v)]
        probs[-1] = 1 - sum(probs[:-1])
        chance[v] = probs
    payoffs = tree.leaf_payoffs.tolist()
    return list(tree.players), count, first, movers, tree.node_moves, chance, payoffs


def gambit_build(players, count, first, movers, moves, chance, payoffs, deadline=float("inf")):
    """The same tree in pygambit, node by node in our breadth-first order. Raises ``TimeLimit``
    once ``deadline`` (a ``time.perf_counter`` value) has passed."""
    game = gbt.Game.new_tree(players=players)
    gplayers = [game.players[p] for p in players]
    nodes = [None] * len(count)
    nodes[0] = game.root
    for v, k in enumerate(count):
        if not v & 1023 and time.perf_counter() > deadline:
            raise TimeLimit()
        node = nodes[v]
        if k == 0:
            game.set_outcome(node, game.add_outcome(f"o{v}", payoffs[v]))
            continue
        mover = movers[v]
        game.append_move(node, game.players.chance if mover == CHANCE else gplayers[mover], list(moves[v]))
        if mover == CHANCE:
            game.set_chance_probs(node.infoset, chance[v])
        nodes[first[v]:first[v] + k] = list(node.children)
    return game


# ---- driver --------------------------------------------------------------------------------

def same_outputs(result: BackwardInduction, peer, exact: bool) -> str | None:
    """None when ``result`` matches the recursive peer (root value to 1e-9, every subtree value,
    choice and tie flag), else what differs."""
    rec_values, rec_choice, rec_tie, rec_below = peer
    if exact:
        if tuple(result.values[0]) != tuple(rec_values[0]):
            return f"root value {tuple(result.values[0])} vs {rec_values[0]}"
        if any(tuple(a) != b for a, b in zip(result.values.tolist(), rec_values)):
            return "subtree values"
    else:
        if np.max(np.abs(result.values[0] - np.array(rec_values[0]))) > 1e-9:
            return f"root value {result.values[0]} vs {rec_values[0]}"
        if np.max(np.abs(result.values - np.array(rec_values))) > 1e-9:
            return "subtree values"
    if result.choice.tolist() != rec_choice:
        return "choices"
    if result.tie.tolist() != rec_tie or result.tie_below.tolist() != rec_below:
        return "tie flags"
    return None


def time_gambit(tree, cap, state) -> str:
    if gbt is None:
        return "not installed"
    if state["capped"]:
        return "skipped"
    inputs = gambit_inputs(tree)
    start = time.perf_counter()
    try:
        game = gambit_build(*inputs, deadline=start + cap)
    except TimeLimit:
        state["capped"] = True
        return f"> {cap:g} s (stopped)"
    elapsed = time.perf_counter() - start
    if len(game.nodes) != tree.num_nodes:
        raise SystemExit(f"pygambit tree has {len(game.nodes)} nodes, ours {tree.num_nodes}")
    return fmt_time(elapsed)


def run_size(leaves, exact, seed, args, gambit_state):
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    tree = random_perfect_information_tree(leaves, NUM_PLAYERS, rng, exact=exact)
    generate = time.perf_counter() - start

    slow = leaves >= 10**5 or exact
    def cold():
        tree.__dict__.pop("levels", None)            # drop the cached shape plan (ExtensiveGame.levels)
        return vectorised_backward_induction(tree)

    t_ours, ours = best_of(cold, repeats=7, budget=10)
    t_warm, _ = best_of(lambda: vectorised_backward_induction(tree), repeats=7, budget=10)
    peak, _ = peak_memory(lambda: vectorised_backward_induction(tree))
    plain = to_python(tree)
    t_rec, peer = best_of(functools.partial(recursive_backward_induction, *plain), repeats=2 if slow else 7, budget=20)
    del plain
    problem = same_outputs(ours, peer, exact)
    if problem:
        raise SystemExit(f"MISMATCH at {leaves} leaves between ours and the recursive peer: {problem}")
    del ours
    row = {"leaves": f"{leaves:,}", "nodes": f"{tree.num_nodes:,}", "depth": int(tree.depth.max()),
           "generate": fmt_time(generate), "ours": fmt_time(t_ours.wall), "ours cpu": fmt_time(t_ours.cpu),
           "ours warm cpu": fmt_time(t_warm.cpu), "ours peak": fmt_bytes(peak), "recursive": fmt_time(t_rec.wall), "rec cpu": fmt_time(t_rec.cpu),
           "rec/ours cpu": fmt_ratio(t_rec.cpu, t_ours.cpu), "rec/ours wall": fmt_ratio(t_rec.wall, t_ours.wall)}
    del peer
    if not exact:
        row["pygambit build"] = time_gambit(tree, args.gambit_cap, gambit_state)
    return row, t_ours, t_rec


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-leaves", type=int, default=10**6)
    parser.add_argument("--exact-max-leaves", type=int, default=10**5)
    parser.add_argument("--gambit-cap", type=float, default=60.0, help="seconds allowed for one pygambit build")
    args = parser.parse_args()

    print(machine_info({"pygambit": gbt.__version__ if gbt else "not installed"}))
    print(f"trees: {NUM_PLAYERS} players, 2-4 children per inner node, 10% chance nodes, seeded; "
          "times: best wall and best CPU (process) time\n")
    sizes = [n for n in (10**3, 10**4, 10**5, 10**6, 10**7) if n <= args.max_leaves]

    summary = {}
    for exact in (False, True):
        limit = args.exact_max_leaves if exact else args.max_leaves
        rows, state = [], {"capped": False}
        print("float64 payoffs" if not exact else "exact payoffs (Fraction payoffs and probabilities; no pygambit)")
        for leaves in [n for n in sizes if n <= limit]:
            row, t_ours, t_rec = run_size(leaves, exact, leaves + exact, args, state)
            rows.append(row)
            summary[(exact, leaves)] = (t_rec.cpu / t_ours.cpu, t_rec.wall / t_ours.wall)
            print("  " + " | ".join(f"{k} {v}" for k, v in row.items()), flush=True)      # progress
        if rows:
            print()
            print_table(list(rows[0]), [list(r.values()) for r in rows])
            print()

    print("subtree values, choices and tie flags agree between ours and the recursive peer at every size.")
    biggest = max(n for (e, n) in summary if not e)
    cpu, wall = summary[(False, biggest)]
    print(f"backward induction at 10^{len(str(biggest)) - 1} leaves: {cpu:.1f}x faster than recursive "
          f"(CPU time, cold: shape plan included; {wall:.1f}x in wall time)")


if __name__ == "__main__":
    main()
