"""Regret: how much a player gains by deviating from a mixed profile of a normal-form game.

A profile is a Nash equilibrium when no player can gain by a unilateral deviation, i.e. when each
player's *regret* (best pure deviation payoff minus current payoff) is zero [Nash 1951]. For exact
payoffs (``fractions.Fraction`` in object arrays) the check is exact; for floats it uses a tolerance
scaled to the range of the payoffs.

Payoffs are a tensor of shape ``(N, n_1, ..., n_N)``; a profile is a sequence of N probability
vectors.

    J. Nash (1951), "Non-cooperative games", Annals of Mathematics 54, 286–295.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

from solver.core.numbers import FLOAT_TOLERANCE, is_exact_array, payoff_scale


def deviation_payoffs(payoffs: np.ndarray, profile: Sequence[np.ndarray]) -> list[np.ndarray]:
    """For each player i, the vector of i's expected payoffs for each pure strategy of i against
    the others' mixed strategies in ``profile``."""
    n_players = payoffs.shape[0]
    result = []
    for i in range(n_players):
        tensor = payoffs[i]
        # Contract the other players' axes from the last to the first so axis numbers stay valid.
        for j in reversed(range(n_players)):
            if j != i:
                tensor = np.tensordot(tensor, np.asarray(profile[j], dtype=tensor.dtype), axes=([j], [0]))
        result.append(tensor)
    return result


def expected_payoffs(payoffs: np.ndarray, profile: Sequence[np.ndarray]) -> list:
    """Each player's expected payoff under ``profile``."""
    deviations = deviation_payoffs(payoffs, profile)
    return [np.dot(deviations[i], np.asarray(profile[i], dtype=deviations[i].dtype))
            for i in range(payoffs.shape[0])]


def regrets(payoffs: np.ndarray, profile: Sequence[np.ndarray]) -> list:
    """Each player's regret: best pure deviation payoff minus the payoff of ``profile``."""
    deviations = deviation_payoffs(payoffs, profile)
    return [max(deviations[i]) - np.dot(deviations[i], np.asarray(profile[i], dtype=deviations[i].dtype))
            for i in range(payoffs.shape[0])]


def is_probability_vector(vector: np.ndarray, exact: bool) -> bool:
    if exact:
        return all(v >= 0 for v in vector) and sum(vector) == 1
    vector = np.asarray(vector, dtype=float)
    return bool(np.all(vector >= -FLOAT_TOLERANCE) and abs(vector.sum() - 1) <= 1e-9 * len(vector))


def is_nash(payoffs: np.ndarray, profile: Sequence[np.ndarray], tolerance: float | None = None) -> bool:
    """Whether ``profile`` is a Nash equilibrium of the game with payoff tensor ``payoffs``.

    Exact (zero regret) when payoffs and profile are exact; otherwise regret must be at most
    ``tolerance`` (default ``FLOAT_TOLERANCE`` times the payoff range).

    >>> import numpy as np
    >>> pd = np.array([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], dtype=object)
    >>> is_nash(pd, [np.array([0, 1]), np.array([0, 1])])
    True
    >>> is_nash(pd, [np.array([1, 0]), np.array([1, 0])])
    False
    """
    exact = is_exact_array(np.asarray(payoffs)) and all(is_exact_array(np.asarray(p, dtype=object)) for p in profile)
    if exact:
        payoffs = np.asarray(payoffs, dtype=object)
        profile = [np.asarray(p, dtype=object) for p in profile]
        if not all(is_probability_vector(p, True) for p in profile):
            return False
        return all(r == 0 for r in regrets(payoffs, profile))
    payoffs = np.asarray(payoffs, dtype=float)
    profile = [np.asarray(p, dtype=float) for p in profile]
    if not all(is_probability_vector(p, False) for p in profile):
        return False
    if tolerance is None:
        tolerance = FLOAT_TOLERANCE * payoff_scale(payoffs)
    return all(r <= tolerance for r in regrets(payoffs, profile))


def max_regret(payoffs: np.ndarray, profile: Sequence[np.ndarray]):
    """The largest regret over players (exact when inputs are exact)."""
    exact = is_exact_array(np.asarray(payoffs)) and all(is_exact_array(np.asarray(p, dtype=object)) for p in profile)
    if exact:
        return max(regrets(np.asarray(payoffs, dtype=object), [np.asarray(p, dtype=object) for p in profile]))
    return float(max(regrets(np.asarray(payoffs, dtype=float), [np.asarray(p, dtype=float) for p in profile])))


def is_constant_sum(A, B) -> bool:
    """Whether A + B is the same number in every cell (exactly, or within float tolerance)."""
    A, B = np.asarray(A), np.asarray(B)
    if A.shape != B.shape or A.size == 0:
        return False
    if is_exact_array(A) and is_exact_array(B):
        total = np.asarray(A, dtype=object) + np.asarray(B, dtype=object)
        first = total.flat[0]
        return all(v == first for v in total.flat)
    total = A.astype(float) + B.astype(float)
    scale = max(payoff_scale(A.astype(float)), payoff_scale(B.astype(float)))
    return bool(np.ptp(total) <= FLOAT_TOLERANCE * scale)
