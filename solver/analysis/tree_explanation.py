"""The computation behind ``solve explain`` for game trees, as data (see
:mod:`solver.analysis.explanation`; the words are :mod:`solver.present.explain`'s).

- Perfect information: :class:`BackwardInduction` node by node, deepest first (each mover's moves
  ranked by what they give it, ties found; chance nodes' expectations), the
  :class:`EquilibriumPath`, the moves :class:`OffPath`, and the pure Nash equilibria of the normal
  form with the threats that would not be carried out (:class:`EmptyThreats`, read from the
  solution's structured ``threat`` notes).
- Information sets (:class:`ImperfectInformation`): for the first equilibria, each information
  set's beliefs and the expected payoff of each move there (:class:`Choice`), and for a player who
  mixes between two moves, the other player's probability that makes them indifferent, solved with
  sympy (:class:`PinnedMixture`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import numpy as np
import sympy

from solver.analysis.pictures import behaviour_of
from solver.api import solve
from solver.core.numbers import FLOAT_TOLERANCE, TIE_TOLERANCE, is_exact_number
from solver.equilibria import registry
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame
from solver.model.walk import outcome_distribution, reach_probabilities, subtree_values
from solver.results import Equilibrium, Solution

#: Above this many pure profiles the normal form of a tree is not searched for empty threats.
MAX_NORMAL_FORM_PROFILES = 20_000
#: How many equilibria of a tree with information sets are explained.
MAX_EXPLAINED = 3
#: Trees larger than this get no symbolic indifference equations.
MAX_SYMBOLIC_NODES = 2000
#: Seconds for the equilibria of a tree with information sets (subgame-perfect, then Nash).
SUBGAME_PERFECT_TIMEOUT = 60
NASH_TIMEOUT = 20


def solve_quietly(game, parameters, **options) -> tuple[Solution | None, str]:
    """``solve``, with the reason in parentheses instead of an exception when it cannot."""
    try:
        return solve(game, parameters, **options), ""
    except ValueError as error:
        return None, f"({error})"


# ---- perfect information ------------------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    """A mover's decision: ``ranked`` move indices, best first by ``values`` (the mover's payoff of
    each move, in move order); ``equal[k]``: the k-th ranked move gives as much as the one before
    it; ``chosen``: the move the equilibrium takes; ``tie``: several moves are best."""
    node: int
    ranked: tuple[int, ...]
    values: tuple
    equal: tuple[bool, ...]
    chosen: int
    tie: bool


@dataclass(frozen=True)
class ChanceAverage:
    """A chance node replaced by its expected payoffs: per player, each child's value (``values``)
    and their average under the chance ``probabilities``."""
    node: int
    probabilities: tuple
    values: tuple[tuple, ...]
    averages: tuple


@dataclass(frozen=True)
class BackwardInduction:
    steps: tuple           # Comparison or ChanceAverage, deepest nodes first


@dataclass(frozen=True)
class EquilibriumPath:
    """The outcomes play reaches (leaf, probability), the expected ``payoffs``, and how many
    subgame-perfect equilibria there are (ties)."""
    outcomes: tuple[tuple[int, object], ...]
    payoffs: tuple
    count: int


@dataclass(frozen=True)
class OffPath:
    """Decision nodes that play never reaches, shallowest first, with the move each would take."""
    choices: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Threat:
    """In a Nash equilibrium, the mover at ``node`` would play ``move``, worth ``value`` to it, though
    ``better`` is worth ``better_value``. The values follow the equilibrium's plans; at a decision
    point a plan leaves open (its player's own earlier move rules it out) the player is taken to
    choose its best move given what follows (:func:`completed`); ``assumed`` lists those points
    that the two values pass through, as (node, move taken there)."""
    node: int
    move: int
    value: object
    better: int
    better_value: object
    assumed: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class EmptyThreats:
    """The pure Nash equilibria of the reduced normal form (``solution``), each marked
    subgame-perfect or not; ``threats``: for each equilibrium that is not (by its index), the moves
    that would not be carried out; ``too_large`` when the normal form was not searched."""
    solution: Solution | None
    problem: str
    too_large: bool
    threats: Mapping[int, tuple[Threat, ...]] = field(default_factory=dict)


def _ranking(values, exact_tolerance: float) -> tuple[tuple[int, ...], tuple[bool, ...]]:
    """Indices of ``values`` best first (ties in index order), and whether each equals the one before."""
    ranked = tuple(sorted(range(len(values)), key=lambda k: (-float(values[k]), k)))
    equal = tuple(_equal(values[a], values[b], exact_tolerance) for a, b in zip(ranked, ranked[1:]))
    return ranked, equal


def _equal(a, b, tolerance: float) -> bool:
    if is_exact_number(a) and is_exact_number(b):
        return a == b
    return abs(float(a) - float(b)) <= tolerance * max(1.0, abs(float(a)))


def _move(probabilities) -> int:
    return max(range(len(probabilities)), key=lambda k: float(probabilities[k]))


def perfect_information_parts(game, tree: ExtensiveGame, parameters) -> list:
    """Backward induction, the path, the moves off it and (2+ players) the empty threats."""
    result = registry.run("backward-induction", tree)
    behaviour = result.profiles[0]
    values = subtree_values(tree, behaviour)
    steps = []
    decision_nodes = [n for n in range(tree.num_nodes) if tree.node_player[n] != TERMINAL]
    for node in sorted(decision_nodes, key=lambda n: (-int(tree.depth[n]), n)):
        kids = list(tree.children(node))
        mover = int(tree.node_player[node])
        if mover == CHANCE:
            steps.append(ChanceAverage(node, tuple(tree.chance_probs[c] for c in kids),
                                       tuple(tuple(values[c][i] for c in kids) for i in range(tree.num_players)),
                                       tuple(values[node])))
            continue
        own = tuple(values[c][mover] for c in kids)
        ranked, equal = _ranking(own, TIE_TOLERANCE)
        steps.append(Comparison(node, ranked, own, equal, _move(behaviour[int(tree.node_infoset[node])]),
                                bool(equal and equal[0])))
    reach = reach_probabilities(tree, behaviour)
    off = sorted((n for n in decision_nodes if tree.node_player[n] >= 0 and reach[n] == 0),
                 key=lambda n: (int(tree.depth[n]), n))
    parts = [BackwardInduction(tuple(steps)),
             EquilibriumPath(outcome_distribution(tree, behaviour), tuple(values[0]), len(result.profiles)),
             OffPath(tuple((n, _move(behaviour[int(tree.node_infoset[n])])) for n in off))]
    if tree.num_players >= 2:
        parts.append(empty_threats(game, tree, parameters))
    return parts


def empty_threats(game, tree: ExtensiveGame, parameters) -> EmptyThreats:
    """The pure Nash equilibria of the reduced normal form and, for each that is not subgame-perfect,
    the moves that would not be carried out."""
    profiles = math.prod(len(info.moves) for info in tree.infosets)
    if profiles > MAX_NORMAL_FORM_PROFILES:
        return EmptyThreats(None, "", True)
    solution, problem = solve_quietly(game, parameters, concept="nash", method="pure")
    if solution is None:
        return EmptyThreats(None, problem, False)
    threats = {k: threats_of(tree, behaviour_of(tree, e))
               for k, e in enumerate(solution.equilibria) if e.subgame_perfect is False}
    return EmptyThreats(solution, problem, False, threats)


def completed(tree: ExtensiveGame, plans: Mapping[int, tuple]) -> dict[int, tuple]:
    """Pure ``plans`` (information set → move probabilities) of a perfect-information tree, with
    every decision point they leave open given its mover's best move in what follows, deepest first."""
    played = dict(plans)
    values: dict[int, tuple] = {}
    one, zero = (Fraction(1), Fraction(0)) if tree.is_exact else (1.0, 0.0)
    for node in sorted(range(tree.num_nodes), key=lambda n: -int(tree.depth[n])):
        kind, kids = int(tree.node_player[node]), list(tree.children(node))
        if kind == TERMINAL:
            values[node] = tuple(tree.leaf_payoffs[node])
        elif kind == CHANCE:
            values[node] = tuple(sum(tree.chance_probs[c] * values[c][i] for c in kids) for i in range(tree.num_players))
        else:
            h = int(tree.node_infoset[node])
            if played.get(h) is None:
                best = max(range(len(kids)), key=lambda k: (float(values[kids[k]][kind]), -k))
                played[h] = tuple(one if k == best else zero for k in range(len(kids)))
            values[node] = values[kids[_move(played[h])]]
    return played


def threats_of(tree: ExtensiveGame, plans: Mapping[int, tuple]) -> tuple[Threat, ...]:
    """The decision points where pure ``plans`` prescribe a move that is worse for the mover, in
    what follows, than another (the points the plans leave open played as :func:`completed` does)."""
    played = completed(tree, plans)
    values = subtree_values(tree, played)
    out = []
    for node in range(tree.num_nodes):
        h = int(tree.node_infoset[node])
        if tree.node_player[node] < 0 or plans.get(h) is None:
            continue
        mover, kids = int(tree.node_player[node]), list(tree.children(node))
        move = _move(plans[h])
        better = max(range(len(kids)), key=lambda k: (float(values[kids[k]][mover]), -k))
        worse, best = values[kids[move]][mover], values[kids[better]][mover]
        if better != move and not _equal(best, worse, TIE_TOLERANCE) and best > worse:
            reach = [reach_probabilities(tree, played, kids[k]) for k in (move, better)]
            assumed = tuple((n, _move(played[int(tree.node_infoset[n])])) for n in range(tree.num_nodes)
                            if tree.node_player[n] >= 0 and plans.get(int(tree.node_infoset[n])) is None
                            and any(r[n] != 0 for r in reach))
            out.append(Threat(node, move, worse, better, best, assumed))
    return tuple(out)


# ---- information sets ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Choice:
    """The behaviour at one information set in an equilibrium: the move ``probabilities``; with
    several nodes, the ``beliefs`` (probability of each node given the set is reached); the
    player's expected payoff of each move (empty when the set is never reached), ranked."""
    infoset: int
    probabilities: tuple
    beliefs: tuple | None
    move_values: tuple
    ranked: tuple[int, ...]
    equal: tuple[bool, ...]


@dataclass(frozen=True)
class PinnedMixture:
    """A player indifferent between the two moves at ``infoset`` when the player at ``other``
    plays its first move with probability x: ``left`` and ``right`` are the expected payoffs of
    the two moves as expressions in the sympy symbol ``x``, equal at x = ``value``."""
    infoset: int
    other: int
    left: object
    right: object
    value: object


@dataclass(frozen=True)
class BehaviourAccount:
    equilibrium: Equilibrium
    choices: tuple[Choice, ...]           # the decisions, last first
    pinned: tuple[PinnedMixture, ...]


@dataclass(frozen=True)
class ImperfectInformation:
    """The information sets with several nodes (``shared``), the equilibria explained (``concept``:
    "subgame-perfect", or "Nash" when those could not be computed, ``fallback`` saying why), and
    an account of the first ``MAX_EXPLAINED``; ``problem`` says why ``solution`` is None."""
    shared: tuple[int, ...]
    solution: Solution | None
    concept: str
    fallback: str
    problem: str
    accounts: tuple[BehaviourAccount, ...]


def imperfect_information_parts(game, tree: ExtensiveGame, parameters) -> list:
    shared = tuple(h for h, info in enumerate(tree.infosets) if len(info.nodes) > 1)
    solution, problem = solve_quietly(game, parameters, timeout=SUBGAME_PERFECT_TIMEOUT)
    if solution is not None:
        concept, fallback = "subgame-perfect", ""
    else:
        solution, second = solve_quietly(game, parameters, concept="nash", timeout=NASH_TIMEOUT)
        concept, fallback, problem = "Nash", problem, (problem + " " + second if solution is None else "")
    accounts = []
    for equilibrium in (solution.equilibria[:MAX_EXPLAINED] if solution is not None else ()):
        behaviour = behaviour_of(tree, equilibrium)
        accounts.append(BehaviourAccount(equilibrium, _choices(tree, behaviour), _pinned_mixtures(tree, behaviour)))
    return [ImperfectInformation(shared, solution, concept, fallback, problem, tuple(accounts))]


def _choices(tree: ExtensiveGame, behaviour: Mapping[int, tuple]) -> tuple[Choice, ...]:
    """Each information set the equilibrium specifies, deepest first: beliefs and move values."""
    one = Fraction(1) if tree.is_exact else 1.0
    uniform = {h: (one / len(info.moves),) * len(info.moves) for h, info in enumerate(tree.infosets)}
    values = subtree_values(tree, {**uniform, **behaviour})       # unspecified sets: every move alike
    reach = reach_probabilities(tree, behaviour)
    order = sorted(range(len(tree.infosets)), key=lambda h: (-max(int(tree.depth[n]) for n in tree.infosets[h].nodes), h))
    out = []
    for h in order:
        if h not in behaviour:
            continue
        info = tree.infosets[h]
        nodes = list(info.nodes)
        weights = [reach[n] for n in nodes]
        total = sum(weights)
        if total == 0:
            out.append(Choice(h, tuple(behaviour[h]), None, (), (), ()))
            continue
        move_values = tuple(sum(w * values[int(tree.first_child[n]) + m][info.player] for w, n in zip(weights, nodes)) / total
                            for m in range(len(info.moves)))
        ranked, equal = _ranking(move_values, FLOAT_TOLERANCE)
        beliefs = tuple(w / total for w in weights) if len(nodes) > 1 else None
        out.append(Choice(h, tuple(behaviour[h]), beliefs, move_values, ranked, equal))
    return tuple(out)


def _pinned_mixtures(tree: ExtensiveGame, behaviour: Mapping[int, tuple]) -> tuple[PinnedMixture, ...]:
    """For each information set where a player mixes two moves: the indifference condition with
    the OTHER players' mixing probabilities as unknowns, solved when one unknown remains."""
    if tree.num_nodes > MAX_SYMBOLIC_NODES:
        return ()
    mixed = [h for h, probs in behaviour.items() if len(probs) == 2 and all(p != 0 for p in probs)]
    if not mixed:
        return ()
    # object arrays, so that sympy symbols can stand for probabilities in the walks
    symbolic_tree = tree.with_changes(leaf_payoffs=np.asarray(tree.leaf_payoffs, dtype=object),
                                      chance_probs=np.asarray(tree.chance_probs, dtype=object))
    symbols = {h: sympy.Symbol(f"x{h}") for h in mixed}
    one = Fraction(1)
    uniform = {h: (one / len(info.moves),) * len(info.moves) for h, info in enumerate(tree.infosets)}
    out = []
    for h in mixed:
        info = tree.infosets[h]
        symbolic = {g: (symbols[g], 1 - symbols[g]) if g in symbols and tree.infosets[g].player != info.player else probs
                    for g, probs in behaviour.items()}
        values = subtree_values(symbolic_tree, {**uniform, **symbolic})
        reach = reach_probabilities(symbolic_tree, {**symbolic, h: (one, one)})     # leave out the move here
        sides = [sympy.expand(sum(reach[n] * values[int(tree.first_child[n]) + m][info.player] for n in info.nodes))
                 for m in range(2)]
        unknowns = sympy.expand(sides[0] - sides[1]).free_symbols
        if len(unknowns) != 1:
            continue
        x = next(iter(unknowns))
        # any other unknown cancels in the difference: put the equilibrium's probability in, so that
        # the two sides are the payoffs with everything but x as the equilibrium plays it
        known = {s: behaviour[g][0] for g, s in symbols.items() if s != x}
        sides = [sympy.expand(side.subs(known)) for side in sides]
        roots = [r for r in sympy.solve(sympy.Eq(sides[0], sides[1]), x) if r.is_real and 0 <= r <= 1]
        if len(roots) != 1:
            continue
        root = roots[0]
        value = Fraction(int(root.p), int(root.q)) if root.is_Rational else float(root)
        other = next(g for g, s in symbols.items() if s == x)
        named = sympy.Symbol("x")
        out.append(PinnedMixture(h, other, sides[0].subs(x, named), sides[1].subs(x, named), value))
    return tuple(out)
