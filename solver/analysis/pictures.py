"""What a picture of a game marks, worked out once for every presenter (text, SVG, HTML).

- A payoff matrix marks each payoff that is a best response to the others' strategies, and the
  pure equilibria (every payoff of the profile marked): :class:`MarkedMatrix`.
- A tree marks the moves of the first listed equilibrium and the nodes its play reaches (with
  chance): :class:`PlayedTree`.

>>> from solver.api import load_game, parameter_values, evaluate_game
>>> game = load_game("games/prisoners_dilemma.yaml")
>>> matrix = marked_matrix(evaluate_game(game, parameter_values(game)))
>>> [tuple(int(i) for i in p) for p in np.argwhere(matrix.equilibrium)]
[(1, 1)]
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Mapping

import numpy as np

from solver.api import evaluate_game, parameter_values, solve, solve_with_beliefs
from solver.equilibria.pure import best_response_masks
from solver.equilibria.recall import perfect_recall_violation
from solver.equilibria.refinements import node_labels
from solver.equilibria.result import Note
from solver.model.normal import NormalFormGame
from solver.model.tree import ExtensiveGame
from solver.model.walk import reach_probabilities
from solver.results import Equilibrium, Solution


#: The note on a solution of a game without perfect recall (Nash equilibria instead of subgame-perfect ones).
NO_RECALL = "no-perfect-recall"
#: Seconds a picture of a game without perfect recall gives its Nash equilibria.
NASH_TIMEOUT = 30


@dataclass(frozen=True)
class MarkedMatrix:
    """A numeric normal form; ``best[i, s]``: player i's strategy in profile s is a best response
    to the others'; ``equilibrium[s]``: profile s is a pure equilibrium."""
    game: NormalFormGame
    best: np.ndarray
    equilibrium: np.ndarray


@dataclass(frozen=True)
class PlayedTree:
    """A numeric tree with the moves of the first equilibrium of a solution (information set →
    move probabilities; empty without one), the nodes its play reaches, how many equilibria the
    solution lists and of which concept ("subgame-perfect", "nash", "perfect-bayesian" or "sequential"), and
    ``note``: what was solved when it is not the usual (no perfect recall), or why nothing is
    marked. For a perfect Bayesian or sequential equilibrium, ``beliefs``: each node of an
    information set of several nodes → its belief μ, and ``off_path``: the conditions on the
    beliefs off the path that the drawn ones are one choice within."""
    tree: ExtensiveGame
    behaviour: Mapping[int, tuple]
    reached: frozenset
    equilibrium_count: int = 0
    concept: str = "subgame-perfect"
    note: str = ""
    beliefs: Mapping[int, object] = field(default_factory=dict)
    off_path: tuple[str, ...] = ()


def _numeric(game):
    return game.evaluated() if game.is_symbolic else game


def marked_matrix(game: NormalFormGame) -> MarkedMatrix:
    game = _numeric(game)
    best = best_response_masks(game.payoffs, game.num_players)
    return MarkedMatrix(game, best, np.logical_and.reduce(best, axis=0))


def behaviour_of(tree: ExtensiveGame, equilibrium: Equilibrium) -> dict[int, tuple]:
    """Move probabilities per information set (those the equilibrium specifies), from its
    strategies in the game's names."""
    behaviour = {}
    for h, info in enumerate(tree.infosets):
        probs = equilibrium.strategies.get(tree.players[info.player], {}).get(info.label)
        if probs is not None:
            behaviour[h] = tuple(probs.get(m, 0) for m in info.moves)
    return behaviour


def played_tree(tree: ExtensiveGame, solution: Solution | None = None, note: str = "") -> PlayedTree:
    tree = _numeric(tree)
    behaviour = behaviour_of(tree, solution.equilibria[0]) if solution is not None and solution.equilibria else {}
    reached = frozenset(np.flatnonzero(reach_probabilities(tree, behaviour) != 0).tolist()) if behaviour else frozenset()
    if solution is None:
        return PlayedTree(tree, behaviour, reached, note=note)
    note = note or next((n.text() for n in solution.notes if n.code == NO_RECALL), "")
    beliefs, off_path = _beliefs(tree, solution.equilibria[0].assessment) if solution.equilibria else ({}, ())
    return PlayedTree(tree, behaviour, reached, len(solution.equilibria), solution.concept, note, beliefs, off_path)


def _beliefs(tree: ExtensiveGame, record: Mapping | None) -> tuple[dict[int, object], tuple[str, ...]]:
    """Node → belief, and the off-path conditions, from an equilibrium's assessment record."""
    if not record:
        return {}, ()
    beliefs = {}
    for info in tree.infosets:
        belief = record["beliefs"].get(info.label)
        if belief is not None:
            beliefs.update({int(x): belief[name] for x, name in zip(info.nodes, node_labels(tree, info.nodes))})
    off_path = tuple(c["condition"] for c in record.get("belief_conditions", {}).values() if not c["on_path"])
    return beliefs, off_path


def picture(numeric, solution: Solution | None = None) -> MarkedMatrix | PlayedTree:
    """The marks for a numeric game: a tree's equilibrium moves, or a matrix's best responses."""
    if isinstance(numeric, ExtensiveGame):
        return played_tree(numeric, solution)
    return marked_matrix(numeric)


def belief_picture(game, parameters: Mapping[str, object] | None = None, concept: str = "pbe") -> PlayedTree:
    """``solve draw --concept pbe`` (or ``sequential``): the tree with the first such
    equilibrium's moves and beliefs; SolveError for a normal-form game."""
    solution = solve_with_beliefs(game, parameters, concept)
    return played_tree(solution.game, solution)


def tree_solution(game, parameters: Mapping[str, object] | None, numeric: ExtensiveGame,
                  timeout: float | None = None) -> Solution:
    """The equilibria a picture of a tree marks: the subgame-perfect ones, or, for a game without
    perfect recall (where only those of the reduced normal form are computed), the Nash ones with
    a note saying so. Raises ``ValueError`` when the game cannot be solved."""
    problem = perfect_recall_violation(numeric)
    if problem is None:
        return solve(game, parameters, timeout=timeout)
    solution = solve(game, parameters, concept="nash", timeout=timeout if timeout is not None else NASH_TIMEOUT)
    note = Note(NO_RECALL, f"{problem}; subgame-perfect equilibria are computed only with perfect recall, "
                           f"so these are the Nash equilibria of the reduced normal form")
    return replace(solution, notes=(note,) + tuple(solution.notes))


def game_picture(game, parameters: Mapping[str, object] | None = None) -> MarkedMatrix | PlayedTree:
    """``solve draw``: the game (as loaded) at ``parameters``; a tree with its first
    subgame-perfect equilibrium (Nash without perfect recall), or unmarked when it cannot be
    solved (the note says why)."""
    numeric = evaluate_game(game, parameter_values(game, parameters))
    if not isinstance(numeric, ExtensiveGame):
        return marked_matrix(numeric)
    try:
        return played_tree(numeric, tree_solution(game, parameters, numeric))
    except (ValueError, ArithmeticError) as error:
        return played_tree(numeric, None, f"no equilibrium is marked: the game could not be solved ({error})")
