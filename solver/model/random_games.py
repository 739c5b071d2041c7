"""Seeded random games for benchmarks and tests.

``random_perfect_information_tree`` builds an :class:`~solver.model.tree.ExtensiveGame` directly as
flat breadth-first arrays, one tree level at a time with numpy (no Python recursion, no nested
``Decision`` specs), so a tree with 10^6 leaves takes a few seconds. Only the per-node Python
objects the dataclass requires (``InformationSet`` records, node ids) are made in Python loops.

Shape of the tree: every inner node has between 2 and ``max_branching`` children (drawn
uniformly); below the root each frontier node stops (becomes a leaf) with probability
``stop_probability``, and the remaining nodes are expanded in a random order while the leaf budget
lasts, the last expansion being trimmed so that the tree has **exactly** ``num_leaves_target``
leaves. Leaves therefore occur at many depths and the branching is irregular. Inner nodes are
chance nodes with probability ``chance_fraction`` and otherwise belong to a uniformly drawn player;
every decision node is its own information set (perfect information).

``random_normal_form`` gives a :class:`~solver.model.normal.NormalFormGame` with payoffs uniform on
``[0, 1)`` (float64) or uniform integers in a closed range (exact: Python ``int`` objects).

>>> rng = np.random.default_rng(0)
>>> tree = random_perfect_information_tree(50, 2, rng)
>>> len(tree.terminal_nodes()), tree.is_perfect_information, tree.check_probabilities()
(50, True, [])
>>> random_normal_form((2, 3), np.random.default_rng(1), integer_range=(0, 9)).payoffs.shape
(2, 2, 3)
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from fractions import Fraction
from typing import Sequence

import numpy as np

from solver.model.normal import GameInfo, NormalFormGame
from solver.model.tree import CHANCE, TERMINAL, Chance, Decision, ExtensiveGame, InformationSet, Terminal, build_tree


def _move_labels(max_branching: int) -> list[tuple[str, ...]]:
    """Shared label tuples: ``labels[k]`` are the moves of a node with k children."""
    return [tuple(f"m{i}" for i in range(k)) for k in range(max_branching + 1)]


def _level_branching(frontier: int, remaining: int, rng: np.random.Generator, max_branching: int,
                     stop_probability: float, is_root: bool) -> np.ndarray:
    """Number of children of each node of one level (0 = leaf), adding exactly ``min(remaining,
    what the expanded nodes can hold)`` leaves to the tree."""
    counts = np.zeros(frontier, dtype=np.int64)
    if remaining <= 0:
        return counts
    drawn = rng.integers(2, max_branching + 1, size=frontier)
    wants = np.ones(frontier, dtype=bool) if is_root else rng.random(frontier) >= stop_probability
    order = rng.permutation(frontier)
    candidates = order[wants[order]]
    if candidates.size == 0:                       # keep the tree growing: expand one node anyway
        candidates = order[:1]
    gains = drawn[candidates] - 1                  # a node with k children adds k - 1 leaves
    cumulative = np.cumsum(gains)
    taken = int(np.searchsorted(cumulative, remaining, side="right"))
    counts[candidates[:taken]] = drawn[candidates[:taken]]
    gap = remaining - (int(cumulative[taken - 1]) if taken else 0)
    if gap > 0 and taken < candidates.size:        # trim the next expansion to fill the budget exactly
        counts[candidates[taken]] = gap + 1        # 1 <= gap < its gain, so 2 <= gap + 1 < drawn
    return counts


def random_perfect_information_tree(num_leaves_target: int, num_players: int, rng: np.random.Generator, *,
                                    chance_fraction: float = 0.1, max_branching: int = 4,
                                    integer_payoffs: bool = False, exact: bool = False,
                                    stop_probability: float = 0.3, payoff_range: tuple[int, int] = (0, 9),
                                    ) -> ExtensiveGame:
    """A random perfect-information tree with exactly ``num_leaves_target`` leaves.

    Payoffs: uniform on ``[0, 1)`` (float64), or with ``integer_payoffs`` uniform integers in the
    closed ``payoff_range`` (float64 holding integers, so ties are common). With ``exact`` the
    arrays are ``object`` arrays: payoffs are Python ``int`` (``integer_payoffs``) or ``Fraction``
    with denominators 1..8, and chance probabilities are ``Fraction`` (``1`` on non-chance edges).
    Chance probabilities are random positive weights normalised per chance node.
    """
    if num_leaves_target < 1:
        raise ValueError("a tree needs at least one leaf")
    if max_branching < 2:
        raise ValueError("max_branching must be at least 2")
    if num_players < 1:
        raise ValueError("a game needs at least one player")
    if not 0 <= chance_fraction <= 1 or not 0 <= stop_probability < 1:
        raise ValueError("chance_fraction must be in [0, 1] and stop_probability in [0, 1)")
    with _collector_paused():
        return _build_tree(num_leaves_target, num_players, rng, chance_fraction, max_branching, integer_payoffs,
                           exact, stop_probability, payoff_range)


@contextmanager
def _collector_paused():
    """Millions of small acyclic objects (ids, move tuples, Fractions): the cyclic garbage
    collector would only rescan them again and again, which more than doubles the build time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chance_probabilities(chance_nodes, num_children, first_child, n, rng, exact) -> np.ndarray:
    """Random probabilities on the chance nodes' edges (bounded away from 0), 1 on other edges."""
    chance_counts = num_children[chance_nodes]
    chance_children = (np.repeat(first_child[chance_nodes], chance_counts)
                       + np.arange(int(chance_counts.sum())) - np.repeat(np.cumsum(chance_counts) - chance_counts, chance_counts))
    offsets = np.cumsum(chance_counts) - chance_counts
    if exact:
        weights = rng.integers(1, 10, size=chance_children.size)
        totals = np.repeat(np.add.reduceat(weights, offsets), chance_counts) if weights.size else weights
        chance_probs = np.ones(n, dtype=object)                 # Python int 1 on non-chance edges
        chance_probs[chance_children] = [Fraction(w, t) for w, t in zip(weights.tolist(), totals.tolist())]
        return chance_probs
    weights = rng.random(chance_children.size) + 0.05
    totals = np.repeat(np.add.reduceat(weights, offsets), chance_counts) if weights.size else weights
    chance_probs = np.ones(n, dtype=float)
    chance_probs[chance_children] = weights / totals
    return chance_probs


def _leaf_payoffs(leaves, n, num_players, rng, exact, integer_payoffs, payoff_range) -> np.ndarray:
    """Random payoffs on the leaves (0 on inner nodes): integers in ``payoff_range`` or fractions."""
    shape = (leaves.size, num_players)
    low, high = payoff_range
    if exact:
        leaf_payoffs = np.zeros((n, num_players), dtype=object)  # Python int 0 on inner nodes
        if integer_payoffs:
            leaf_payoffs[leaves] = rng.integers(low, high, size=shape, endpoint=True).astype(object)
        else:
            numerators = rng.integers(0, 100, size=shape).tolist()
            denominators = rng.integers(1, 9, size=shape).tolist()
            leaf_payoffs[leaves] = [[Fraction(a, b) for a, b in zip(row_a, row_b)]
                                    for row_a, row_b in zip(numerators, denominators)]
        return leaf_payoffs
    leaf_payoffs = np.zeros((n, num_players), dtype=float)
    leaf_payoffs[leaves] = (rng.integers(low, high, size=shape, endpoint=True).astype(float)
                            if integer_payoffs else rng.random(shape))
    return leaf_payoffs


def _build_tree(num_leaves_target, num_players, rng, chance_fraction, max_branching, integer_payoffs, exact,
                stop_probability, payoff_range) -> ExtensiveGame:

    # ---- structure, level by level -----------------------------------------------------------
    level_counts: list[np.ndarray] = []
    frontier, terminals = 1, 0
    while frontier:
        counts = _level_branching(frontier, num_leaves_target - terminals - frontier, rng, max_branching,
                                  stop_probability, is_root=not level_counts)
        level_counts.append(counts)
        inner = int(np.count_nonzero(counts))
        terminals += frontier - inner
        frontier = int(counts.sum())
    num_children = np.concatenate(level_counts)
    n = num_children.size
    depth = np.repeat(np.arange(len(level_counts), dtype=np.int64), [c.size for c in level_counts])
    is_inner = num_children > 0
    ends = np.cumsum(num_children)
    first_child = np.where(is_inner, 1 + ends - num_children, -1)
    parent = np.concatenate(([-1], np.repeat(np.arange(n, dtype=np.int64), num_children)))
    move_index = np.arange(n, dtype=np.int64) - first_child[parent]
    move_index[0] = -1

    # ---- who moves ---------------------------------------------------------------------------
    node_player = np.full(n, TERMINAL, dtype=np.int64)
    inner_nodes = np.flatnonzero(is_inner)
    movers = rng.integers(0, num_players, size=inner_nodes.size)
    movers[rng.random(inner_nodes.size) < chance_fraction] = CHANCE
    node_player[inner_nodes] = movers
    decision_nodes = inner_nodes[movers >= 0]
    node_infoset = np.full(n, -1, dtype=np.int64)
    node_infoset[decision_nodes] = np.arange(decision_nodes.size)

    labels = _move_labels(max_branching)
    node_moves = tuple(labels[k] for k in num_children.tolist())
    node_ids = ("root",) + tuple(f"n{i}" for i in range(1, n))
    infosets = tuple(InformationSet(node_ids[v], p, labels[k], (v,))
                     for v, p, k in zip(decision_nodes.tolist(), node_player[decision_nodes].tolist(),
                                        num_children[decision_nodes].tolist()))

    chance_probs = _chance_probabilities(inner_nodes[movers == CHANCE], num_children, first_child, n, rng, exact)
    leaf_payoffs = _leaf_payoffs(np.flatnonzero(~is_inner), n, num_players, rng, exact, integer_payoffs, payoff_range)

    arrays = (parent, node_player, first_child, num_children, move_index, depth, node_infoset,
              chance_probs, leaf_payoffs)
    for array in arrays:                 # freshly made and not shared: ExtensiveGame need not copy them
        array.setflags(write=False)
    return ExtensiveGame(
        players=tuple(f"P{i + 1}" for i in range(num_players)),
        parent=parent, node_player=node_player, first_child=first_child, num_children=num_children,
        move_index=move_index, depth=depth, node_infoset=node_infoset, infosets=infosets,
        node_moves=node_moves, chance_probs=chance_probs, leaf_payoffs=leaf_payoffs,
        node_ids=node_ids, outcomes=("",) * n,
        info=GameInfo(title=f"random perfect-information tree ({num_leaves_target} leaves)"),
    )


def random_normal_form(shape: Sequence[int], rng: np.random.Generator, integer_range: tuple[int, int] | None = None,
                       *, exact: bool = True) -> NormalFormGame:
    """A random N-player game with ``shape[i]`` strategies for player i.

    Payoffs are uniform on ``[0, 1)`` (float64) when ``integer_range`` is None; otherwise uniform
    integers in the closed range ``(low, high)``, held exactly (an ``object`` array of Python
    ``int``) or, with ``exact=False``, as float64.
    """
    shape = tuple(int(s) for s in shape)
    if not shape or min(shape) < 1:
        raise ValueError("every player needs at least one strategy")
    size = (len(shape),) + shape
    if integer_range is None:
        payoffs = rng.random(size)
    else:
        low, high = integer_range
        payoffs = rng.integers(low, high, size=size, endpoint=True)
        payoffs = payoffs.astype(object) if exact else payoffs.astype(float)
    players = tuple(f"P{i + 1}" for i in range(len(shape)))
    strategies = tuple(tuple(f"s{j + 1}" for j in range(n)) for n in shape)
    return NormalFormGame(players, strategies, payoffs,
                          GameInfo(title=f"random {'x'.join(map(str, shape))} game"))


def two_round_poker(ranks_alice: int, ranks_bob: int):
    """Two-round poker: each player antes 1 and holds a private card; Alice bets 1 or checks; after a
    bet Bob calls or folds; after a check Bob bets or checks, and Alice then calls or folds.
    Showdown by rank (the quantile of the card in its own deck), ties split."""
    def showdown(a, b, stake):
        ra, rb = Fraction(2 * a + 1, 2 * ranks_alice), Fraction(2 * b + 1, 2 * ranks_bob)
        return (stake, -stake) if ra > rb else (-stake, stake) if ra < rb else (0, 0)

    def deal(a, b):
        return Decision("Alice", {
            "Bet": Decision("Bob", {"Call": Terminal(showdown(a, b, 2)), "Fold": Terminal((1, -1))},
                            infoset=f"Bob {b} facing a bet"),
            "Check": Decision("Bob", {
                "Bet": Decision("Alice", {"Call": Terminal(showdown(a, b, 2)), "Fold": Terminal((-1, 1))},
                                infoset=f"Alice {a} facing a bet"),
                "Check": Terminal(showdown(a, b, 1))}, infoset=f"Bob {b} after a check")},
            infoset=f"Alice {a} opens")

    probability = Fraction(1, ranks_alice * ranks_bob)
    deals = {f"{a}-{b}": deal(a, b) for a in range(ranks_alice) for b in range(ranks_bob)}
    return build_tree(["Alice", "Bob"], Chance({k: probability for k in deals}, deals)).evaluated()


# ---- known answers ---------------------------------------------------------------------------------
