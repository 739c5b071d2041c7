"""From a game tree to its reduced normal form, and back to behaviour strategies.

A pure strategy chooses a move at every information set of its player; the *reduced* normal form
identifies strategies that differ only at information sets that the player's own earlier moves
exclude (Osborne & Rubinstein 1994, §6.1.2; Gambit's "reduced strategic form"). Strategy names are
built from the moves, e.g. ``"Transfer: Restrain; Withhold: Enable"``; ``gambit_label`` gives
Gambit's digit form (``"12"``, ``"2*"``) for comparisons with Gambit's output.

A mixed strategy of the reduced form maps back to a realisation-equivalent behaviour strategy
(Kuhn 1953) with :func:`behaviour_from_mixed`.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from solver.model.normal import NormalFormGame
from solver.model.tree import TERMINAL, Decision, ExtensiveGame, Terminal, build_tree
from solver.model.walk import chance_reach


@dataclass(frozen=True)
class ReducedStrategy:
    player: int
    infosets: tuple[int, ...]               # the player's information sets, in game order
    choices: tuple[int | None, ...]         # move index at each, None where own play excludes it
    name: str

    @property
    def gambit_label(self) -> str:
        return "".join("*" if c is None else str(c + 1) for c in self.choices) or "*"

    def move_at(self, infoset: int) -> int | None:
        return self.choices[self.infosets.index(infoset)]


@dataclass(frozen=True)
class ReducedNormalForm:
    game: NormalFormGame
    strategies: tuple[tuple[ReducedStrategy, ...], ...]   # per player, in the order of game.strategies
    tree: ExtensiveGame


#: Marks the end of a frame's choices in :func:`reduced_strategies` (``None`` is a choice there).
_DONE = object()


def reduced_strategies(tree: ExtensiveGame, player: int) -> tuple[ReducedStrategy, ...]:
    """Every reduced pure strategy of ``player``, in Gambit's order (first information set slowest)."""
    infosets = tree.infosets_of(player)
    requirements = {h: [tree.own_history(n, player) for n in tree.infosets[h].nodes] for h in infosets}
    # An ancestor's information set is decided before its descendants': order by shallowest node.
    order = sorted(infosets, key=lambda h: min(int(tree.depth[n]) for n in tree.infosets[h].nodes))
    found: list[dict[int, int | None]] = []
    # A depth-first search over the information sets in ``order``, kept on an explicit stack (no
    # recursion limit on deep trees): each frame is a position and its untried choices.
    chosen: dict[int, int | None] = {}
    frames: list[list] = [[0, None]]
    while frames:
        position, options = frames[-1]
        if position == len(order):
            found.append(dict(chosen))
            frames.pop()
            continue
        h = order[position]
        if options is None:
            reachable = any(all(chosen.get(k) == m for k, m in need) for need in requirements[h])
            options = frames[-1][1] = iter(range(len(tree.infosets[h].moves)) if reachable else [None])
        move = next(options, _DONE)
        if move is _DONE:
            chosen.pop(h, None)
            frames.pop()
        else:
            chosen[h] = move
            frames.append([position + 1, None])
    found.sort(key=lambda chosen: _gambit_order_key(tree, player, chosen))
    choices = [tuple(c[h] for h in infosets) for c in found]
    return tuple(ReducedStrategy(player, tuple(infosets), c, _strategy_name(tree, infosets, c)) for c in choices)


def _gambit_order_key(tree: ExtensiveGame, player: int, chosen: dict[int, int | None]) -> tuple:
    """Gambit's order: the moves in the order a depth-first walk, following the player's own
    moves and every other branch, first meets the player's information sets."""
    key, seen, stack = [], set(), [0]
    while stack:
        node = stack.pop()
        kind = int(tree.node_player[node])
        if kind == TERMINAL:
            continue
        children = list(tree.children(node))
        if kind == player:
            h = int(tree.node_infoset[node])
            move = chosen[h]
            if h not in seen:
                seen.add(h)
                key.append(-1 if move is None else move)
            if move is not None:        # None: a set the strategy never reaches (reachable here only without perfect recall)
                stack.append(children[move])
        else:
            stack.extend(reversed(children))
    return tuple(key)


def _strategy_name(tree: ExtensiveGame, infosets: Sequence[int], choices: Sequence[int | None]) -> str:
    parts = [(tree.infosets[h].label, tree.infosets[h].moves[m]) for h, m in zip(infosets, choices) if m is not None]
    if len(infosets) == 1:
        return parts[0][1] if parts else "(no move)"
    if not parts:
        return "(no move)"
    return "; ".join(f"{label}: {move}" for label, move in parts)


def consistency_matrix(tree: ExtensiveGame, strategies: Sequence[ReducedStrategy], leaves: np.ndarray) -> np.ndarray:
    """``M[s, l] = 1`` when strategy s makes every own move on the path to leaf l."""
    player = strategies[0].player if strategies else None
    matrix = np.zeros((len(strategies), len(leaves)), dtype=np.int8)
    for j, leaf in enumerate(leaves):
        need = tree.own_history(int(leaf), player)
        for i, s in enumerate(strategies):
            if all(s.move_at(h) == m for h, m in need):
                matrix[i, j] = 1
    return matrix


def reduced_normal_form(tree: ExtensiveGame) -> ReducedNormalForm:
    """The reduced normal form of a numeric (evaluated) tree; exact when the tree is exact."""
    if tree.is_symbolic:
        raise ValueError("evaluate the tree's parameters before reducing it")
    leaves = tree.terminal_nodes()
    strategies = tuple(reduced_strategies(tree, p) for p in range(tree.num_players))
    exact = tree.is_exact
    reach = chance_reach(tree)[leaves]
    leaf_payoffs = np.asarray(tree.leaf_payoffs[leaves], dtype=object if exact else float)   # (L, N)
    weighted = leaf_payoffs * reach[:, None]
    shape = tuple(len(s) for s in strategies)
    payoffs = np.zeros((tree.num_players,) + shape, dtype=object if exact else float)
    if exact:
        payoffs[...] = Fraction(0)
    matrices = [consistency_matrix(tree, strategies[p], leaves) for p in range(tree.num_players)]
    # Sum over leaves the product of each player's consistency: the leaf is reached only if all agree.
    for j in range(len(leaves)):
        weight = np.ones(shape, dtype=np.int8)
        for p, m in enumerate(matrices):
            weight = weight * m[:, j].reshape((-1,) + (1,) * (len(shape) - p - 1))
        if not weight.any():
            continue
        for q in range(tree.num_players):
            payoffs[q] = payoffs[q] + weight * weighted[j, q]
    names = tuple(tuple(s.name for s in ss) for ss in strategies)
    game = NormalFormGame(tree.players, names, payoffs, tree.info)
    return ReducedNormalForm(game, strategies, tree)


def behaviour_from_mixed(tree: ExtensiveGame, strategies: Sequence[ReducedStrategy], mixed: Sequence) -> dict[int, list | None]:
    """A realisation-equivalent behaviour strategy (Kuhn 1953) for one player.

    Returns, per information set of the player, the move probabilities, or ``None`` where the
    mixed strategy never lets the player reach it (any behaviour there is equivalent).
    """
    result = {}
    if not strategies:
        return result
    for h in strategies[0].infosets:
        moves = len(tree.infosets[h].moves)
        weights = [0] * moves
        for s, p in zip(strategies, mixed):
            m = s.move_at(h)
            if m is not None:
                weights[m] = weights[m] + p
        total = sum(weights)
        result[h] = None if total == 0 else [w / total for w in weights]
    return result


def tree_of_normal_form(game: NormalFormGame) -> ExtensiveGame:
    """A tree in which the players move in turn without seeing earlier moves: the extensive form
    of a simultaneous game (one information set per player), e.g. for writing a ``.efg`` file."""

    def subtree(player: int, index: tuple):
        if player == game.num_players:
            return Terminal(tuple(game.payoffs[(slice(None),) + index]), ", ".join(
                game.strategies[i][k] for i, k in enumerate(index)))
        return Decision(game.players[player],
                        {s: subtree(player + 1, index + (k,)) for k, s in enumerate(game.strategies[player])},
                        infoset=game.players[player])
    return build_tree(game.players, subtree(0, ()), game.info).evaluated()
