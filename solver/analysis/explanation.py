"""The computation behind ``solve explain`` and the report's step-by-step section, as data.

An :class:`Explanation` is the numeric game and a list of parts, each a dataclass holding what one
step of the reasoning found; :mod:`solver.present.explain` puts each part in words.

- Normal form: :class:`Dominance` (iterated elimination, also by mixtures, round by round; each
  round checks every strategy in the game the rounds before it left, which its steps record),
  :class:`BestResponses` (the payoff matrix with best responses marked), :class:`PureEquilibria`
  and :class:`MixedEquilibria`: each mixed equilibrium with the indifference conditions that pin
  it down, solved exactly, and what each strategy earns against the others' mixtures.
- Trees: :mod:`solver.analysis.tree_explanation` (backward induction node by node, the path,
  empty threats; beliefs and indifference at information sets).

>>> from solver.api import load_game
>>> explanation = explain_game(load_game("games/prisoners_dilemma.yaml"))
>>> [type(part).__name__ for part in explanation.parts]
['Dominance', 'BestResponses', 'PureEquilibria', 'MixedEquilibria']
>>> explanation.parts[2].profiles
((1, 1),)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

from solver.analysis.pictures import MarkedMatrix, marked_matrix
from solver.analysis.tree_explanation import (imperfect_information_parts, perfect_information_parts,
                                              solve_quietly)
from solver.api import evaluate_game, parameter_values
from solver.core.linear import rref, solve_any
from solver.core.numbers import FLOAT_TOLERANCE, clean, is_exact_number, to_fraction
from solver.core.regret import deviation_payoffs
from solver.analysis.dominance import DominanceResult, iterated_elimination
from solver.equilibria.pure import pure_equilibrium_indices
from solver.model.normal import NormalFormGame
from solver.model.tree import ExtensiveGame
from solver.results import Equilibrium, Solution

#: Above this many profiles the explanation leaves out the payoff matrix.
MAX_MATRIX_CELLS = 400
#: Seconds the mixed equilibria of a normal form may take.
MIXED_TIMEOUT = 30


@dataclass(frozen=True)
class Explanation:
    """What ``solve explain`` says about a game (its ``title``) at parameter ``values``:
    ``game`` is the numeric game and ``parts`` the steps, in the order they are told."""
    title: str
    values: Mapping[str, object]
    game: NormalFormGame | ExtensiveGame
    parts: tuple


@dataclass(frozen=True)
class Dominance:
    """Iterated elimination of dominated strategies (strict, then weak when ``weak``)."""
    result: DominanceResult
    weak: bool


@dataclass(frozen=True)
class BestResponses:
    """The payoff matrix with best responses marked; ``matrix`` is None when the game has more
    than ``MAX_MATRIX_CELLS`` profiles (``cells``)."""
    matrix: MarkedMatrix | None
    cells: int


@dataclass(frozen=True)
class PureEquilibria:
    """The pure equilibria (for one player, the best strategies) as strategy indices."""
    profiles: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Indifference:
    """Why a player of a two-player game mixes as they do: the other player must be indifferent
    among the strategies they use. ``rows``: for each of those strategies, the other player's
    payoff against each of the mixer's strategies in use (``support``); ``solved``: the mixer's
    probabilities on ``support`` that make the rows equal, when the equations pin them down;
    ``mixture``: the equilibrium's probabilities on ``support``."""
    mixer: int
    support: tuple[int, ...]
    rows: tuple[tuple[int, tuple], ...]
    solved: tuple | None
    mixture: tuple


@dataclass(frozen=True)
class Earnings:
    """What each strategy of ``player`` earns against the others' equilibrium mixtures;
    ``support``: the strategies the player uses; ``unbeaten``: the others earn no more."""
    player: int
    support: tuple[int, ...]
    payoffs: tuple
    unbeaten: bool


@dataclass(frozen=True)
class MixedAccount:
    """One mixed equilibrium and the steps that pin it down, in the order they are told."""
    equilibrium: Equilibrium
    steps: tuple


@dataclass(frozen=True)
class MixedEquilibria:
    """The equilibria of ``solve`` in which someone mixes; ``problem`` says why ``solution`` is
    None. Continua are the solution's ``components`` and ``families``."""
    solution: Solution | None
    problem: str
    accounts: tuple[MixedAccount, ...]


# ---- the entry point ----------------------------------------------------------------------------
def explain_game(game, parameters: Mapping[str, object] | None = None, weak: bool = False) -> Explanation:
    """The explanation of ``game`` (as loaded) at ``parameters`` (its defaults if None)."""
    values = parameter_values(game, parameters)
    numeric = evaluate_game(game, values)
    if isinstance(numeric, NormalFormGame):
        parts = normal_form_parts(game, numeric, parameters, weak)
    elif numeric.is_perfect_information:
        parts = perfect_information_parts(game, numeric, parameters)
    else:
        parts = imperfect_information_parts(game, numeric, parameters)
    return Explanation(game.info.title, values, numeric, tuple(parts))


def dominance_part(numeric: NormalFormGame, weak: bool = False) -> Dominance:
    """Iterated elimination, round by round; each step records the game it was checked in."""
    return Dominance(iterated_elimination(numeric.payoffs, weak=weak), weak)


def normal_form_parts(game, numeric: NormalFormGame, parameters, weak: bool) -> list:
    cells = math.prod(numeric.shape)
    parts = [dominance_part(numeric, weak),
             BestResponses(marked_matrix(numeric) if cells <= MAX_MATRIX_CELLS else None, cells),
             PureEquilibria(tuple(pure_equilibrium_indices(numeric.payoffs)))]
    if numeric.num_players >= 2:
        parts.append(mixed_equilibria(game, numeric, parameters))
    return parts


# ---- mixed equilibria ---------------------------------------------------------------------------
def mixed_equilibria(game, numeric: NormalFormGame, parameters) -> MixedEquilibria:
    solution, problem = solve_quietly(game, parameters, timeout=MIXED_TIMEOUT)
    if solution is None:
        return MixedEquilibria(None, problem, ())
    accounts = []
    for equilibrium in solution.equilibria:
        if equilibrium.pure:
            continue
        profile = [[equilibrium.strategies[p][s] for s in numeric.strategies[i]] for i, p in enumerate(numeric.players)]
        steps = two_player_steps(numeric, profile) if numeric.num_players == 2 else many_player_steps(numeric, profile)
        accounts.append(MixedAccount(equilibrium, tuple(steps)))
    return MixedEquilibria(solution, "", tuple(accounts))


def _support(vector) -> tuple[int, ...]:
    return tuple(k for k, v in enumerate(vector) if v != 0)


def earnings(game: NormalFormGame, profile) -> list[Earnings]:
    """For each player, what each strategy earns against the others' mixtures in ``profile``."""
    exact = game.is_exact and all(is_exact_number(v) for p in profile for v in p)
    dtype = object if exact else float
    tolerance = 0 if exact else FLOAT_TOLERANCE
    deviations = deviation_payoffs(np.asarray(game.payoffs, dtype=dtype), [np.asarray(p, dtype=dtype) for p in profile])
    out = []
    for i, vector in enumerate(profile):
        support = _support(vector)
        payoffs = tuple(clean(v) for v in deviations[i])
        value = payoffs[support[0]]
        unbeaten = all(payoffs[k] <= value + tolerance for k in range(len(payoffs)) if k not in support)
        out.append(Earnings(i, support, payoffs, unbeaten))
    return out


def two_player_steps(game: NormalFormGame, profile) -> list:
    """For each player who mixes: the other's indifference that pins the mixture down, then what
    the other's strategies earn."""
    steps = []
    earned = earnings(game, profile)
    for mixer in (0, 1):
        other = 1 - mixer
        support = _support(profile[mixer])
        if len(support) < 2:
            continue
        rows = tuple((s, tuple(_payoff(game, other, s, t) for t in support)) for s in _support(profile[other]))
        solved = _pinned_pair(rows) if len(support) == 2 else _pinned([r for _, r in rows], game.is_exact)
        steps.append(Indifference(mixer, support, rows, solved, tuple(profile[mixer][t] for t in support)))
        steps.append(earned[other])
    return steps


def _payoff(game: NormalFormGame, player: int, own: int, other: int):
    """A two-player game's payoff to ``player`` for its strategy ``own`` against ``other``."""
    return game.payoffs[(player,) + ((own, other) if player == 0 else (other, own))]


def many_player_steps(game: NormalFormGame, profile) -> list[Earnings]:
    """For 3+ players: what each mixing player's strategies earn given the others' mixtures."""
    return [e for e in earnings(game, profile) if len(e.support) >= 2]


def _pinned_pair(rows) -> tuple | None:
    """The mixture (q, 1 − q) over two strategies that makes the first two rows with different
    slopes equal: q·a + (1 − q)·b = q·c + (1 − q)·d. None when every pair is parallel."""
    if len(rows) < 2:
        return None
    for (_, first), (_, second) in zip(rows, rows[1:]):
        slope = (first[0] - first[1]) - (second[0] - second[1])
        if slope != 0:
            q = clean((second[1] - first[1]) / slope)
            return q, 1 - q
    return None


def _pinned(rows: Sequence[Sequence], exact: bool) -> tuple | None:
    """The probabilities x (summing to 1) with rows[0]·x = rows[1]·x = …, when they are unique."""
    n = len(rows[0])
    differences = [[to_fraction(a) - to_fraction(b) for a, b in zip(row, rows[0])] for row in rows[1:]]
    coefficients = differences + [[Fraction(1)] * n]
    if len(rref(coefficients, n)[1]) < n:
        return None
    solution = solve_any([row + [Fraction(0)] for row in differences] + [[Fraction(1)] * n + [Fraction(1)]], n)
    if solution is None:
        return None
    return tuple(solution) if exact else tuple(float(v) for v in solution)
