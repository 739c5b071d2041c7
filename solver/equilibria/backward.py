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


def _plan(tree: ExtensiveGame) -> list:
    """Per level (deepest first): the index arrays that depend only on the tree's shape. Cached on
    the tree, so repeated solves of one shape (sweeps, benchmarks) pay for it once."""
    cached = tree.__dict__.get("_backward_plan")
    if cached is not None:
        return cached
    deciders = tree.node_infoset[tree.node_player >= 0]
    if deciders.size != len(tree.infosets) or np.any(np.bincount(deciders, minlength=len(tree.infosets)) != 1):
        raise ValueError("backward induction needs perfect information (every information set a single node)")
    num_players = tree.num_players
    leaf = tree.num_children == 0
    players = tree.node_player
    bounds = np.searchsorted(tree.depth, np.arange(int(tree.depth[-1]) + 2))
    plan = []
    for start, stop in reversed(list(zip(bounds[:-1].tolist(), bounds[1:].tolist()))):
        inner = np.flatnonzero(~leaf[start:stop]) + start
        if inner.size == 0:
            continue
        first = tree.first_child[inner]
        counts = tree.num_children[inner]
        c0, c1 = int(first[0]), int(first[-1] + counts[-1])
        mover = players[inner]
        is_decision = mover >= 0
        # flat index, in the (num_nodes, N) payoff array, of each child's payoff to the mover
        gather = np.arange(c0, c1) * num_players + np.repeat(np.maximum(mover, 0), counts)
        chance = inner[~is_decision]
        if chance.size:
            c_counts = tree.num_children[chance]
            c_offsets = np.cumsum(c_counts) - c_counts
            c_children = np.repeat(tree.first_child[chance] - c_offsets, c_counts) + np.arange(int(c_counts.sum()))
        else:
            c_offsets = c_children = None
        plan.append((inner, first - c0, counts, c0, c1, is_decision, gather, chance, c_offsets, c_children))
    object.__setattr__(tree, "_backward_plan", plan)
    return plan


def vectorised_backward_induction(tree: ExtensiveGame) -> BackwardInduction:
    """One pass, level by level. Works on float64 or exact (Fraction object) trees.

    The mover's payoff of every child of a level is one flat gather into the ``(num_nodes, N)``
    payoff array; chance expectations touch only chance nodes' children.
    """
    plan = _plan(tree)
    exact = tree.leaf_payoffs.dtype == object
    dtype = object if exact else float
    if exact:
        tolerance = 0
    else:
        # inner nodes hold zeros, which only widen the range the tie tolerance is scaled by
        if not np.isfinite(tree.leaf_payoffs).all() or not np.isfinite(tree.chance_probs).all():
            raise ValueError("payoffs and probabilities must be finite numbers (found NaN or infinity)")
        tolerance = FLOAT_TIE_TOLERANCE * max(1.0, float(np.ptp(tree.leaf_payoffs)))
    values = np.array(tree.leaf_payoffs, dtype=dtype)                        # (n, N), a copy we overwrite
    probs = np.asarray(tree.chance_probs, dtype=dtype)
    flat = values.reshape(-1)
    parent = tree.parent
    n = tree.num_nodes
    choice = np.full(n, -1, dtype=np.int64)
    tie = np.zeros(n, dtype=bool)
    tie_below = np.zeros(n, dtype=bool)
    for inner, offsets, counts, c0, c1, is_decision, gather, chance, c_offsets, c_children in plan:
        own = flat[gather]
        group_best = np.repeat(np.maximum.reduceat(own, offsets), counts)
        is_best = (own >= group_best - tolerance) if tolerance else (own == group_best)
        best_positions = np.flatnonzero(is_best)                     # at least one per inner node
        owners = parent[best_positions + c0]
        group_starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        first_best = best_positions[group_starts] + c0
        n_best = np.diff(np.append(group_starts, best_positions.size))
        choice[inner] = np.where(is_decision, first_best, -1)
        tie[inner] = tie_below[inner] = is_decision & (n_best > 1)
        below = np.flatnonzero(tie_below[c0:c1])
        if below.size:
            tie_below[parent[below + c0]] = True
        values[inner] = values[first_best]                           # chance rows replaced next
        if chance.size:
            values[chance] = np.add.reduceat(values[c_children] * probs[c_children, None], c_offsets, axis=0)
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
