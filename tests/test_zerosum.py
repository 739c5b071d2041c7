"""Tests for solver.equilibria.zerosum (constant-sum games by linear programming).

Values are hand-worked (textbook games) or checked against the independent extreme-equilibrium
enumeration: in a constant-sum game every equilibrium pays the row player the value.
"""
from __future__ import annotations

import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.core import regret
from solver.equilibria import zerosum
from solver.equilibria.enumerate2 import enumerate_extreme_equilibria
from solver.core.regret import is_constant_sum
from solver.equilibria.result import DEADLINE, INFO, AlgorithmResult
from solver.equilibria.zerosum import solve_zero_sum

F = Fraction


def obj(rows) -> np.ndarray:
    return np.array(rows, dtype=object)


def test_rock_paper_scissors():
    rps = obj([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    solution = solve_zero_sum(rps, -rps)
    assert isinstance(solution, AlgorithmResult)
    assert solution.value == 0 and isinstance(solution.value, Fraction)
    row_strategy, column_strategy = solution.profiles[0]
    assert list(row_strategy) == [F(1, 3)] * 3
    assert list(column_strategy) == [F(1, 3)] * 3
    assert solution.method == "zero-sum" and solution.label == "zero-sum (linear programming)"
    assert solution.complete is False and [n.code for n in solution.notes] == [INFO]


def test_matching_pennies_float():
    mp = np.array([[1.0, -1.0], [-1.0, 1.0]])
    solution = solve_zero_sum(mp, -mp)
    row_strategy, column_strategy = solution.profiles[0]
    assert solution.value == pytest.approx(0.0, abs=1e-12)
    assert np.allclose(row_strategy, [0.5, 0.5]) and np.allclose(column_strategy, [0.5, 0.5])
    assert all(type(v) is float for v in row_strategy + column_strategy)


def test_hand_worked_mixed_value_and_constant_sum():
    # x solves 2x1 − x2 = −x1 + x2, so x = (2/5, 3/5) and the value is 2·2/5 − 3/5 = 1/5.
    A = obj([[2, -1], [-1, 1]])
    solution = solve_zero_sum(A, 5 - A)
    assert solution.value == F(1, 5)
    assert list(solution.profiles[0][0]) == [F(2, 5), F(3, 5)]
    assert list(solution.profiles[0][1]) == [F(2, 5), F(3, 5)]


def test_saddle_point_and_fraction_payoffs():
    A = obj([[1, 2], [0, 3]])  # row minima 1, 0; column maxima 1, 3: saddle at (0, 0)
    solution = solve_zero_sum(A, -A)
    assert solution.value == 1
    assert list(solution.profiles[0][0]) == [1, 0] and list(solution.profiles[0][1]) == [1, 0]
    A = obj([[F(1, 2), F(-1, 3)], [F(-1, 3), F(1, 4)]])
    solution = solve_zero_sum(A, -A)
    # Value of [[a, b], [c, d]] without saddle point: (ad − bc) / (a + d − b − c).
    a, b, c, d = F(1, 2), F(-1, 3), F(-1, 3), F(1, 4)
    assert solution.value == (a * d - b * c) / (a + d - b - c)


def test_is_constant_sum():
    A = obj([[1, 2], [3, 4]])
    assert is_constant_sum(A, 7 - A)
    assert not is_constant_sum(A, -A + obj([[0, 0], [0, 1]]))
    assert is_constant_sum(np.array([[0.1, 0.2]]), np.array([[0.9, 0.8]]))
    assert not is_constant_sum(np.array([[0.1, 0.2]]), np.array([[0.9, 0.7]]))
    with pytest.raises(ValueError):
        solve_zero_sum(A, A)


def test_exact_simplex_fallback(monkeypatch):
    # Force the exact simplex path by making the float LP unavailable.
    def broken(_A):
        raise RuntimeError("no float LP")

    monkeypatch.setattr(zerosum, "_float_solution", broken)
    rps = obj([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    assert solve_zero_sum(rps, -rps).value == 0
    A = obj([[2, -1], [-1, 1]])
    assert solve_zero_sum(A, -A).value == F(1, 5)
    degenerate = obj([[1, 1, 0], [1, 1, 0], [0, 0, 1]])
    solution = solve_zero_sum(degenerate, -degenerate)
    assert solution.value == F(1, 2)


games = st.tuples(st.integers(1, 5), st.integers(1, 5)).flatmap(
    lambda s: st.lists(st.lists(st.integers(-3, 3), min_size=s[1], max_size=s[1]), min_size=s[0], max_size=s[0]))


@settings(max_examples=80, deadline=None)
@given(games, st.integers(-4, 4))
def test_value_matches_equilibrium_enumeration(A, constant):
    A = obj(A)
    B = constant - A
    solution = solve_zero_sum(A, B)
    payoffs = np.stack([A, B])
    assert regret.is_nash(payoffs, list(solution.profiles[0]))
    for x, y in enumerate_extreme_equilibria(A, B).profiles:
        assert np.dot(x, A.dot(y)) == solution.value


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_float_games_agree_with_exact(m, n, seed):
    A = np.random.default_rng(seed).normal(size=(m, n))
    float_solution = solve_zero_sum(A, -A)
    exact = obj([[F(v) for v in row] for row in A])
    exact_solution = solve_zero_sum(exact, -exact)
    assert float_solution.value == pytest.approx(float(exact_solution.value), abs=1e-9)
    assert regret.is_nash(np.stack([A, -A]), list(float_solution.profiles[0]))


def test_deadline_in_the_exact_simplex(monkeypatch):
    def broken(_A):
        raise RuntimeError("no float LP")

    monkeypatch.setattr(zerosum, "_float_solution", broken)
    rps = obj([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    result = solve_zero_sum(rps, -rps, deadline=time.monotonic() - 1)
    assert result.complete is False and result.has_note(DEADLINE) and result.profiles == ()


@settings(max_examples=60, deadline=None)
@given(games)
def test_exact_simplex_agrees_with_the_float_route(A):
    # The exact simplex method alone (degenerate games included) gives an optimal pair and the value.
    A = obj(A)
    expected = solve_zero_sum(A, -A).value
    x, y, value = zerosum._simplex_solution(A, None)
    assert value == expected
    assert regret.is_nash(np.stack([A, -A]), [x, y])
