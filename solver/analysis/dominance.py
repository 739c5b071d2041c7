"""Iterated elimination of dominated strategies, including domination by mixed strategies.

A strategy ``s`` of player i is *strictly dominated* by a mixed strategy σ (over i's other surviving
strategies) when σ pays i strictly more than ``s`` against every surviving profile of the others;
*weakly dominated* when σ pays at least as much everywhere and strictly more somewhere. Strictly
dominated strategies are never played in any Nash equilibrium, and removing them, round after
round, never removes an equilibrium; the order of strict eliminations does not matter
(Osborne 2004, §2.9 and §4.4; Myerson 1991, §3.9). Weak elimination can remove equilibria and its
result can depend on the order, so it runs only when asked, after strict elimination is exhausted.

Elimination is *simultaneous*: round r takes the game the earlier rounds left (every step records
it as ``remaining``, the strategies each player still has), finds every strategy dominated in that
game, and removes them all together. So each step is a claim about exactly the game it names, and
round r is r levels of "I know that you know … that everyone is rational".

Domination by a mixture is a linear programme (Shoham & Leyton-Brown 2008, §4.5.2): maximise ε
subject to Σ_k σ_k u_i(k, t) ≥ u_i(s, t) + ε for every surviving profile t of the others, σ ≥ 0,
Σ σ = 1; ``s`` is strictly dominated iff ε* > 0. It is solved in floats with
``scipy.optimize.linprog``; for exact payoffs the dominating mixture is then rounded to a nearby
fraction (or rebuilt exactly from the optimal basis, by fraction-free elimination with
:func:`solver.core.linear.solve_any`) and **verified with Fractions** before it is reported, so an
exact game never gets a claim that only holds in floating point.

Accepts a payoff tensor of shape ``(N, n_1, ..., n_N)``: exact (``Fraction``/``int`` objects) or
float64.

>>> import numpy as np
>>> from fractions import Fraction
>>> # Row's M pays (1, 1); T pays (3, 0) and B pays (0, 3): M is dominated only by a mixture.
>>> A = [[3, 0], [1, 1], [0, 3]]
>>> payoffs = np.array([A, [[0, 0], [0, 0], [0, 0]]], dtype=object)
>>> result = iterated_elimination(payoffs)
>>> step = result.eliminations[0]
>>> (step.player, step.strategy, step.dominator, step.strict)
(0, 1, {0: Fraction(1, 2), 2: Fraction(1, 2)}, True)
>>> result.surviving
((0, 2), (0, 1))
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from solver.core.linear import solve_any
from solver.core.numbers import FLOAT_TOLERANCE, is_exact_array


@dataclass(frozen=True)
class Elimination:
    """One eliminated strategy and what dominates it.

    ``dominator`` maps strategy indices of the same player to weights (one entry of weight 1 for a
    pure dominator). ``opponents`` are the others' surviving profiles the comparison ran over (each
    a tuple with one index per *other* player, in player order); ``dominated_payoffs`` and
    ``dominating_payoffs`` are the player's payoffs against each of them. ``remaining`` is the game
    the step is a claim about: per player, the strategies left when its round began (including
    ``strategy`` itself); ``opponents`` are exactly the others' profiles from it.
    """
    round: int
    player: int
    strategy: int
    dominator: dict
    strict: bool
    opponents: tuple
    dominated_payoffs: tuple
    dominating_payoffs: tuple
    remaining: tuple = ()

    @property
    def by_mixture(self) -> bool:
        return len(self.dominator) > 1


@dataclass(frozen=True)
class DominanceResult:
    eliminations: tuple[Elimination, ...]
    surviving: tuple[tuple[int, ...], ...]     # per player, the surviving strategy indices
    weak: bool                                   # whether weak elimination was allowed

    @property
    def rounds(self) -> int:
        return max((e.round for e in self.eliminations), default=0)

    def game_of_round(self, round_number: int) -> tuple[tuple[int, ...], ...]:
        """The strategies each player had when round ``round_number`` began (its steps' game)."""
        return next(e.remaining for e in self.eliminations if e.round == round_number)

    @property
    def solved(self) -> bool:
        """True when a single profile survives."""
        return all(len(s) == 1 for s in self.surviving)


def _opponent_profiles(surviving: Sequence[Sequence[int]], player: int) -> list[tuple[int, ...]]:
    others = [surviving[j] for j in range(len(surviving)) if j != player]
    return list(itertools.product(*others))


def _payoff_rows(payoffs: np.ndarray, player: int, strategies: Sequence[int], opponents) -> dict[int, list]:
    """Player's payoff for each own strategy against each opponent profile."""
    rows = {}
    for s in strategies:
        row = []
        for t in opponents:
            index = list(t[:player]) + [s] + list(t[player:])
            row.append(payoffs[(player,) + tuple(index)])
        rows[s] = row
    return rows


def _compare(dominating, dominated, exact: bool, tolerance: float) -> tuple[bool, bool]:
    """(weakly better everywhere, strictly better somewhere) and whether strictly better everywhere."""
    if exact:
        ge = all(a >= b for a, b in zip(dominating, dominated))
        gt_all = all(a > b for a, b in zip(dominating, dominated))
        gt_any = any(a > b for a, b in zip(dominating, dominated))
    else:
        ge = all(a >= b - tolerance for a, b in zip(dominating, dominated))
        gt_all = all(a > b + tolerance for a, b in zip(dominating, dominated))
        gt_any = any(a > b + tolerance for a, b in zip(dominating, dominated))
    return gt_all, ge and gt_any


def _mix(rows: dict[int, list], weights: dict[int, object]) -> list:
    keys = list(weights)
    length = len(rows[keys[0]])
    return [sum(weights[k] * rows[k][c] for k in keys) for c in range(length)]


def _linprog_mixture(rows: dict[int, list], target: list, strict: bool):
    """The LP in floats: weights over ``rows`` (dict), or None when no dominating mixture exists."""
    # scipy.optimize is slow to import and only mixtures need it: load it here
    from scipy.optimize import linprog

    keys = list(rows)
    U = np.array([[float(v) for v in rows[k]] for k in keys])          # (K, T)
    u = np.array([float(v) for v in target])                           # (T,)
    K, T = U.shape
    scale = max(1.0, float(np.max(np.abs(U))), float(np.max(np.abs(u))) if u.size else 1.0)
    if strict:
        # variables: σ (K), ε; maximise ε: minimise −ε
        c = np.zeros(K + 1)
        c[-1] = -1.0
        A_ub = np.hstack([-U.T, np.ones((T, 1))])                       # −Uσ + ε ≤ −u
        b_ub = -u
        A_eq = np.hstack([np.ones((1, K)), np.zeros((1, 1))])
        bounds = [(0, None)] * K + [(None, scale)]
        result = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=bounds, method="highs")
        if result.status != 0 or -result.fun <= FLOAT_TOLERANCE * scale:
            return None
        sigma = result.x[:K]
    else:
        # maximise total slack Σ_t (Uσ − u)_t subject to Uσ ≥ u
        c = -U.sum(axis=1)
        result = linprog(c, A_ub=-U.T, b_ub=-u, A_eq=np.ones((1, K)), b_eq=[1.0], bounds=[(0, None)] * K,
                         method="highs")
        if result.status != 0:
            return None
        sigma = result.x
        if float((U.T @ sigma - u).sum()) <= FLOAT_TOLERANCE * scale:
            return None
    sigma = np.clip(sigma, 0, None)
    sigma = sigma / sigma.sum()
    return {k: float(w) for k, w in zip(keys, sigma) if w > 1e-12}


def _exact_candidates(weights: dict[int, float], rows: dict[int, list], target: list):
    """Fractions near the LP weights: nice denominators first, then a basis solved exactly."""
    keys = list(weights)
    for bound in (2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 100, 1000, 10 ** 6):
        approx = {k: Fraction(weights[k]).limit_denominator(bound) for k in keys}
        approx = {k: v for k, v in approx.items() if v > 0}
        if not approx:
            continue
        total = sum(approx.values())
        if total != 1:
            # put the rounding error on the largest weight
            largest = max(approx, key=lambda k: approx[k])
            approx[largest] += 1 - total
            if approx[largest] <= 0:
                continue
        yield approx
    # Rebuild the vertex exactly: tight constraints on the support, solved with Fractions.
    support = [k for k in keys if weights[k] > 1e-9]
    mixed = _mix({k: [float(v) for v in rows[k]] for k in support}, {k: weights[k] for k in support})
    slack = [m - float(t) for m, t in zip(mixed, target)]
    smallest = min(slack) if slack else 0
    tight = [c for c, s in enumerate(slack) if abs(s - smallest) <= 1e-7 * max(1.0, abs(smallest))]
    # equations: Σ σ_k (u_k,c − u_k,c0) = 0 for tight c vs the first tight c0, and Σσ = 1
    equations = []
    if tight:
        c0 = tight[0]
        for c in tight[1:]:
            equations.append([Fraction(rows[k][c]) - Fraction(target[c]) - Fraction(rows[k][c0]) + Fraction(target[c0])
                              for k in support] + [Fraction(0)])
    equations.append([Fraction(1)] * len(support) + [Fraction(1)])
    solution = solve_any(equations, len(support))
    if solution is not None and all(v >= 0 for v in solution):
        yield {k: v for k, v in zip(support, solution) if v != 0}


def find_dominator(payoffs: np.ndarray, player: int, strategy: int, surviving: Sequence[Sequence[int]],
                   strict: bool = True, mixed: bool = True):
    """A (pure or mixed) strategy over the player's other surviving strategies that dominates
    ``strategy``, as ``(weights, opponents, dominated_payoffs, dominating_payoffs)``; None if there is none.

    Pure dominators are preferred (the one with the largest total margin); a mixture is sought by
    linear programming only when no pure strategy dominates.
    """
    exact = is_exact_array(np.asarray(payoffs))
    opponents = _opponent_profiles(surviving, player)
    others = [k for k in surviving[player] if k != strategy]
    if not others or not opponents:
        return None
    rows = _payoff_rows(payoffs, player, others + [strategy], opponents)
    target = rows.pop(strategy)
    values = np.asarray([float(v) for r in rows.values() for v in r] + [float(v) for v in target])
    tolerance = 0.0 if exact else FLOAT_TOLERANCE * max(1.0, float(np.ptp(values)) if values.size else 1.0)
    best = None
    for k in others:
        strictly, weakly = _compare(rows[k], target, exact, tolerance)
        if strictly or (not strict and weakly):
            margin = sum(float(a) - float(b) for a, b in zip(rows[k], target))
            if best is None or margin > best[0]:
                best = (margin, k)
    if best is not None:
        k = best[1]
        one = Fraction(1) if exact else 1.0
        return {k: one}, tuple(opponents), tuple(target), tuple(rows[k])
    if not mixed or len(others) < 2:
        return None
    weights = _linprog_mixture(rows, target, strict)
    if weights is None:
        return None
    if len(weights) == 1:
        return None        # the LP found a pure dominator that the exact comparison rejected
    if exact:
        for candidate in _exact_candidates(weights, rows, target):
            mixture = _mix(rows, candidate)
            strictly, weakly = _compare(mixture, target, True, 0.0)
            if (strictly or (not strict and weakly)) and len(candidate) >= 1:
                return candidate, tuple(opponents), tuple(target), tuple(mixture)
        return None
    mixture = _mix(rows, weights)
    strictly, weakly = _compare(mixture, target, False, tolerance)
    if strictly or (not strict and weakly):
        return weights, tuple(opponents), tuple(target), tuple(mixture)
    return None


def _one_round(payoffs, surviving: list[list[int]], strict: bool, mixed: bool, round_number: int) -> list[Elimination]:
    """One round: every strategy checked against the game at the round's start, the dominated ones
    then removed together (a player always keeps at least one: see below)."""
    game = tuple(tuple(s) for s in surviving)
    steps = []
    for player, strategies in enumerate(game):
        found_here = []
        for strategy in strategies:
            found = find_dominator(payoffs, player, strategy, game, strict=strict, mixed=mixed)
            if found is not None:
                weights, opponents, target, mixture = found
                found_here.append(Elimination(round_number, player, strategy, dict(sorted(weights.items())), strict,
                                              opponents, target, mixture, game))
        # With exact payoffs the strategy with the largest payoff sum is never dominated, so some
        # strategy survives; float tolerances could in principle claim all of them: claim none then.
        if len(found_here) < len(strategies):
            steps.extend(found_here)
    for step in steps:
        surviving[step.player].remove(step.strategy)
    return steps


def iterated_elimination(payoffs: np.ndarray, weak: bool = False, mixed: bool = True) -> DominanceResult:
    """Eliminate strictly dominated strategies round by round until none is left; with ``weak``,
    then also weakly dominated ones (a round of weak elimination only when no strategy is strictly
    dominated, strict rounds in between).

    Each round checks every strategy against the game left by the rounds before it (the step's
    ``remaining``) and removes all the dominated ones at once.
    """
    payoffs = np.asarray(payoffs)
    surviving = [list(range(n)) for n in payoffs.shape[1:]]
    steps: list[Elimination] = []
    round_number = 0
    while True:
        round_number += 1
        found = _one_round(payoffs, surviving, True, mixed, round_number)
        if not found and weak:
            found = _one_round(payoffs, surviving, False, mixed, round_number)
        if not found:
            break
        steps.extend(found)
    return DominanceResult(tuple(steps), tuple(tuple(s) for s in surviving), weak)
