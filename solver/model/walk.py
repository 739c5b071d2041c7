"""The one walk of a tree under a behaviour profile: edge and reach probabilities, the outcome
distribution, and expected payoffs (at the root, at a subgame's root, or of every subtree).

Under a behaviour profile the probability of reaching a node is the product of the
probabilities of the moves on its path, chance's and the players' (Kuhn 1953, §2); the expected
payoff of a subtree is the sum over its leaves of reach × payoff, or, bottom-up, the probability-
weighted sum of its children's values (Osborne & Rubinstein 1994, §11.1).

A behaviour profile maps an information set's index to a probability vector over its moves
(:mod:`solver.core.profiles`). An information set that is missing from the profile, or mapped to
``None``, weighs each of its moves 0: nothing below it is reached and it contributes 0 to the
values above. To count every move except one player's own (the others' reach, which best
responses need), map that player's information sets to vectors of ones.

Each walk is a loop over the tree's levels (:attr:`ExtensiveGame.levels`), with numpy operations
within a level. Exact trees (object arrays of ``Fraction``; sympy expressions work the same way)
give exact numbers; float trees give float64.

    H. W. Kuhn (1953), "Extensive games and the problem of information", Annals of Mathematics
    Studies 28, 193–216.
    M. J. Osborne, A. Rubinstein (1994), A Course in Game Theory, MIT Press.

>>> from fractions import Fraction as F
>>> from solver.model.tree import Chance, Decision, Terminal, build_tree
>>> tree = build_tree(["A"], Chance({"h": F(1, 4), "t": F(3, 4)}, {
...     "h": Decision("A", {"x": Terminal((4,)), "y": Terminal((0,))}), "t": Terminal((1,))})).evaluated()
>>> half = {0: (F(1, 2), F(1, 2))}
>>> expected_payoffs(tree, half), [(tree.node_ids[n], str(p)) for n, p in outcome_distribution(tree, half)]
((Fraction(5, 4),), [('t', '3/4'), ('h/x', '1/8'), ('h/y', '1/8')])
>>> [str(v) for v in subtree_values(tree, half)[:, 0]]
['5/4', '2', '1', '4', '0']
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

import numpy as np

from solver.model.tree import TERMINAL, ExtensiveGame


def _dtype(tree: ExtensiveGame):
    return object if tree.leaf_payoffs.dtype == object or tree.chance_probs.dtype == object else float


def _one(tree: ExtensiveGame):
    return Fraction(1) if _dtype(tree) is object else 1.0


def product(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``values × weights``: one weight per entry of a vector, or per row of a matrix. For exact
    (object) arrays a factor 0 or 1 — pure moves, unreached nodes, a player's own moves left out —
    costs no ``Fraction`` arithmetic, which is most of the work in a walk."""
    vector = values.ndim == 1
    if values.dtype != object:
        return values * (weights if vector else weights[:, None])
    zero = (weights == 0) | (values == 0) if vector else weights == 0
    work = ~zero & (weights != 1)
    out = values.copy()
    out[zero] = Fraction(0)
    out[work] = values[work] * (weights[work] if vector else weights[work, None])
    return out


def edge_probabilities(tree: ExtensiveGame, behaviour: Mapping) -> np.ndarray:
    """Per node, the probability of the move into it: chance's, or the mover's under ``behaviour``
    (1 at the root)."""
    dtype = _dtype(tree)
    sizes = np.array([len(s.moves) for s in tree.infosets], dtype=np.int64)
    starts = np.cumsum(sizes) - sizes
    table = np.zeros(int(sizes.sum()), dtype=dtype)          # every move's probability, set by set
    for h, probs in behaviour.items():
        if probs is not None:
            table[starts[h]:starts[h] + sizes[h]] = list(probs)
    edge = np.array(tree.chance_probs, dtype=dtype)          # chance edges; 1 after a player's node
    children = np.flatnonzero(tree.node_player[tree.parent[1:]] >= 0) + 1
    edge[children] = table[starts[tree.node_infoset[tree.parent[children]]] + tree.move_index[children]]
    return edge


def _downward(tree: ExtensiveGame, edge: np.ndarray, root: int) -> np.ndarray:
    """Products of ``edge`` along the paths from ``root``; 0 outside its subtree, which is never
    touched (its nodes at each depth are one contiguous block, as numbering is breadth first)."""
    reach = np.zeros(tree.num_nodes, dtype=edge.dtype)
    reach[root] = _one(tree)
    top = int(tree.depth[root])
    low, high = root, root + 1                               # the subtree's nodes at the current depth
    for level in reversed(tree.levels):                      # shallowest first
        if level.depth < top:
            continue
        a, b = np.searchsorted(level.inner, (low, high)).tolist()
        if a == b:
            break
        inner, counts = level.inner[a:b], level.counts[a:b]
        low = level.start + int(level.offsets[a])
        high = level.start + int(level.offsets[b - 1] + counts[-1])
        reach[low:high] = product(np.repeat(reach[inner], counts), edge[low:high])
    return reach


def _leaves(tree: ExtensiveGame, root: int) -> np.ndarray:
    nodes = tree.subtree_nodes(root) if root else np.arange(tree.num_nodes)
    return nodes[tree.node_player[nodes] == TERMINAL]


def reach_probabilities(tree: ExtensiveGame, behaviour: Mapping, root: int = 0) -> np.ndarray:
    """Per node, the probability that play from ``root`` under ``behaviour`` reaches it (0 outside
    the subtree at ``root``)."""
    return _downward(tree, edge_probabilities(tree, behaviour), root)


def chance_reach(tree: ExtensiveGame, root: int = 0) -> np.ndarray:
    """Per node, the product of the chance probabilities on the path from ``root`` (the players'
    moves count 1); 0 outside the subtree at ``root``."""
    return _downward(tree, np.asarray(tree.chance_probs, dtype=_dtype(tree)), root)


def expected_payoffs(tree: ExtensiveGame, behaviour: Mapping, root: int = 0) -> tuple:
    """Expected payoff per player of ``behaviour`` in the subgame at ``root`` (the whole game by
    default)."""
    reach = reach_probabilities(tree, behaviour, root)
    leaves = _leaves(tree, root)
    weighted = product(np.asarray(tree.leaf_payoffs[leaves], dtype=reach.dtype), reach[leaves])
    return tuple(weighted.sum(axis=0).tolist())            # a subtree has at least one leaf


def outcome_distribution(tree: ExtensiveGame, behaviour: Mapping, root: int = 0) -> tuple[tuple[int, object], ...]:
    """(terminal node, probability) for every leaf that play from ``root`` reaches with positive
    probability, in node order."""
    reach = reach_probabilities(tree, behaviour, root)
    leaves = _leaves(tree, root)
    return tuple((int(n), p) for n, p in zip(leaves.tolist(), reach[leaves].tolist()) if p != 0)


def subtree_values(tree: ExtensiveGame, behaviour: Mapping) -> np.ndarray:
    """``(num_nodes, N)``: the expected payoffs of every subtree under ``behaviour`` (row 0 is the
    game's value), bottom-up over the levels."""
    edge = edge_probabilities(tree, behaviour)
    values = np.array(tree.leaf_payoffs, dtype=edge.dtype)
    for level in tree.levels:                                # deepest first
        children = slice(level.start, level.stop)
        values[level.inner] = np.add.reduceat(product(values[children], edge[children]), level.offsets, axis=0)
    return values
