"""The computation behind ``solve explain --concept pbe``, as data: for each perfect Bayesian
equilibrium, the beliefs at each information set (Bayes' rule with its numbers on the path; the
supporting beliefs off it), the value of each move given the belief, and the refinements' verdicts.
:mod:`solver.present.beliefs` puts it in words.

Bayes' rule at an information set H reached with positive probability: μ(x) = P(x) / Σ_{y∈H} P(y),
where P(x) is chance's probability of the path to x times the players' probabilities of the moves
on it (Fudenberg & Tirole 1991, §8.2). Given a belief, a move's value is the belief-weighted value
of the node it leads to, with play continuing as the equilibrium says.

>>> from solver.api import load_game
>>> walk = explain_pbe(load_game("games/beer_quiche.yaml")).walks[0]
>>> step = next(s for s in walk.steps if s.label == "Beer")
>>> [(t.node, str(t.chance), str(t.players)) for t in step.terms], [str(p) for _, p in step.belief]
([('strong', '9/10', '1'), ('weak', '1/10', '1')], ['9/10', '1/10'])
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from solver.api import solve_with_beliefs
from solver.equilibria.pbe import assess
from solver.equilibria.refinements import condition_text, node_labels
from solver.model.tree import ExtensiveGame
from solver.model.walk import chance_reach, reach_probabilities, subtree_values
from solver.results import Solution


@dataclass(frozen=True)
class BayesTerm:
    """One node of an information set: chance's probability of its path and the players'."""
    node: str
    chance: Fraction
    players: Fraction


@dataclass(frozen=True)
class BeliefStep:
    """One information set of an equilibrium: who moves, the belief (Bayes' terms on the path; off
    it the condition and the belief used), each move's value under it, and the moves played."""
    label: str
    player: str
    on_path: bool
    terms: tuple[BayesTerm, ...]
    belief: tuple[tuple[str, Fraction], ...]
    condition: str
    values: tuple[tuple[str, Fraction], ...]
    played: tuple[str, ...]


@dataclass(frozen=True)
class EquilibriumWalk:
    number: int
    record: Mapping
    steps: tuple[BeliefStep, ...]


@dataclass(frozen=True)
class PBEExplanation:
    solution: Solution
    walks: tuple[EquilibriumWalk, ...]


def _steps(tree: ExtensiveGame, profile: Mapping) -> tuple[BeliefStep, ...]:
    assessment = assess(tree, profile)
    values = subtree_values(tree, profile)
    reach = reach_probabilities(tree, profile)
    chance = chance_reach(tree)
    steps = []
    for beliefs in sorted(assessment.beliefs, key=lambda b: -int(tree.depth[b.nodes[0]])):   # last movers first
        info = tree.infosets[beliefs.infoset]
        names = node_labels(tree, beliefs.nodes)
        terms = tuple(BayesTerm(n, Fraction(chance[x]), Fraction(reach[x]) / Fraction(chance[x]) if chance[x] else Fraction(0))
                      for n, x in zip(names, beliefs.nodes))
        move_values = []
        for k, move in enumerate(info.moves):
            kids = [list(tree.children(x))[k] for x in beliefs.nodes]
            move_values.append((move, sum((p * Fraction(values[c][info.player]) for p, c in zip(beliefs.belief, kids)),
                                          Fraction(0))))
        steps.append(BeliefStep(info.label, tree.players[info.player], beliefs.on_path, terms,
                                tuple(zip(names, beliefs.belief)), condition_text(tree, beliefs), tuple(move_values),
                                tuple(m for m, p in zip(info.moves, profile[beliefs.infoset]) if p > 0)))
    return tuple(steps)


def explain_pbe(game, values: Mapping[str, object] | None = None, concept: str = "pbe") -> PBEExplanation:
    """Solve for the perfect Bayesian (or sequential) equilibria and walk through each."""
    return walk_equilibria(solve_with_beliefs(game, values, concept))


def walk_equilibria(solution: Solution) -> PBEExplanation:
    """The walk through each equilibrium of a perfect Bayesian (or sequential) solution."""
    tree = solution.game
    walks = []
    for k, equilibrium in enumerate(solution.equilibria, 1):
        index = {s.label: h for h, s in enumerate(tree.infosets)}
        profile = {}
        for player in equilibrium.strategies.values():
            for label, moves in player.items():
                profile[index[label]] = tuple(Fraction(p) for p in moves.values())
        walks.append(EquilibriumWalk(k, equilibrium.assessment, _steps(tree, profile)))
    return PBEExplanation(solution, tuple(walks))
