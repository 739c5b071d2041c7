"""Tests for solver.equilibria.homotopy (logit-QRE path tracing, one equilibrium)."""
from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.core.numbers import payoff_scale, regret_tolerance
from solver.core.regret import is_nash, max_regret
from solver.equilibria import registry
from solver.equilibria.homotopy import one_equilibrium, polish
from solver.equilibria.polynomial import enumerate_polynomial
from solver.equilibria.result import APPROXIMATE, DEADLINE, ONE_EQUILIBRIUM
from solver.model.normal import NormalFormGame


def _same(p, q, atol=1e-6) -> bool:
    return all(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), atol=atol, rtol=0)
               for a, b in zip(p, q))


def _is_exact(prof) -> bool:
    return all(isinstance(v, Fraction) for p in prof for v in p)


def _assert_polished(U, res):
    """One verified equilibrium: exact with regret exactly 0 (exact payoffs only), or floats with
    regret at most 1e-9 times the payoff range. Returns it."""
    assert res.method == "homotopy" and res.complete is False and res.has_note(ONE_EQUILIBRIUM)
    assert not res.approximate and len(res.profiles) == 1
    prof = res.profiles[0]
    if _is_exact(prof):
        assert np.asarray(U).dtype != float
        assert all(sum(p) == 1 and min(p) >= 0 for p in prof)
        assert max_regret(np.asarray(U, dtype=object), [np.asarray(p, dtype=object) for p in prof]) == 0
        return prof
    U = np.asarray(U, dtype=float)
    assert all(isinstance(v, float) for p in prof for v in p)
    vectors = [np.asarray(p) for p in prof]
    assert all(abs(p.sum() - 1) < 1e-12 and p.min() >= 0 for p in vectors)
    assert max_regret(U, vectors) <= 1e-9 * payoff_scale(U)
    return prof


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
    prof = _assert_polished(U, one_equilibrium(U))
    assert any(_same(prof, q) for q in enumerate_polynomial(U).profiles)


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
    prof = _assert_polished(U, one_equilibrium(U))
    assert _same(prof, [np.full(2, 0.5)] * 3, atol=1e-12)


def test_two_player_game():
    # Battle of the sexes-like 2x2: the logit limit is one of its three equilibria.
    A = np.array([[3.0, 0.0], [0.0, 1.0]])
    B = np.array([[1.0, 0.0], [0.0, 3.0]])
    _assert_polished(np.array([A, B]), one_equilibrium(np.array([A, B])))


def test_deadline_in_the_past():
    U = np.random.default_rng(0).normal(size=(3, 3, 3, 3))
    res = one_equilibrium(U, deadline=time.monotonic() - 1)
    assert res.complete is False and res.has_note(DEADLINE)
    assert res.profiles == () or res.approximate


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


def test_integer_3x3x2_game_is_solved_exactly():
    # The logit point of this degenerate game stops at regret 1.4e-6 near a profile with tiny
    # probabilities off the support; it used to be returned as it was, and the registry's 1e-9
    # check crashed `solve --method homotopy`. Rounded on its support it is the exact
    # equilibrium ((0, 1/2, 1/2), (0, 0, 1), (1, 0)).
    U = np.array([[[[2, 1], [1, 2], [1, 2]], [[0, 0], [0, 0], [2, 1]], [[0, 2], [1, 1], [2, 0]]],
                  [[[0, 0], [0, 0], [2, 1]], [[1, 0], [1, 0], [0, 2]], [[1, 1], [1, 1], [2, 0]]],
                  [[[0, 1], [0, 2], [1, 0]], [[2, 1], [1, 0], [2, 1]], [[0, 0], [0, 2], [1, 2]]]], dtype=object)
    F = Fraction
    assert _assert_polished(U, one_equilibrium(U)) == ((0, F(1, 2), F(1, 2)), (0, 0, 1), (1, 0))
    game = NormalFormGame.from_arrays(["1", "2", "3"], [["a", "b", "c"]] * 2 + [["a", "b"]], U.tolist())
    res = registry.run("homotopy", game)
    assert len(res.profiles) == 1 and res.regrets == (0,)


@st.composite
def integer_games(draw):
    shape = draw(st.sampled_from([(3, 3, 2), (4, 4, 4)]))
    size = int(np.prod((len(shape),) + shape))
    values = draw(st.lists(st.integers(-10, 10), min_size=size, max_size=size))
    return np.array(values, dtype=object).reshape((len(shape),) + shape)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(integer_games())
def test_integer_games_exact_or_marked_approximate(U):
    """Never raises; the answer is exact (regret exactly 0), a float within the tolerance (an
    irrational equilibrium), or marked approximate with its measured regret; the registry, which
    verifies, accepts it."""
    res = one_equilibrium(U)
    assert res.complete is False and len(res.profiles) == 1
    prof = res.profiles[0]
    if _is_exact(prof):
        assert not res.approximate
        assert max_regret(U, [np.asarray(p, dtype=object) for p in prof]) == 0
    else:
        regret = max_regret(np.asarray(U, dtype=float), [np.asarray(p, dtype=float) for p in prof])
        if res.approximate:
            assert res.regrets == (pytest.approx(regret),) and res.has_note(APPROXIMATE)
        else:
            assert regret <= regret_tolerance(np.asarray(U, dtype=float))
    names = [[f"s{k}" for k in range(n)] for n in U.shape[1:]]
    game = NormalFormGame.from_arrays([f"p{i}" for i in range(U.shape[0])], names, U.tolist())
    verified = registry.run("homotopy", game)
    assert len(verified.profiles) == 1 and verified.approximate == res.approximate
