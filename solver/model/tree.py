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
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np
import sympy

from solver.model.expr import evaluate_array
from solver.model.normal import GameInfo, read_only

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
class ExtensiveGame:
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
    def title(self) -> str:
        return self.info.title

    @property
    def num_players(self) -> int:
        return len(self.players)

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

    @property
    def is_perfect_information(self) -> bool:
        return all(len(s.nodes) == 1 for s in self.infosets)

    @property
    def has_chance(self) -> bool:
        return bool(np.any(self.node_player == CHANCE))

    def path_to(self, node: int) -> list[int]:
        """Nodes from the root to ``node``, inclusive."""
        path = [node]
        while self.parent[path[-1]] >= 0:
            path.append(int(self.parent[path[-1]]))
        return path[::-1]

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
        if probs.dtype != payoffs.dtype:         # one float makes both float
            probs, payoffs = probs.astype(float), payoffs.astype(float)
        return _replace(self, chance_probs=probs, leaf_payoffs=payoffs)

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

    def reach_probability(self, node: int):
        """Probability that chance alone allows ``node`` (the product of chance edges above it)."""
        p = 1 if self.chance_probs.dtype == object else 1.0
        for n in self.path_to(node)[1:]:
            p = p * self.chance_probs[n]
        return p


def _replace(game: ExtensiveGame, **changes) -> ExtensiveGame:
    fields = {name: getattr(game, name) for name in game.__dataclass_fields__}
    fields.update(changes)
    return ExtensiveGame(**fields)


def build_tree(players: Sequence[str], root, info: GameInfo | None = None) -> ExtensiveGame:
    """Flatten a nested ``Decision`` / ``Chance`` / ``Terminal`` description.

    Node ids default to the path of moves (``"in/fight"``); information sets default to one per
    node, labelled by the node id. Raises ``ValueError`` for inconsistent information sets.
    """
    players = tuple(players)
    index = {p: i for i, p in enumerate(players)}
    zero = sympy.Integer(0)
    one = sympy.Integer(1)

    parents, kinds, moves_of, move_idx, depths, ids, outcomes, probs, payoffs, infoset_names = ([] for _ in range(10))
    first_child, num_children = [], []
    queue = [(root, -1, -1, 0, "", one, (zero,) * len(players))]
    head = 0
    while head < len(queue):
        spec, parent, midx, depth, path, prob, carried = queue[head]
        node = head
        head += 1
        node_id = spec.name or path or "root"
        parents.append(parent); move_idx.append(midx); depths.append(depth)
        ids.append(node_id); probs.append(prob)
        own = getattr(spec, "payoffs", None)
        total = tuple(c + (o if o is not None else zero) for c, o in zip(carried, own)) if own is not None else carried
        if isinstance(spec, Terminal):
            kinds.append(TERMINAL); moves_of.append(()); outcomes.append(spec.outcome)
            payoffs.append(total); infoset_names.append(None)
            first_child.append(-1); num_children.append(0)
            continue
        outcomes.append(""); payoffs.append((zero,) * len(players))
        labels = tuple(spec.moves)
        moves_of.append(labels)
        first_child.append(len(queue)); num_children.append(len(labels))
        if isinstance(spec, Chance):
            kinds.append(CHANCE)
            infoset_names.append(None)
            child_probs = [spec.probs[m] for m in labels]
        else:
            kinds.append(index[spec.player])
            infoset_names.append(spec.infoset)
            child_probs = [one] * len(labels)
        for k, (label, child) in enumerate(spec.moves.items()):
            queue.append((child, node, k, depth + 1, f"{path}/{label}" if path else label, child_probs[k], total))

    # information sets: explicit labels group nodes; otherwise one per node
    infosets: list[InformationSet] = []
    by_label: dict[str, int] = {}
    node_infoset = []
    for node, label in enumerate(infoset_names):
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

    payoff_array = np.empty((len(parents), len(players)), dtype=object)
    for n, row in enumerate(payoffs):
        payoff_array[n, :] = list(row)
    prob_array = np.empty(len(parents), dtype=object)
    prob_array[:] = probs
    return ExtensiveGame(
        players=players,
        parent=np.array(parents, dtype=np.int64),
        node_player=np.array(kinds, dtype=np.int64),
        first_child=np.array(first_child, dtype=np.int64),
        num_children=np.array(num_children, dtype=np.int64),
        move_index=np.array(move_idx, dtype=np.int64),
        depth=np.array(depths, dtype=np.int64),
        node_infoset=np.array(node_infoset, dtype=np.int64),
        infosets=tuple(infosets),
        node_moves=tuple(moves_of),
        chance_probs=prob_array,
        leaf_payoffs=payoff_array,
        node_ids=tuple(ids),
        outcomes=tuple(outcomes),
        info=info or GameInfo(),
    )
