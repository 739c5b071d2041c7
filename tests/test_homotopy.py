"""Tests for solver.equilibria.homotopy (logit-QRE path tracing, one equilibrium)."""
from __future__ import annotations

import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.equilibria.homotopy import HomotopyTimeout, one_equilibrium, polish
from solver.equilibria.polynomial import enumerate_polynomial
from solver.core.numbers import payoff_scale
from solver.core.regret import is_nash, max_regret


def _same(p, q, atol=1e-6) -> bool:
    return all(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), atol=atol, rtol=0)
               for a, b in zip(p, q))


def _assert_polished(U, prof):
    U = np.asarray(U, dtype=float)
    assert all(p.dtype == np.float64 for p in prof)
    assert all(abs(p.sum() - 1) < 1e-12 and p.min() >= 0 for p in prof)
    assert max_regret(U, prof) <= 1e-9 * payoff_scale(U)


@st.composite
def gaussian_games(draw, shapes):
    shape = draw(st.sampled_from(shapes))
    seed = draw(st.integers(0, 2 ** 32 - 1))
    return np.random.default_rng(seed).normal(size=(len(shape),) + shape)


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(gaussian_games([(3, 3, 3), (2, 2, 2, 2), (4, 3, 2)]))
def test_random_games_verified(U):
    _assert_polished(U, one_equilibrium(U))


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(gaussian_games([(2, 2, 2), (2, 2, 3), (2, 3, 3)]))
def test_result_is_among_all_equilibria(U):
    prof = one_equilibrium(U)
    _assert_polished(U, prof)
    assert any(_same(prof, q) for q in enumerate_polynomial(U).equilibria)


@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 2), min_size=24, max_size=24))
def test_degenerate_small_integer_games(vals):
    # ties everywhere: still a verified equilibrium (possibly inside a continuum)
    U = np.array(vals, dtype=object).reshape(3, 2, 2, 2)
    _assert_polished(U, one_equilibrium(U))


def test_jordan_matching_pennies():
    U = np.zeros((3, 2, 2, 2))
    for a, b, c in np.ndindex(2, 2, 2):
        U[0, a, b, c] = a == b
        U[1, a, b, c] = b == c
        U[2, a, b, c] = c != a
    prof = one_equilibrium(U)
    _assert_polished(U, prof)
    assert _same(prof, [np.full(2, 0.5)] * 3, atol=1e-12)


def test_two_player_game():
    # Battle of the sexes-like 2x2: the logit limit is one of its three equilibria.
    A = np.array([[3.0, 0.0], [0.0, 1.0]])
    B = np.array([[1.0, 0.0], [0.0, 3.0]])
    prof = one_equilibrium(np.array([A, B]))
    _assert_polished(np.array([A, B]), prof)


def test_deadline_in_the_past():
    U = np.random.default_rng(0).normal(size=(3, 3, 3, 3))
    with pytest.raises(HomotopyTimeout):
        one_equilibrium(U, deadline=time.monotonic() - 1)


def test_polish_recovers_exact_support_solution():
    # McKelvey-McLennan totally mixed equilibrium (2/5, 3/5), (1/2, 1/2), (1/3, 2/3), from a
    # rough start on its support
    vals = [(9, 8, 12), (0, 0, 0), (0, 0, 0), (9, 8, 2), (0, 0, 0), (3, 4, 6), (3, 4, 6), (0, 0, 0)]
    U = np.zeros((3, 2, 2, 2))
    for k, (c, b, a) in enumerate(np.ndindex(2, 2, 2)):
        U[:, a, b, c] = vals[k]
    start = [np.array([0.38, 0.62]), np.array([0.53, 0.47]), np.array([0.3, 0.7])]
    prof = polish(U, [(0, 1)] * 3, start)
    assert prof is not None and is_nash(U, prof)
    assert _same(prof, [[0.4, 0.6], [0.5, 0.5], [1 / 3, 2 / 3]], atol=1e-12)


def test_bad_shape_rejected():
    with pytest.raises(ValueError):
        one_equilibrium(np.zeros((2, 2)))
