"""Backward induction on finite perfect-information trees with chance nodes: every pure
subgame-perfect equilibrium.

Zermelo's and Kuhn's backward induction (Kuhn 1953; Osborne & Rubinstein 1994, Prop. 99.2):
solve the deepest decision nodes first, replace each subtree by the payoffs of its solution, and
move up. Chance nodes take the expectation of their children.

The first pass is vectorised: nodes are stored breadth first, so each level of the tree is one
contiguous block (:attr:`ExtensiveGame.levels`, the shape plan cached on the tree) and each
decision is an ``np.maximum.reduceat`` over the children's values. When a player is indifferent
somewhere, different choices lead to different payoffs for the others, so the pass marks the
subtrees that contain ties and a second, exact enumeration lists **every** pure subgame-perfect
equilibrium there (never silently picking one).

    H. W. Kuhn (1953), "Extensive games and the problem of information", Annals of Mathematics
    Studies 28, 193–216.
    M. J. Osborne, A. Rubinstein (1994), A Course in Game Theory, MIT Press.

>>> from solver.model.tree import Decision, Terminal, build_tree
>>> game = build_tree(["A", "B"], Decision("A", {"out": Terminal((1, 0)),
...     "in": Decision("B", {"x": Terminal((2, 1)), "y": Terminal((0, 1))})})).evaluated()
>>> result = backward_induction(game)
>>> [[str(p) for p in profile[0]] for profile in result.profiles], result.complete, result.notes[0].code
([['0', '1'], ['1', '0']], True, 'ties')
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from solver.core.deadline import DeadlinePassed, check
from solver.core.numbers import clean, tie_tolerance
from solver.core.profiles import pure_vector
from solver.equilibria.result import DEADLINE, LIMIT, TIES, AlgorithmResult, Note
from solver.model.tree import CHANCE, ExtensiveGame

#: At most this many equilibria are listed (``complete`` is False beyond it).
MAX_EQUILIBRIA = 100_000
#: At most this many (equilibrium, decision node) entries are listed: a tree with many decision
#: nodes lists fewer equilibria (a tied 5,000-leaf tree otherwise built gigabytes of profiles, and
#: checking and reporting each listed equilibrium costs time in proportion to the tree).
MAX_ENTRIES = 20_000

TIES_TEXT = ("a player is indifferent somewhere: every pure subgame-perfect equilibrium is listed, and mixing "
             "between the tied moves gives infinitely many more")
LIMIT_TEXT = "more than {limit} subgame-perfect equilibria: the list is cut at {limit}"


@dataclass(frozen=True)
class BackwardInduction:
    values: np.ndarray            # (num_nodes, N) payoffs of the subtree under the first solution
    choice: np.ndarray            # (num_nodes,) chosen child (node index) of each decision node, -1 elsewhere
    tie: np.ndarray               # (num_nodes,) True where the mover has several best moves
    tie_below: np.ndarray         # (num_nodes,) True where the subtree contains a tie


def vectorised_backward_induction(tree: ExtensiveGame) -> BackwardInduction:
    """One pass, level by level. Works on float64 or exact (Fraction object) trees.

    The mover's payoff of every child of a level is one flat gather into the ``(num_nodes, N)``
    payoff array; chance expectations touch only chance nodes' children.
    """
    if not tree.is_perfect_information:
        raise ValueError("backward induction needs perfect information (every information set a single node)")
    exact = tree.leaf_payoffs.dtype == object
    if not exact and (not np.isfinite(tree.leaf_payoffs).all() or not np.isfinite(tree.chance_probs).all()):
        raise ValueError("payoffs and probabilities must be finite numbers (found NaN or infinity)")
    # inner nodes hold zeros, which only widen the range the tie tolerance is scaled by
    tolerance = 0 if exact else tie_tolerance(tree.leaf_payoffs)
    values = np.array(tree.leaf_payoffs, dtype=object if exact else float)     # (n, N), a copy we overwrite
    probs = np.asarray(tree.chance_probs, dtype=object if exact else float)
    flat = values.reshape(-1)
    parent = tree.parent
    choice = np.full(tree.num_nodes, -1, dtype=np.int64)
    tie = np.zeros(tree.num_nodes, dtype=bool)
    tie_below = np.zeros(tree.num_nodes, dtype=bool)
    for level in tree.levels:                                        # deepest first
        c0, c1, inner = level.start, level.stop, level.inner
        own = flat[level.mover_payoff]
        group_best = np.repeat(np.maximum.reduceat(own, level.offsets), level.counts)
        is_best = (own >= group_best - tolerance) if tolerance else (own == group_best)
        best_positions = np.flatnonzero(is_best)                     # at least one per inner node
        owners = parent[best_positions + c0]
        group_starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        first_best = best_positions[group_starts] + c0
        n_best = np.diff(np.append(group_starts, best_positions.size))
        choice[inner] = np.where(level.is_decision, first_best, -1)
        tie[inner] = tie_below[inner] = level.is_decision & (n_best > 1)
        below = np.flatnonzero(tie_below[c0:c1])
        if below.size:
            tie_below[parent[below + c0]] = True
        values[inner] = values[first_best]                           # chance rows replaced next
        if level.chance.size:
            children = level.chance_children
            values[level.chance] = np.add.reduceat(values[children] * probs[children, None], level.chance_offsets, axis=0)
    return BackwardInduction(values, choice, tie, tie_below)


class _Ties:
    """The second pass: every (subtree payoffs, overriding choices) pair of the subtrees that
    contain ties, combining the children's solutions; at most ``limit`` per subtree."""

    def __init__(self, tree: ExtensiveGame, first: BackwardInduction, limit: int, deadline: float | None):
        self.tree, self.first, self.limit, self.deadline = tree, first, limit, deadline
        self.tolerance = 0 if tree.leaf_payoffs.dtype == object else tie_tolerance(tree.leaf_payoffs)
        self.truncated = False

    def solve(self, node: int) -> list[tuple[tuple, dict[int, int]]]:
        if not self.first.tie_below[node]:
            return [(tuple(self.first.values[node]), {})]
        check(self.deadline)
        kids = list(self.tree.children(node))
        combos = self._combinations([self.solve(c) for c in kids])
        mover = int(self.tree.node_player[node])
        if mover == CHANCE:
            probs = [self.tree.chance_probs[c] for c in kids]
            return [(tuple(sum(p * v[i] for p, v in zip(probs, values)) for i in range(self.tree.num_players)), choices)
                    for values, choices in combos]
        out = []
        for values, choices in combos:
            best = max(v[mover] for v in values)
            out.extend((v, {**choices, node: k}) for k, v in enumerate(values) if v[mover] >= best - self.tolerance)
            if len(out) > self.limit:
                self.truncated = True
                break
        return out[:self.limit]

    def _combinations(self, options: list[list]) -> list[tuple[tuple, dict[int, int]]]:
        """One (children's payoffs, merged choices) entry per combination of the children's solutions."""
        combos = [((), {})]
        for child_options in options:
            check(self.deadline)
            pairs = itertools.islice(itertools.product(combos, child_options), self.limit + 1)   # never more than kept
            combos = [(values + (v,), {**choices, **c}) for (values, choices), (v, c) in pairs]
            if len(combos) > self.limit:
                combos = combos[:self.limit]
                self.truncated = True
        return combos


def _behaviour(tree: ExtensiveGame, choices: dict[int, int], exact: bool, vectors: dict) -> dict[int, tuple]:
    """Decision node → move index as a behaviour profile (one information set per node); ``vectors``
    caches the pure probability vectors, shared between profiles."""
    behaviour = {}
    for node, move in choices.items():
        size = int(tree.num_children[node])
        if (size, move) not in vectors:
            vectors[size, move] = pure_vector(move, size, exact)
        behaviour[int(tree.node_infoset[node])] = vectors[size, move]
    return behaviour


def backward_induction(tree: ExtensiveGame, *, deadline: float | None = None,
                       limit: int = MAX_EQUILIBRIA) -> AlgorithmResult:
    """Every pure subgame-perfect equilibrium of a numeric perfect-information tree.

    Profiles are behaviour profiles (information set → pure probability vector; ``Fraction`` for
    exact trees, floats otherwise) and ``payoffs`` their root payoffs. ``complete`` is False when
    more than ``limit`` equilibria exist (the list is cut) or when ``deadline`` (a
    ``time.monotonic()`` value) passes during the enumeration of ties: then the first equilibrium
    of the vectorised pass is returned alone.
    """
    first = vectorised_backward_induction(tree)
    exact = tree.leaf_payoffs.dtype == object
    deciders = np.flatnonzero(tree.node_player >= 0)
    limit = max(1, min(limit, MAX_ENTRIES // max(1, len(deciders))))
    base = dict(zip(deciders.tolist(), (first.choice[deciders] - tree.first_child[deciders]).tolist()))
    found, notes, complete = [(tuple(first.values[0]), {})], [], True
    if first.tie_below[0]:
        ties = _Ties(tree, first, limit, deadline)
        try:
            found = ties.solve(0)
            complete = not ties.truncated
            notes.append(Note(LIMIT, LIMIT_TEXT, {"limit": limit}) if ties.truncated else Note(TIES, TIES_TEXT))
        except DeadlinePassed:
            complete = False
            notes.append(Note(DEADLINE))
    vectors: dict = {}
    profiles = []
    try:
        for _, choices in found:
            if len(profiles) % 64 == 0 and profiles:
                check(deadline)
            profiles.append(_behaviour(tree, {**base, **choices}, exact, vectors))
    except DeadlinePassed:
        complete = False
        notes.append(Note(DEADLINE))
    payoffs = tuple(tuple(clean(v) for v in values) for values, _ in found[:len(profiles)])
    profiles = tuple(profiles)
    return AlgorithmResult("backward-induction", profiles, complete, label="backward induction", notes=tuple(notes),
                           payoffs=payoffs)
