"""Benchmark: vectorised backward induction against a plain recursive Python implementation.

    python benchmarks/bench_backward_induction.py [--max-leaves 1000000] [--gambit-cap 60]

Seeded random perfect-information trees (``solver.model.random_games``: 3 players, 2-4 children
per inner node, 10% chance nodes, float payoffs uniform on [0, 1), leaves at many depths) with
10^3 ... ``--max-leaves`` leaves. In the same run:

  * ``ours``: ``solver.equilibria.backward.vectorised_backward_induction`` (level by level, numpy);
  * ``recursive``: the textbook recursion written below over Python lists (children lists,
    movers, probabilities, payoff tuples) converted from the same tree. The conversion is done
    once, before timing, and is not counted. Ties are broken the same way (first best move
    within the same tolerance), so both must give the same root value (to 1e-9) and the same
    choice at every decision node; the benchmark stops with an error otherwise.
  * ``pygambit build``: pygambit 16.7 has no subgame-perfect solver, so only the time to BUILD
    the same tree (``Game.new_tree``, ``append_move`` per node, ``set_chance_probs``,
    ``add_outcome`` / ``set_outcome`` per leaf) is reported, under a time cap; sizes above one
    that hit the cap are reported as ``skipped``. Nothing is extrapolated.

A second, smaller table does the same on exact trees (Fraction payoffs and probabilities).
Times are the best of up to 7 runs (2 for the slow ones; the machine may be shared); ``peak`` is the extra memory allocated
by one call of ours (tracemalloc, in a separate untimed run).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.setrecursionlimit(100_000)

from benchmarks.common import (TimeLimit, best_of, fmt_bytes, fmt_ratio, fmt_time,  # noqa: E402
                               machine_info, peak_memory, print_table)
from solver.equilibria.backward import FLOAT_TIE_TOLERANCE, vectorised_backward_induction  # noqa: E402
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
        tolerance = FLOAT_TIE_TOLERANCE * max(1.0, float(np.ptp(leaves))) if leaves.size else 0.0
    return kids, tree.node_player.tolist(), tree.chance_probs.tolist(), payoffs, tree.num_players, tolerance


def recursive_backward_induction(kids, movers, probs, payoffs, num_players, tolerance):
    """Root value and {decision node: chosen child}, by recursion over the nodes."""
    choice = {}

    def solve(node):
        children = kids[node]
        if not children:
            return payoffs[node]
        values = [solve(c) for c in children]
        mover = movers[node]
        if mover == CHANCE:
            return tuple(sum(probs[c] * v[i] for c, v in zip(children, values)) for i in range(num_players))
        best = max(v[mover] for v in values)
        for c, v in zip(children, values):
            if v[mover] >= best - tolerance:
                choice[node] = c
                return v

    return solve(0), choice


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

def run_size(leaves, exact, seed, gambit_cap, gambit_state):
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    tree = random_perfect_information_tree(leaves, NUM_PLAYERS, rng, exact=exact)
    generate = time.perf_counter() - start

    slow = leaves >= 10**5 or exact
    t_ours, ours = best_of(lambda: vectorised_backward_induction(tree), repeats=7, budget=10)
    peak, _ = peak_memory(lambda: vectorised_backward_induction(tree))
    plain = to_python(tree)
    t_rec, (root_value, choice) = best_of(lambda: recursive_backward_induction(*plain), repeats=2 if slow else 7, budget=20)
    del plain

    # the same answer: root value, and the same choice at every decision node
    ours_root = ours.values[0]
    if exact:
        same_root = all(a == b for a, b in zip(ours_root, root_value))
    else:
        same_root = bool(np.max(np.abs(np.asarray(ours_root, dtype=float) - np.array(root_value))) <= 1e-9)
    deciders = np.flatnonzero(tree.node_player >= 0)
    same_choices = (len(choice) == deciders.size
                    and all(choice[v] == c for v, c in zip(deciders.tolist(), ours.choice[deciders].tolist())))
    if not (same_root and same_choices):
        raise SystemExit(f"MISMATCH at {leaves} leaves: root {ours_root} vs {root_value}, "
                         f"choices {'agree' if same_choices else 'differ'}")

    t_gbt = None
    if gbt is None:
        gambit_text = "not installed"
    elif gambit_state["capped"]:
        gambit_text = "skipped"
    else:
        inputs = gambit_inputs(tree)
        try:
            start = time.perf_counter()
            game = gambit_build(*inputs, deadline=start + gambit_cap)
            t_gbt = time.perf_counter() - start
            if len(game.nodes) != tree.num_nodes:
                raise SystemExit(f"pygambit tree has {len(game.nodes)} nodes, ours {tree.num_nodes}")
            gambit_text = fmt_time(t_gbt)
            del game
        except TimeLimit:
            gambit_state["capped"] = True
            gambit_text = f"> {gambit_cap:g} s (stopped)"
        del inputs

    row = [f"{leaves:,}", f"{tree.num_nodes:,}", int(tree.depth.max()), fmt_time(generate), fmt_time(t_ours),
           fmt_bytes(peak), fmt_time(t_rec), fmt_ratio(t_rec, t_ours), gambit_text]
    return row, t_ours, t_rec


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-leaves", type=int, default=10**6)
    parser.add_argument("--exact-max-leaves", type=int, default=10**5)
    parser.add_argument("--gambit-cap", type=float, default=60.0, help="seconds allowed for one pygambit build")
    args = parser.parse_args()

    print(machine_info({"pygambit": gbt.__version__ if gbt else "not installed"}))
    print(f"trees: {NUM_PLAYERS} players, 2-4 children per inner node, 10% chance nodes, seeded\n")
    sizes = [n for n in (10**3, 10**4, 10**5, 10**6, 10**7) if n <= args.max_leaves]
    headers = ["leaves", "nodes", "depth", "generate", "ours", "ours peak", "recursive", "rec/ours", "pygambit build"]

    summary = {}
    for exact in (False, True):
        limit = args.exact_max_leaves if exact else args.max_leaves
        rows, state = [], {"capped": exact}          # pygambit build timed on the float trees only
        print("float64 payoffs" if not exact else "exact payoffs (Fraction payoffs and probabilities)")
        for leaves in [n for n in sizes if n <= limit]:
            row, t_ours, t_rec = run_size(leaves, exact, seed=leaves + exact, gambit_cap=args.gambit_cap,
                                          gambit_state=state)
            if exact:
                row[-1] = "-"
            rows.append(row)
            summary[(exact, leaves)] = t_rec / t_ours
            print("  " + " | ".join(map(str, row)), flush=True)      # progress
        print()
        print_table(headers, rows)
        print()

    biggest = max(n for (e, n) in summary if not e)
    exponent = len(str(biggest)) - 1
    print("root values and every decision agree between ours and the recursive peer at every size.")
    print(f"backward induction at 10^{exponent} leaves: {summary[(False, biggest)]:.1f}x faster than recursive")


if __name__ == "__main__":
    main()
