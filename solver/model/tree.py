"""The extensive-form game: a finite tree stored as flat arrays.

Nodes are numbered in breadth-first order, so a node's children are contiguous and every level of
the tree is one contiguous block. Algorithms can therefore run level by level with numpy (for
example backward induction with ``np.maximum.reduceat``) instead of recursing node by node.

Node kinds are encoded in ``node_player``: a player's index, ``CHANCE`` or ``TERMINAL``.
Payoffs live on terminal nodes (outcomes written on inner nodes are summed down to the leaves).
Entries of ``chance_probs`` and ``leaf_payoffs`` are sympy expressions until the game is evaluated,
then ``Fraction`` objects (exact) or float64.

>>> spec = Decision("Entrant", {"out": Terminal((0, 2)),
...                             "in": Decision("Incumbent", {"fight": Terminal((-1, -1)),
...                                                          "accommodate": Terminal((1, 1))})})
>>> game = build_tree(["Entrant", "Incumbent"], spec)
>>> game.num_nodes, [game.node_ids[n] for n in game.terminal_nodes()]
(5, ['out', 'in/fight', 'in/accommodate'])
>>> game.is_perfect_information
True
>>> [(level.depth, level.inner.tolist(), level.start, level.stop) for level in game.levels]
[(1, [2], 3, 5), (0, [0], 1, 3)]
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from functools import cached_property
from typing import Mapping, Sequence

import numpy as np
import sympy

from solver.core.limits import LimitExceeded, exceeded, limit
from solver.model.expr import evaluate_array
from solver.model.normal import GameInfo, Players, check_scale, read_only

CHANCE = -1
TERMINAL = -2


# ---- a nested description, as written in files; build_tree flattens it ----------------------
@dataclass(frozen=True)
class Terminal:
    payoffs: tuple                      # one value per player
    outcome: str = ""
    name: str | None = None


@dataclass(frozen=True)
class Decision:
    player: str
    moves: Mapping[str, object]         # move label -> child spec
    infoset: str | None = None
    name: str | None = None
    payoffs: tuple | None = None        # an outcome on an inner node (Gambit allows it)


@dataclass(frozen=True)
class Chance:
    probs: Mapping[str, object]         # move label -> probability
    moves: Mapping[str, object]         # move label -> child spec
    name: str | None = None
    infoset: str | None = None
    payoffs: tuple | None = None


@dataclass(frozen=True)
class InformationSet:
    label: str
    player: int
    moves: tuple[str, ...]
    nodes: tuple[int, ...]


@dataclass(frozen=True)
class Level:
    """The inner nodes at one depth, with the index arrays that a level-by-level pass needs.

    Nodes are numbered breadth first, so the children of ``inner`` are the contiguous block of nodes
    ``start:stop``, in the same order: ``np.repeat(x[inner], counts)`` lines a value per parent up
    with the children (a top-down pass), and ``np.add.reduceat(y[start:stop], offsets)`` sums the
    children's values per parent (a bottom-up pass).
    """
    depth: int
    inner: np.ndarray            # the inner nodes at this depth, in increasing order
    offsets: np.ndarray          # where each inner node's children start, relative to ``start``
    counts: np.ndarray           # how many children each inner node has
    start: int                   # the children of this level are the nodes start..stop-1
    stop: int
    is_decision: np.ndarray      # per inner node: a player moves there (otherwise chance)
    mover_payoff: np.ndarray     # per child: flat index, into a (num_nodes, N) payoff array, of the
                                 # child's payoff to the parent's mover (player 0 at chance nodes)
    chance: np.ndarray           # the chance nodes among ``inner``
    chance_offsets: np.ndarray   # where each chance node's children start in ``chance_children``
    chance_children: np.ndarray  # the children of the chance nodes, in order


def _level(game: "ExtensiveGame", depth: int, inner: np.ndarray) -> Level:
    first = game.first_child[inner]
    counts = game.num_children[inner]
    start, stop = int(first[0]), int(first[-1] + counts[-1])
    mover = game.node_player[inner]
    is_decision = mover >= 0
    mover_payoff = np.arange(start, stop) * game.num_players + np.repeat(np.maximum(mover, 0), counts)
    chance = inner[~is_decision]
    chance_counts = game.num_children[chance]
    chance_offsets = np.cumsum(chance_counts) - chance_counts
    chance_children = (np.repeat(game.first_child[chance] - chance_offsets, chance_counts)
                       + np.arange(int(chance_counts.sum())))
    return Level(depth, inner, first - start, counts, start, stop, is_decision, mover_payoff, chance,
                 chance_offsets, chance_children)


#: Cached properties that depend only on some fields: ``with_changes`` keeps them when those stay.
_CACHED_STRUCTURE = {
    "levels": ("players", "parent", "node_player", "first_child", "num_children", "depth"),
    "depth_first_rank": ("first_child", "num_children"),
    "is_perfect_information": ("node_player", "node_infoset", "infosets"),
}


@dataclass(frozen=True)
class ExtensiveGame(Players):
    players: tuple[str, ...]
    parent: np.ndarray                  # (num_nodes,) int, -1 at the root
    node_player: np.ndarray             # (num_nodes,) player index, CHANCE or TERMINAL
    first_child: np.ndarray             # (num_nodes,) index of the first child (-1 for leaves)
    num_children: np.ndarray            # (num_nodes,)
    move_index: np.ndarray              # (num_nodes,) index of the move that leads here (-1 at root)
    depth: np.ndarray                   # (num_nodes,)
    node_infoset: np.ndarray            # (num_nodes,) index into infosets, -1 for chance/terminal
    infosets: tuple[InformationSet, ...]
    node_moves: tuple[tuple[str, ...], ...]
    chance_probs: np.ndarray            # (num_nodes,) probability of the edge into the node (1 if not after chance)
    leaf_payoffs: np.ndarray            # (num_nodes, N) payoffs; zero on inner nodes
    node_ids: tuple[str, ...]
    outcomes: tuple[str, ...]
    info: GameInfo = field(default_factory=GameInfo)

    def __post_init__(self):
        for name in ("parent", "node_player", "first_child", "num_children", "move_index", "depth",
                     "node_infoset", "chance_probs", "leaf_payoffs"):
            array = getattr(self, name)
            if array.flags.writeable:
                object.__setattr__(self, name, read_only(array))

    # ---- structure -------------------------------------------------------------------------
    @property
    def num_nodes(self) -> int:
        return len(self.parent)

    def children(self, node: int) -> range:
        start = int(self.first_child[node])
        return range(start, start + int(self.num_children[node])) if start >= 0 else range(0)

    def terminal_nodes(self) -> np.ndarray:
        return np.flatnonzero(self.node_player == TERMINAL)

    def is_terminal(self, node: int) -> bool:
        return self.node_player[node] == TERMINAL

    @cached_property
    def is_perfect_information(self) -> bool:
        """Every information set is a single node (cached on the frozen tree)."""
        deciders = self.node_infoset[self.node_player >= 0]
        return deciders.size == len(self.infosets) and bool(
            np.all(np.bincount(deciders, minlength=len(self.infosets)) == 1))

    @cached_property
    def depth_first_rank(self) -> np.ndarray:
        """Per node, its position in a depth-first (pre-order) walk: the order in which a reader
        follows the tree, moves left to right. Cached; it depends only on the shape."""
        rank = np.empty(self.num_nodes, dtype=np.int64)
        stack, position = [0], 0
        while stack:
            node = stack.pop()
            rank[node] = position
            position += 1
            first, count = int(self.first_child[node]), int(self.num_children[node])
            stack.extend(range(first + count - 1, first - 1, -1) if count else ())
        return rank

    @cached_property
    def levels(self) -> tuple[Level, ...]:
        """The inner nodes level by level, deepest first, with the index arrays of :class:`Level`.

        The plan depends only on the tree's shape, so it is computed once per tree and cached on
        it (the tree is frozen); :meth:`with_changes` hands it on when only numbers change, so a
        sweep over one shape pays for it once. Backward induction
        (:mod:`solver.equilibria.backward`) and the profile walker (:mod:`solver.model.walk`)
        run over it.
        """
        bounds = np.searchsorted(self.depth, np.arange(int(self.depth[-1]) + 2)).tolist()
        leaf = self.num_children == 0
        levels = []
        for depth in range(len(bounds) - 2, -1, -1):
            start, stop = bounds[depth], bounds[depth + 1]
            inner = np.flatnonzero(~leaf[start:stop]) + start
            if inner.size:
                levels.append(_level(self, depth, inner))
        return tuple(levels)

    def with_changes(self, **changes) -> "ExtensiveGame":
        """A copy with some fields replaced (the tree itself is immutable), e.g. other payoffs.

        The cached :attr:`levels` and :attr:`is_perfect_information` are handed on when the fields
        they depend on are unchanged.
        """
        game = replace(self, **changes)
        for name, depends in _CACHED_STRUCTURE.items():
            if name in self.__dict__ and not changes.keys() & set(depends):
                game.__dict__[name] = self.__dict__[name]
        return game

    @property
    def has_chance(self) -> bool:
        return bool(np.any(self.node_player == CHANCE))

    def path_to(self, node: int) -> list[int]:
        """Nodes from the root to ``node``, inclusive."""
        path = [node]
        while self.parent[path[-1]] >= 0:
            path.append(int(self.parent[path[-1]]))
        return path[::-1]

    def own_history(self, node: int, player: int) -> tuple[tuple[int, int], ...]:
        """``player``'s own (information set, move index) pairs on the path from the root to ``node``."""
        path = self.path_to(node)
        return tuple((int(self.node_infoset[a]), int(self.move_index[b]))
                     for a, b in zip(path[:-1], path[1:]) if self.node_player[a] == player)

    def subtree_nodes(self, root: int) -> np.ndarray:
        """The nodes below ``root`` (inclusive), in increasing order (parents before children).

        Breadth-first numbering makes the subtree's nodes at each depth one contiguous block.
        """
        blocks, low, high = [], root, root + 1
        while low < high:
            blocks.append(np.arange(low, high))
            inner = np.flatnonzero(self.num_children[low:high]) + low
            if inner.size == 0:
                break
            low, high = int(self.first_child[inner[0]]), int(self.first_child[inner[-1]] + self.num_children[inner[-1]])
        return np.concatenate(blocks)

    def default_node_ids(self) -> list[str]:
        """The ids ``build_tree`` gives unnamed nodes: the path of move labels, or "root"; writers
        compare them with ``node_ids`` to know which nodes carry an explicit name."""
        ids: list[str] = []
        for node in range(self.num_nodes):
            parent = int(self.parent[node])
            if parent < 0:
                ids.append("")
            else:
                label = self.node_moves[parent][int(self.move_index[node])]
                ids.append(f"{ids[parent]}/{label}" if ids[parent] else label)
        return [i or "root" for i in ids]

    def move_label(self, node: int) -> str:
        """The label of the move leading into ``node``."""
        parent = int(self.parent[node])
        return self.node_moves[parent][int(self.move_index[node])]

    def infosets_of(self, player: int) -> list[int]:
        return [k for k, s in enumerate(self.infosets) if s.player == player]

    def decision_label(self, infoset: int) -> str:
        """The name a decision point goes by in output: its information-set label."""
        return self.infosets[infoset].label

    # ---- numbers ---------------------------------------------------------------------------
    @property
    def is_symbolic(self) -> bool:
        return any(a.dtype == object and any(isinstance(v, sympy.Basic) for v in a.flat)
                   for a in (self.chance_probs, self.leaf_payoffs))

    @property
    def is_exact(self) -> bool:
        return all(a.dtype == object and all(isinstance(v, (int, Fraction)) for v in a.flat)
                   for a in (self.chance_probs, self.leaf_payoffs))

    def evaluated(self, values: Mapping[str, object] | None = None) -> "ExtensiveGame":
        """The same tree with numeric probabilities and payoffs (exact where rational)."""
        if not self.is_symbolic:
            return self
        merged = {**self.info.defaults, **(values or {})}
        probs = evaluate_array(self.chance_probs, merged)
        payoffs = evaluate_array(self.leaf_payoffs, merged)
        check_scale(probs, "chance probabilities")
        check_scale(payoffs, "payoffs")
        if probs.dtype != payoffs.dtype:         # one float makes both float
            probs, payoffs = probs.astype(float), payoffs.astype(float)
        return self.with_changes(chance_probs=probs, leaf_payoffs=payoffs)

    def check_probabilities(self) -> list[str]:
        """Problems with chance probabilities (negative, or not summing to 1), for numeric games."""
        problems = []
        for node in np.flatnonzero(self.node_player == CHANCE):
            probs = [self.chance_probs[c] for c in self.children(node)]
            if any(p < 0 for p in probs):
                problems.append(f"node '{self.node_ids[node]}': a probability is negative ({', '.join(str(p) for p in probs)})")
            total = sum(probs)
            exact = all(isinstance(p, (int, Fraction)) for p in probs)
            if (total != 1) if exact else abs(float(total) - 1) > 1e-9:
                problems.append(f"node '{self.node_ids[node]}': probabilities sum to {total}, not 1")
        return problems


def _flatten(players: tuple[str, ...], root) -> list[tuple]:
    """One row per node, breadth first: (parent, kind, moves, move index, depth, id, outcome,
    probability of the edge in, payoffs, information-set label, first child, number of children)."""
    index = {p: i for i, p in enumerate(players)}
    zero, one = sympy.Integer(0), sympy.Integer(1)
    rows = []
    queue = [(root, -1, -1, 0, "", one, (zero,) * len(players))]
    most_nodes, most_depth = limit("MAX_TREE_NODES"), limit("MAX_TREE_DEPTH")
    for node, (spec, parent, midx, depth, path, prob, carried) in enumerate(queue):     # the queue grows
        if node >= most_nodes:
            raise LimitExceeded(exceeded("MAX_TREE_NODES", f"the tree has more than {node} nodes"))
        if depth > most_depth:
            raise LimitExceeded(exceeded("MAX_TREE_DEPTH", f"the tree is more than {depth - 1} moves deep"))
        node_id = spec.name or path or "root"
        own = getattr(spec, "payoffs", None)
        total = tuple(c + (o if o is not None else zero) for c, o in zip(carried, own)) if own is not None else carried
        if isinstance(spec, Terminal):
            rows.append((parent, TERMINAL, (), midx, depth, node_id, spec.outcome, prob, total, None, -1, 0))
            continue
        labels = tuple(spec.moves)
        chance = isinstance(spec, Chance)
        rows.append((parent, CHANCE if chance else index[spec.player], labels, midx, depth, node_id, "", prob,
                     (zero,) * len(players), None if chance else spec.infoset, len(queue), len(labels)))
        child_probs = [spec.probs[m] for m in labels] if chance else [one] * len(labels)
        queue.extend((child, node, k, depth + 1, f"{path}/{label}" if path else label, child_probs[k], total)
                     for k, (label, child) in enumerate(spec.moves.items()))
    return rows


def _information_sets(players, kinds, moves_of, ids, labels) -> tuple[tuple[InformationSet, ...], list[int]]:
    """Explicit labels group nodes into information sets; an unlabelled node is a set of its own."""
    infosets: list[InformationSet] = []
    by_label: dict[str, int] = {}
    node_infoset = []
    for node, label in enumerate(labels):
        if kinds[node] < 0:
            node_infoset.append(-1)
            continue
        key = label if label is not None else f"\0{node}"
        if key not in by_label:
            by_label[key] = len(infosets)
            infosets.append(InformationSet(label if label is not None else ids[node], kinds[node], moves_of[node], (node,)))
        else:
            k = by_label[key]
            existing = infosets[k]
            if existing.player != kinds[node]:
                raise ValueError(f"information set '{label}' mixes players {players[existing.player]} and {players[kinds[node]]}")
            if existing.moves != moves_of[node]:
                raise ValueError(f"information set '{label}' has nodes with different moves: "
                                 f"{list(existing.moves)} and {list(moves_of[node])}")
            infosets[k] = InformationSet(existing.label, existing.player, existing.moves, existing.nodes + (node,))
        node_infoset.append(by_label[key])
    return tuple(infosets), node_infoset


def build_tree(players: Sequence[str], root, info: GameInfo | None = None) -> ExtensiveGame:
    """Flatten a nested ``Decision`` / ``Chance`` / ``Terminal`` description.

    Node ids default to the path of moves (``"in/fight"``); information sets default to one per
    node, labelled by the node id. Raises ``ValueError`` for inconsistent information sets.
    """
    players = tuple(players)
    (parents, kinds, moves_of, move_idx, depths, ids, outcomes, probs, payoffs, labels, first_child,
     num_children) = zip(*_flatten(players, root))
    infosets, node_infoset = _information_sets(players, kinds, moves_of, ids, labels)
    payoff_array = np.empty((len(parents), len(players)), dtype=object)
    for n, row in enumerate(payoffs):
        payoff_array[n, :] = list(row)
    prob_array = np.empty(len(parents), dtype=object)
    prob_array[:] = probs
    integers = {name: np.array(values, dtype=np.int64) for name, values in (
        ("parent", parents), ("node_player", kinds), ("first_child", first_child), ("num_children", num_children),
        ("move_index", move_idx), ("depth", depths), ("node_infoset", node_infoset))}
    return ExtensiveGame(players=players, **integers, infosets=infosets, node_moves=tuple(moves_of),
                         chance_probs=prob_array, leaf_payoffs=payoff_array, node_ids=tuple(ids),
                         outcomes=tuple(outcomes), info=info or GameInfo())
