"""Pure-strategy Nash equilibria of N-player normal-form games, vectorised with numpy.

A pure profile is an equilibrium when every player's strategy is a best response to the others'
(Nash 1951). For each player i the best responses are the entries of ``payoffs[i]`` that attain the
maximum along axis i; the equilibria are the profiles where all N masks agree. This is one pass of
array maxima over the payoff tensor, as in Gambit's ``enumpure`` but without a loop over profiles.

Exact payoffs (``Fraction``) are brought to a common denominator per player (a positive scaling,
which keeps every comparison) and compared as integers; floats are compared with a tolerance of
``1e-12`` times the payoff range so that rounding does not hide a tie.

Leading batch axes are allowed: ``payoffs`` of shape ``(*batch, N, n_1, ..., n_N)`` gives a mask of
shape ``(*batch, n_1, ..., n_N)``, which the parameter sweeps use to solve a whole grid at once.

>>> import numpy as np
>>> from fractions import Fraction
>>> stag = np.array([[[4, 0], [3, 3]], [[4, 3], [0, 3]]], dtype=object)
>>> pure_equilibrium_indices(stag)
[(0, 0), (1, 1)]
>>> pure_equilibria(stag).profiles[1]
((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1)))
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from solver.core.numbers import TIE_TOLERANCE, is_exact_array
from solver.core.profiles import pure_profile
from solver.equilibria.result import ONLY_PURE, AlgorithmResult, Note

_NUMERATOR = np.frompyfunc(lambda v: v.numerator, 1, 1)
_DENOMINATOR = np.frompyfunc(lambda v: v.denominator, 1, 1)


def comparable_payoffs(payoffs: np.ndarray, num_players: int) -> tuple[np.ndarray, float]:
    """Payoffs in a form whose comparisons are exact: int64 (or Python ints) for Fractions, with
    tolerance 0; float64 with a tie tolerance otherwise."""
    payoffs = np.asarray(payoffs)
    if payoffs.dtype.kind in "iub":
        return payoffs.astype(np.int64), 0.0
    if payoffs.dtype == object and all(isinstance(v, (int, Fraction)) for v in payoffs.flat):
        numerators = _NUMERATOR(payoffs)
        denominators = _DENOMINATOR(payoffs)
        batch = payoffs.shape[: payoffs.ndim - num_players - 1]
        scaled = np.empty(payoffs.shape, dtype=object)
        for index in np.ndindex(*batch, num_players):
            # one positive scale per player keeps every comparison of that player's payoffs
            lcm = math.lcm(*{int(d) for d in denominators[index].flat}) if denominators[index].size else 1
            scaled[index] = numerators[index] * (lcm // denominators[index])
        if all(-2**62 < v < 2**62 for v in (scaled.max(), scaled.min())) if scaled.size else True:
            return scaled.astype(np.int64), 0.0
        return scaled, 0.0
    floats = np.asarray(payoffs, dtype=float)
    span = float(floats.max() - floats.min()) if floats.size else 0.0
    return floats, TIE_TOLERANCE * max(1.0, span)


def best_response_masks(payoffs: np.ndarray, num_players: int) -> np.ndarray:
    """``mask[..., i, s]`` is True where player i's strategy in profile s is a best response."""
    values, tolerance = comparable_payoffs(payoffs, num_players)
    lead = values.ndim - num_players - 1
    masks = np.empty(values.shape, dtype=bool)
    for i in range(num_players):
        own = values[(slice(None),) * lead + (i,)]
        best = own.max(axis=lead + i, keepdims=True)
        masks[(slice(None),) * lead + (i,)] = own >= best - tolerance if tolerance else own == best
    return masks


def pure_equilibrium_mask(payoffs: np.ndarray, num_players: int | None = None) -> np.ndarray:
    """Boolean tensor over profiles (with any leading batch axes): True at pure equilibria."""
    payoffs = np.asarray(payoffs)
    if num_players is None:
        num_players = payoffs.shape[0]
    masks = best_response_masks(payoffs, num_players)
    lead = masks.ndim - num_players - 1
    return np.logical_and.reduce(masks, axis=lead)


def pure_equilibrium_indices(payoffs: np.ndarray) -> list[tuple[int, ...]]:
    """Every pure Nash equilibrium, as strategy-index tuples in lexicographic order."""
    mask = pure_equilibrium_mask(payoffs)
    return [tuple(int(i) for i in index) for index in np.argwhere(mask)]


def pure_equilibria(payoffs: np.ndarray, *, deadline: float | None = None) -> AlgorithmResult:
    """Every pure Nash equilibrium as mixed profiles (exact when the payoffs are).

    With one player this is every optimal strategy, which is complete; with more, mixed equilibria
    are not searched (``complete=False`` and an ``only-pure`` note). One vectorised pass, so the
    deadline is not consulted.
    """
    payoffs = np.asarray(payoffs)
    exact = is_exact_array(payoffs)
    shape = payoffs.shape[1:]
    profiles = tuple(pure_profile(index, shape, exact) for index in pure_equilibrium_indices(payoffs))
    if payoffs.shape[0] == 1:
        return AlgorithmResult("pure", profiles, complete=True, label="best responses (one player)")
    return AlgorithmResult("pure", profiles, complete=False, notes=(Note(ONLY_PURE),))
