"""Backward induction on finite perfect-information trees with chance nodes: every pure
subgame-perfect equilibrium.

Zermelo's and Kuhn's backward induction (Kuhn 1953; Osborne & Rubinstein 1994, Prop. 99.2):
solve the deepest decision nodes first, replace each subtree by the payoffs of its solution, and
move up. Chance nodes take the expectation of their children.

The first pass is vectorised: nodes are stored breadth first, so each level of the tree is one
contiguous block and each decision is an ``np.maximum.reduceat`` over the children's values. When a
player is indifferent somewhere, different choices lead to different payoffs for the others, so
the pass marks the subtrees that contain ties and a second, exact enumeration lists **every** pure
subgame-perfect equilibrium there (never silently picking one).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame

FLOAT_TIE_TOLERANCE = 1e-12


@dataclass(frozen=True)
class BackwardInduction:
    values: np.ndarray            # (num_nodes, N) payoffs of the subtree under the first solution
    choice: np.ndarray            # (num_nodes,) chosen child (node index) of each decision node, -1 elsewhere
    tie: np.ndarray               # (num_nodes,) True where the mover has several best moves
    tie_below: np.ndarray         # (num_nodes,) True where the subtree contains a tie


def _level_blocks(tree: ExtensiveGame):
    """(start, stop) of each depth level, deepest first."""
    depth = tree.depth
    edges = np.flatnonzero(np.diff(depth)) + 1
    starts = np.concatenate(([0], edges))
    stops = np.concatenate((edges, [len(depth)]))
    return list(zip(starts, stops))[::-1]


def vectorised_backward_induction(tree: ExtensiveGame) -> BackwardInduction:
    """One pass, level by level. Works on float64 or exact (Fraction object) trees."""
    if not tree.is_perfect_information:
        raise ValueError("backward induction needs perfect information (every information set a single node)")
    exact = tree.leaf_payoffs.dtype == object
    values = np.array(tree.leaf_payoffs, dtype=object if exact else float, copy=True)
    probs = np.asarray(tree.chance_probs, dtype=object if exact else float)
    if exact:
        scale = 1
    else:
        finite = values[tree.terminal_nodes()]
        scale = max(1.0, float(np.ptp(finite))) if finite.size else 1.0
    tolerance = 0 if exact else FLOAT_TIE_TOLERANCE * scale
    n = tree.num_nodes
    choice = np.full(n, -1, dtype=np.int64)
    tie = np.zeros(n, dtype=bool)
    tie_below = np.zeros(n, dtype=bool)
    players = tree.node_player
    for start, stop in _level_blocks(tree):
        nodes = np.arange(start, stop)
        inner = nodes[players[nodes] != TERMINAL]
        if inner.size == 0:
            continue
        first = tree.first_child[inner]
        counts = tree.num_children[inner]
        child_start = int(first[0])
        child_stop = int(first[-1] + counts[-1])
        children = np.arange(child_start, child_stop)
        offsets = first - child_start
        group = np.repeat(np.arange(inner.size), counts)      # which inner node each child belongs to
        mover = players[inner]
        child_mover = np.repeat(mover, counts)
        decision = child_mover >= 0
        # decisions: the mover's own payoff decides
        own = values[children, np.where(decision, child_mover, 0)]
        best = np.maximum.reduceat(own, offsets)
        is_best = own >= best[group] - tolerance
        first_best = np.minimum.reduceat(np.where(is_best, children, np.iinfo(np.int64).max), offsets)
        n_best = np.add.reduceat(is_best.astype(np.int64), offsets)
        is_decision = mover >= 0
        chosen = np.where(is_decision, first_best, -1)
        choice[inner] = chosen
        tie[inner] = is_decision & (n_best > 1)
        tie_below[inner] = tie[inner] | np.logical_or.reduceat(tie_below[children], offsets)
        new_values = values[np.where(is_decision, first_best, inner)]
        if np.any(~is_decision):
            weighted = values[children] * probs[children][:, None]
            expected = np.add.reduceat(weighted, offsets, axis=0)
            new_values = np.where((~is_decision)[:, None], expected, new_values)
        values[inner] = new_values
    return BackwardInduction(values, choice, tie, tie_below)


def subgame_perfect_equilibria(tree: ExtensiveGame, limit: int = 100_000) -> tuple[list[dict[int, int]], list[np.ndarray], bool]:
    """Every pure subgame-perfect equilibrium of a perfect-information tree.

    Returns ``(profiles, root_values, complete)``: each profile maps every decision node to the
    index of its chosen move; ``complete`` is False only if more than ``limit`` equilibria exist.
    """
    result = vectorised_backward_induction(tree)
    base = {int(node): int(result.choice[node] - tree.first_child[node])
            for node in np.flatnonzero(tree.node_player >= 0)}
    if not result.tie_below[0]:
        return [base], [result.values[0]], True
    exact = tree.leaf_payoffs.dtype == object
    tolerance = 0 if exact else FLOAT_TIE_TOLERANCE * max(1.0, float(np.ptp(np.asarray(result.values, dtype=float))))
    truncated = False

    def solve(node: int) -> list[tuple[tuple, dict[int, int]]]:
        """Possible (subtree payoffs, overriding choices) pairs."""
        nonlocal truncated
        if not result.tie_below[node]:
            return [(tuple(result.values[node]), {})]
        kids = list(tree.children(node))
        options = [solve(c) for c in kids]
        mover = int(tree.node_player[node])
        combos = [((), {})]
        for k, child_options in enumerate(options):
            combos = [(values + (v,), {**choices, **c}) for values, choices in combos for v, c in child_options]
            if len(combos) > limit:
                combos = combos[:limit]
                truncated = True
        out = []
        for child_values, choices in combos:
            if mover == CHANCE:
                probs = [tree.chance_probs[c] for c in kids]
                total = tuple(sum(p * v[i] for p, v in zip(probs, child_values)) for i in range(tree.num_players))
                out.append((total, choices))
                continue
            best = max(v[mover] for v in child_values)
            for k, v in enumerate(child_values):
                if v[mover] >= best - tolerance:
                    out.append((v, {**choices, node: k}))
            if len(out) > limit:
                truncated = True
                break
        return out[:limit]

    found = solve(0)
    profiles = [{**base, **choices} for _, choices in found]
    return profiles, [np.array(v, dtype=object if exact else float) for v, _ in found], not truncated
