"""Exact thresholds for perfect Bayesian equilibria: the values of one parameter at which the set
of PBE (or of sequential equilibria) changes.

In a signalling game every condition that decides whether a profile is a PBE, and whether it
survives the Intuitive Criterion or D1, compares two of the sender's payoffs, or the receiver's
expected payoffs under a belief that is a type's point mass or the prior restricted to a set of
types (pooling); a hybrid's probabilities leave (0, 1) exactly where such a comparison ties. So the
set of equilibria can change only at a zero of one of these differences (as functions of the
parameter, found exactly with sympy by :func:`solver.analysis.roots.real_roots`). Between
consecutive candidates the set is computed once, exactly, at a rational interior point, and at each
rational candidate itself; equal neighbours are merged (the method of
:mod:`solver.analysis.thresholds`). For other trees the candidates are the zeros of differences
between any two leaves' payoffs to one player. Either way a check of ``CHECK_POINTS`` evenly
spaced values reports any change the candidates missed, as approximate.

>>> from solver.api import load_game
>>> report = pbe_thresholds(load_game("games/beer_quiche.yaml"), "prior_strong")
>>> [str(p) for p in report.thresholds]
['1/2']
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

import sympy

from solver.analysis.roots import rational_between, real_roots, unique_sorted
from solver.api import SolveError, parameter_values, solve
from solver.equilibria.signalling import signalling_structure
from solver.model.expr import symbol
from solver.model.tree import ExtensiveGame

CHECK_POINTS = 21


@dataclass(frozen=True)
class Stretch:
    """Parameter values ``low``–``high`` (a single point when equal) with the same equilibria,
    as :func:`outcomes` describes them (classification, moves on the path, refinements)."""
    low: sympy.Expr
    high: sympy.Expr
    equilibria: tuple[str, ...]
    closed_low: bool = True
    closed_high: bool = True


@dataclass(frozen=True)
class PBEThresholds:
    parameter: str
    concept: str
    thresholds: tuple[sympy.Expr, ...]
    stretches: tuple[Stretch, ...]
    approximate: tuple[float, ...] = ()       # changes found by the check only


def describe(equilibrium) -> str:
    """An equilibrium by its supports, leaving out the moves at information sets off the path:
    ``pooling: Sender strong Beer, weak Beer; Receiver Beer Decline (Intuitive Criterion fails)``.
    Profiles that differ only off the path get the same description (:func:`outcomes` counts them)."""
    record = equilibrium.assessment
    off = {label for label, c in record["belief_conditions"].items() if not c["on_path"]}
    parts = []
    for player, points in equilibrium.strategies.items():
        moves = ", ".join(f"{label} {'+'.join(m for m, p in probs.items() if p > 0)}" for label, probs in points.items()
                          if label not in off)
        if moves:
            parts.append(f"{player} {moves}")
    text = "; ".join(parts)
    if "classification" in record:
        text = f"{record['classification']}: {text}"
    failed = [name for key, name in (("intuitive_criterion", "Intuitive Criterion"), ("d1", "D1"))
              if key in record and record[key]["holds"] is False]
    return text + (f" (fails {' and '.join(failed)})" if failed else "")


def outcomes(equilibria) -> tuple[str, ...]:
    """The equilibria grouped by :func:`describe`, each with how many profiles (responses off the
    path) it stands for, sorted."""
    counts: dict[str, int] = {}
    for e in equilibria:
        counts[describe(e)] = counts.get(describe(e), 0) + 1
    return tuple(sorted(f"{text} [{n} profiles differing off the path]" if n > 1 else text for text, n in counts.items()))


def _symbolic_tree(game: ExtensiveGame, parameter: str, values: Mapping) -> ExtensiveGame:
    """The tree with every parameter but ``parameter`` at its value."""
    others = {symbol(k): sympy.Rational(str(v)) for k, v in values.items() if k != parameter}
    def substitute(array):
        out = array.copy()
        for index, value in enumerate(array.flat):
            out.flat[index] = sympy.sympify(value).subs(others)
        return out
    return game.with_changes(leaf_payoffs=substitute(game.leaf_payoffs), chance_probs=substitute(game.chance_probs))


def candidate_expressions(game: ExtensiveGame, numeric: ExtensiveGame, parameter: str, values: Mapping) -> list:
    """The differences whose zeros are the candidate thresholds (module docstring)."""
    tree = _symbolic_tree(game, parameter, values)
    structure = signalling_structure(numeric)
    if structure is None:
        leaves = list(tree.terminal_nodes())
        return [tree.leaf_payoffs[a][i] - tree.leaf_payoffs[b][i] for a, b in itertools.combinations(leaves, 2)
                for i in range(tree.num_players)] + [tree.chance_probs[n] for n in range(tree.num_nodes)]
    s, r = structure.sender, structure.receiver
    prior = [tree.chance_probs[c] for c in tree.children(0)]
    def pay(player, t, m, a):
        return tree.leaf_payoffs[list(tree.children(structure.node[t][m]))[a]][player]
    types, messages, responses = range(len(structure.types)), range(len(structure.messages)), range(len(structure.responses))
    out = [pay(s, t, m, a) - pay(s, t, n, b) for t in types for m, n in itertools.product(messages, repeat=2)
           for a, b in itertools.product(responses, repeat=2)]
    for m in messages:
        for a, b in itertools.combinations(responses, 2):
            for size in range(1, len(structure.types) + 1):
                for subset in itertools.combinations(types, size):
                    out.append(sum(prior[t] * (pay(r, t, m, a) - pay(r, t, m, b)) for t in subset))
    return out + prior


def _signature(game, parameter: str, values: Mapping, value, concept: str) -> tuple[str, ...]:
    return outcomes(solve(game, {**values, parameter: value}, concept=concept).equilibria)


def pbe_thresholds(game, parameter: str, settings: Mapping[str, object] | None = None, *, concept: str = "pbe",
                   domain: tuple | None = None) -> PBEThresholds:
    """The thresholds of ``parameter`` for ``--concept pbe`` (or ``sequential``), with the
    equilibria on every stretch between them."""
    if not isinstance(game, ExtensiveGame):
        raise SolveError("perfect Bayesian thresholds need a sequential game", "--concept")
    values = parameter_values(game, settings)
    described = {p.name: p for p in game.info.parameters}
    if parameter not in described:
        raise SolveError(f"unknown parameter '{parameter}' (parameters: {', '.join(sorted(described)) or 'none'})", "--param")
    lo, hi = (sympy.Rational(str(v)) for v in (domain or described[parameter].range or (0, 1)))
    numeric = game.evaluated(values)
    x = symbol(parameter)
    found = []
    for expr in candidate_expressions(game, numeric, parameter, values):
        roots, _ = real_roots(expr, x, lo, hi)
        found += roots
    candidates = unique_sorted(found)
    bounds = [lo] + candidates + [hi]
    stretches: list[Stretch] = []

    def add(a, b, signature):
        closed = a == b                       # a point, or the open interval between two candidates
        if stretches and stretches[-1].equilibria == signature:
            last = stretches[-1]
            stretches[-1] = Stretch(last.low, b, signature, last.closed_low, closed)
        else:
            stretches.append(Stretch(a, b, signature, closed, closed))
    for k, (a, b) in enumerate(zip(bounds, bounds[1:])):
        if k == 0:
            add(a, a, _signature(game, parameter, values, Fraction(str(a)), concept))
        add(a, b, _signature(game, parameter, values, Fraction(str(rational_between(a, b))), concept))
        if b.is_Rational:
            add(b, b, _signature(game, parameter, values, Fraction(str(b)), concept))
    thresholds = tuple(dict.fromkeys(s.low for s in stretches[1:] if lo < s.low < hi))
    return PBEThresholds(parameter, concept, thresholds, tuple(stretches),
                         _unexplained(game, parameter, values, concept, stretches, lo, hi))


def _unexplained(game, parameter, values, concept, stretches, lo, hi) -> tuple[float, ...]:
    """Evenly spaced values where the equilibria differ from their stretch's (a missed change)."""
    missed = []
    for k in range(CHECK_POINTS):
        value = lo + (hi - lo) * sympy.Rational(k, CHECK_POINTS - 1)
        stretch = next((s for s in stretches if s.low <= value <= s.high and (s.low == s.high or s.low < value < s.high)), None)
        if stretch is not None and _signature(game, parameter, values, Fraction(str(value)), concept) != stretch.equilibria:
            missed.append(float(value))
    return tuple(missed)
