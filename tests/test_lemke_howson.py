"""Tests for solver.equilibria.lemke_howson.

Known values: textbook games with all equilibria known by hand; a second implementation (nashpy,
and pygambit when installed) on random games; the regret check in verify.py for the rest.
"""
from __future__ import annotations

import signal
import time
import warnings
from fractions import Fraction as F

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import solver.equilibria.lemke_howson as lh_module
from solver.core.linear import InconsistentSystem, IntegerTableau, rref, solve_any, solve_integer
from solver.equilibria.lemke_howson import lemke_howson, lemke_howson_all_labels
from solver.equilibria.result import DEADLINE, ONE_EQUILIBRIUM
from solver.core.regret import is_nash


def exact(matrix):
    return np.array(matrix, dtype=object)


def as_tuple(x, y):
    return tuple(F(v) for v in x), tuple(F(v) for v in y)


def check_exact(A, B, x, y):
    assert type(x) is tuple and type(y) is tuple
    assert all(isinstance(v, F) for v in list(x) + list(y))
    assert is_nash(np.stack([exact(A), exact(B)]), [x, y])


def check_float(A, B, x, y):
    assert all(type(v) is float for v in x + y)
    assert is_nash(np.stack([np.asarray(A, float), np.asarray(B, float)]), [x, y])


# --- textbook games ---------------------------------------------------------------------------

BOS_A = [[2, 0], [0, 1]]
BOS_B = [[1, 0], [0, 2]]
BOS_EQUILIBRIA = {
    ((F(1), F(0)), (F(1), F(0))),
    ((F(0), F(1)), (F(0), F(1))),
    ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))),
}

# von Stengel (2002), Handbook of Game Theory vol. 3 ch. 45, the 3x2 example of §2.
VS_A = [[3, 3], [2, 5], [0, 6]]
VS_B = [[3, 2], [2, 6], [3, 1]]
VS_E1 = ((F(1), F(0), F(0)), (F(1), F(0)))
VS_E2 = ((F(4, 5), F(1, 5), F(0)), (F(2, 3), F(1, 3)))
VS_E3 = ((F(0), F(1, 3), F(2, 3)), (F(1, 3), F(2, 3)))


@pytest.mark.parametrize("label", range(4))
def test_battle_of_the_sexes_each_label(label):
    x, y = lemke_howson(exact(BOS_A), exact(BOS_B), label).profiles[0]
    check_exact(BOS_A, BOS_B, x, y)
    assert as_tuple(x, y) in BOS_EQUILIBRIA
    xf, yf = lemke_howson(np.array(BOS_A, float), np.array(BOS_B, float), label).profiles[0]
    check_float(BOS_A, BOS_B, xf, yf)
    assert np.allclose(xf, np.array(x, float)) and np.allclose(yf, np.array(y, float))


def test_battle_of_the_sexes_never_reaches_mixed():
    # Every Lemke-Howson path from the artificial equilibrium ends at an equilibrium of index +1
    # (Shapley 1974); the mixed equilibrium of this game has index -1.
    found = {as_tuple(x, y) for x, y in lemke_howson_all_labels(exact(BOS_A), exact(BOS_B)).profiles}
    assert found == {((F(1), F(0)), (F(1), F(0))), ((F(0), F(1)), (F(0), F(1)))}


@pytest.mark.parametrize("label", range(4))
def test_matching_pennies(label):
    A = [[1, -1], [-1, 1]]
    B = [[-1, 1], [1, -1]]
    x, y = lemke_howson(exact(A), exact(B), label).profiles[0]
    check_exact(A, B, x, y)
    assert as_tuple(x, y) == ((F(1, 2), F(1, 2)), (F(1, 2), F(1, 2)))
    xf, yf = lemke_howson(np.array(A, float), np.array(B, float), label).profiles[0]
    assert np.allclose(xf, 0.5) and np.allclose(yf, 0.5)


@pytest.mark.parametrize("label", range(5))
def test_von_stengel_3x2_each_label(label):
    x, y = lemke_howson(exact(VS_A), exact(VS_B), label).profiles[0]
    check_exact(VS_A, VS_B, x, y)
    assert as_tuple(x, y) in {VS_E1, VS_E2, VS_E3}


def test_von_stengel_3x2_all_labels():
    found = lemke_howson_all_labels(exact(VS_A), exact(VS_B)).profiles
    # E2 lies between E1 and E3 and has index -1, so no path from (0, 0) reaches it.
    assert {as_tuple(x, y) for x, y in found} == {VS_E1, VS_E3}
    assert len(found) == 2


def test_fraction_and_int_inputs_give_fractions():
    A = np.array([[F(1, 2), F(0)], [F(0), F(1, 3)]], dtype=object)
    B = np.array([[1, 0], [0, 2]], dtype=np.int64)
    x, y = lemke_howson(A, B, 2).profiles[0]
    check_exact(A, B, x, y)
    x2, y2 = lemke_howson([[1, 2], [3, 4]], [[4, 3], [2, 1]]).profiles[0]
    check_exact([[1, 2], [3, 4]], [[4, 3], [2, 1]], x2, y2)


# --- degenerate games ------------------------------------------------------------------------

@pytest.mark.parametrize("A, B", [
    (np.zeros((3, 4), dtype=int), np.zeros((3, 4), dtype=int)),                  # all labels tie
    (np.ones((1, 1), dtype=int), np.ones((1, 1), dtype=int)),
    (np.array([[1, 1, 1]]), np.array([[0, 2, 2]])),                               # one row
    (np.array([[1], [1], [0]]), np.array([[5], [5], [5]])),                       # one column
    (np.array([[1, 0, 0], [1, 0, 0], [0, 1, 0]]), np.array([[0, 1, 1], [0, 1, 1], [1, 0, 0]])),
    (np.eye(4, dtype=int), np.eye(4, dtype=int)),                                 # coordination
])
def test_hand_made_degenerate(A, B):
    m, n = A.shape
    for label in range(m + n):
        check_exact(A, B, *lemke_howson(A, B, label).profiles[0])
        check_float(A, B, *lemke_howson(A.astype(float), B.astype(float), label).profiles[0])


@st.composite
def degenerate_games(draw):
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 6))
    A = draw(hnp.arrays(np.int64, (m, n), elements=st.integers(0, 2)))
    B = draw(hnp.arrays(np.int64, (m, n), elements=st.integers(0, 2)))
    if m > 1 and draw(st.booleans()):          # duplicated row
        A[-1], B[-1] = A[0], B[0]
    if n > 1 and draw(st.booleans()):          # duplicated column
        A[:, -1], B[:, -1] = A[:, 0], B[:, 0]
    if draw(st.booleans()):                    # constant column for one player
        B[:, 0] = draw(st.integers(0, 2))
    if draw(st.booleans()):                    # zero column
        A[:, -1] = 0
    return A, B


@settings(deadline=None, max_examples=150)
@given(degenerate_games())
def test_degenerate_every_label_terminates_with_equilibrium(game):
    A, B = game
    m, n = A.shape
    for label in range(m + n):
        x, y = lemke_howson(A, B, label).profiles[0]
        check_exact(A, B, x, y)
        xf, yf = lemke_howson(A.astype(float), B.astype(float), label).profiles[0]
        check_float(A, B, xf, yf)
        xg, yg = lemke_howson(A, B, label, float_guided=True).profiles[0]
        check_exact(A, B, xg, yg)


@settings(deadline=None, max_examples=40)
@given(degenerate_games())
def test_all_labels_distinct_and_verified(game):
    A, B = game
    found = lemke_howson_all_labels(A, B).profiles
    keys = [as_tuple(x, y) for x, y in found]
    assert len(keys) == len(set(keys)) >= 1
    for x, y in found:
        check_exact(A, B, x, y)


def test_float_fallback_to_exact(monkeypatch):
    """If the float path fails, the exact path on Fraction(float) payoffs answers."""
    rng = np.random.default_rng(5)
    A, B = rng.integers(0, 3, (5, 4)).astype(float), rng.integers(0, 3, (5, 4)).astype(float)
    expected = [lemke_howson(A.astype(int), B.astype(int), k).profiles[0] for k in range(9)]

    def broken(*args):
        raise lh_module._NumericalFailure("forced")

    monkeypatch.setattr(lh_module, "_float_path", broken)
    for k in range(9):
        x, y = lemke_howson(A, B, k).profiles[0]
        check_float(A, B, x, y)
        assert np.allclose(x, np.array(expected[k][0], float)) and np.allclose(y, np.array(expected[k][1], float))


def test_float_guided_falls_back_when_certificate_fails(monkeypatch):
    A, B = exact(VS_A), exact(VS_B)
    expected = [as_tuple(*lemke_howson(A, B, k).profiles[0]) for k in range(5)]

    def artificial_vertex(Mp, Mq, k, deadline):   # the (0, 0) bases: not an equilibrium
        return list(range(Mp.shape[1], sum(Mp.shape))), list(range(Mq.shape[1], sum(Mq.shape)))

    monkeypatch.setattr(lh_module, "_float_path", artificial_vertex)
    assert [as_tuple(*lemke_howson(A, B, k, float_guided=True).profiles[0]) for k in range(5)] == expected


class _CyclingTableau:
    """Stand-in whose pivots go round a cycle of bases of length ``period``."""

    def __init__(self, period):
        self.period, self.basis_mask = period, 0

    def enter(self, label):
        self.basis_mask = (self.basis_mask + 1) % self.period
        return 1                                # never the missing label 0


@pytest.mark.parametrize("seen_limit", [100_000, 1, 4])
@pytest.mark.parametrize("period", [1, 3, 50])
def test_float_path_cycle_detection(monkeypatch, seen_limit, period):
    monkeypatch.setattr(lh_module, "_SEEN_LIMIT", seen_limit)
    with pytest.raises(lh_module._NumericalFailure):
        lh_module._run_path(_CyclingTableau(period), _CyclingTableau(period), 1, 0, None, detect_cycles=True)


def test_brent_checkpoints_do_not_misfire(monkeypatch):
    monkeypatch.setattr(lh_module, "_SEEN_LIMIT", 1)
    rng = np.random.default_rng(64)
    A, B = rng.integers(0, 3, (12, 12)).astype(float), rng.integers(0, 3, (12, 12)).astype(float)
    for label in range(24):
        bases = lh_module._float_path(lh_module._positive_floats(B).T.copy(), lh_module._positive_floats(A),
                                      label, None)
        assert bases


def test_exact_solve_bareiss():
    M = exact([[2, 1, 0], [1, 3, 1], [0, 1, 4]])
    numerators, det = solve_integer(M.tolist(), [1, 1, 1])
    z = [F(v, det) for v in numerators]
    assert all(sum(M[i, j] * z[j] for j in range(3)) == 1 for i in range(3))


# --- cross-checks against other implementations ----------------------------------------------

class _Timeout(Exception):
    pass


def _nashpy_with_timeout(A, B, label, seconds=2.0):
    """nashpy's lemke_howson, or None when it cycles / runs long / returns a non-equilibrium."""
    nashpy = pytest.importorskip("nashpy")

    def handler(*_):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x, y = nashpy.Game(A, B).lemke_howson(initial_dropped_label=label)
    except _Timeout:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    m, n = A.shape
    if x.shape != (m,) or y.shape != (n,) or not is_nash(np.stack([A, B]), [x, y]):
        return None
    return x, y


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM")
@pytest.mark.parametrize("seed", range(6))
def test_same_equilibrium_as_nashpy_on_nondegenerate_games(seed):
    # Random continuous payoffs are non-degenerate with probability 1, so each label fixes the
    # path and both implementations must end at the same equilibrium.
    rng = np.random.default_rng(seed)
    compared = 0
    for _ in range(5):
        m, n = rng.integers(2, 7, 2)
        A, B = rng.random((m, n)), rng.random((m, n))
        for label in range(m + n):
            theirs = _nashpy_with_timeout(A, B, label)
            if theirs is None:
                continue
            x, y = lemke_howson(A, B, label).profiles[0]
            assert np.allclose(x, theirs[0], atol=1e-9) and np.allclose(y, theirs[1], atol=1e-9)
            compared += 1
    assert compared > 0


@pytest.mark.parametrize("seed", range(3))
def test_exact_and_float_paths_agree_on_nondegenerate_games(seed):
    rng = np.random.default_rng(100 + seed)
    A, B = rng.integers(0, 10**6, (7, 6)), rng.integers(0, 10**6, (7, 6))
    for label in range(13):
        x, y = lemke_howson(A, B, label).profiles[0]
        xg, yg = lemke_howson(A, B, label, float_guided=True).profiles[0]
        xf, yf = lemke_howson(A.astype(float), B.astype(float), label).profiles[0]
        assert list(x) == list(xg) and list(y) == list(yg)
        assert np.allclose(xf, np.array(x, float)) and np.allclose(yf, np.array(y, float))


@pytest.mark.parametrize("seed", range(3))
def test_pygambit_agrees_result_is_equilibrium(seed):
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(200 + seed)
    A, B = rng.integers(-5, 6, (6, 5)), rng.integers(-5, 6, (6, 5))
    game = gbt.Game.from_arrays(A, B)
    for label in range(11):
        x, y = lemke_howson(A, B, label).profiles[0]
        profile = game.mixed_strategy_profile(rational=True)
        for player, strategy_probs in zip(game.players, (x, y)):
            for strategy, p in zip(player.strategies, strategy_probs):
                profile[strategy] = gbt.Rational(p.numerator, p.denominator)
        assert profile.max_regret() == 0
    # and Gambit's own answer is one we accept as an equilibrium of the same arrays
    eq = gbt.nash.lcp_solve(game, rational=True, stop_after=1).equilibria[0]
    gx, gy = ([F(str(eq[s])) for s in pl.strategies] for pl in game.players)
    check_exact(A, B, tuple(gx), tuple(gy))


# --- larger games ----------------------------------------------------------------------------

def _no_exact_fallback(*args):
    raise AssertionError("the float path should not need the exact fallback here")


def test_large_random_float_game(monkeypatch):
    monkeypatch.setattr(lh_module, "_exact_path", _no_exact_fallback)
    rng = np.random.default_rng(60)
    A, B = rng.random((60, 60)), rng.random((60, 60))
    for label in (0, 17, 59, 60, 119):
        check_float(A, B, *lemke_howson(A, B, label).profiles[0])


def test_large_float_game_blocked_updates(monkeypatch):
    # 100 rows: the rank-1 update is split into several BLAS calls.
    monkeypatch.setattr(lh_module, "_exact_path", _no_exact_fallback)
    rng = np.random.default_rng(63)
    A, B = rng.random((100, 90)), rng.random((100, 90))
    for label in (3, 150):
        check_float(A, B, *lemke_howson(A, B, label).profiles[0])


def test_large_degenerate_integer_game_as_floats(monkeypatch):
    monkeypatch.setattr(lh_module, "_exact_path", _no_exact_fallback)
    rng = np.random.default_rng(61)
    A, B = rng.integers(0, 4, (60, 50)).astype(float), rng.integers(0, 4, (60, 50)).astype(float)
    for label in (0, 30, 60, 109):
        check_float(A, B, *lemke_howson(A, B, label).profiles[0])


def test_medium_exact_game():
    rng = np.random.default_rng(62)
    A, B = rng.integers(0, 5, (25, 25)), rng.integers(0, 5, (25, 25))
    for label in (0, 49):
        check_exact(A, B, *lemke_howson(A, B, label).profiles[0])


# --- API details -----------------------------------------------------------------------------

def test_deadline_returns_an_incomplete_result():
    A, B = np.eye(3, dtype=int), np.eye(3, dtype=int)
    result = lemke_howson(A, B, 0, deadline=time.monotonic() - 1)
    assert result.complete is False and result.has_note(DEADLINE) and result.profiles == ()
    result = lemke_howson_all_labels(A.astype(float), B.astype(float), deadline=time.monotonic() - 1)
    assert result.complete is False and result.has_note(DEADLINE)
    assert result.profiles == ()


def test_result_describes_the_run(monkeypatch):
    result = lemke_howson(exact(VS_A), exact(VS_B), 3)
    assert result.method == "lemke-howson" and result.label == "lemke-howson" and result.complete is False
    assert dict(result.parameters) == {"initial_label": 3, "float_guided": False}
    assert [n.code for n in result.notes] == [ONE_EQUILIBRIUM] and len(result.profiles) == 1
    # Exact games with more than FLOAT_GUIDED_LEMKE_HOWSON_SIZE strategies for a player are float-guided.
    monkeypatch.setattr(lh_module, "FLOAT_GUIDED_LEMKE_HOWSON_SIZE", 2)
    assert lemke_howson(exact(VS_A), exact(VS_B), 3).parameters["float_guided"] is True
    assert lemke_howson(exact(VS_A), exact(VS_B), 3, float_guided=False).parameters["float_guided"] is False
    assert lemke_howson(np.array(VS_A, float), np.array(VS_B, float)).parameters["float_guided"] is False
    everything = lemke_howson_all_labels(exact(VS_A), exact(VS_B))
    assert everything.complete is False and everything.has_note(ONE_EQUILIBRIUM)


def test_invalid_inputs():
    with pytest.raises(ValueError):
        lemke_howson([[1, 2]], [[1, 2]], 3)
    with pytest.raises(ValueError):
        lemke_howson([[1, 2]], [[1], [2]])
    with pytest.raises(ValueError):
        lemke_howson([[1.0, float("nan")]], [[1.0, 2.0]])


# --- the shared integer tableau (solver.core.linear), which the exact path pivots on ----------

def _fraction_rref(rows, ncols):
    """Plain Gauss–Jordan on Fractions (the oracle)."""
    rows = [[F(v) for v in row] for row in rows]
    pivots, r = [], 0
    for c in range(ncols):
        k = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
        if k is None:
            continue
        rows[r], rows[k] = rows[k], rows[r]
        rows[r] = [v / rows[r][c] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                f = rows[i][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r])]
        pivots.append(c)
        r += 1
    return rows[:r], pivots


@settings(deadline=None, max_examples=150)
@given(st.integers(1, 5).flatmap(lambda m: st.integers(1, 6).flatmap(lambda n: st.lists(
    st.lists(st.fractions(min_value=-4, max_value=4, max_denominator=3), min_size=n, max_size=n),
    min_size=m, max_size=m))))
def test_rref_and_solve_any_match_fraction_elimination(rows):
    n = len(rows[0])
    rows = rows + [[a + b for a, b in zip(rows[0], rows[-1])]]      # a dependent row
    assert rref(rows, n) == _fraction_rref(rows, n)
    if n > 1:
        solution = solve_any(rows, n - 1)
        reduced, pivots = _fraction_rref(rows, n)
        if pivots and pivots[-1] == n - 1:
            assert solution is None
        else:
            assert all(sum(a * z for a, z in zip(row, solution)) == row[-1] for row in rows)


def test_tableau_pivots_fraction_free_and_keeps_det_positive():
    # x0 - x1 = 1, -2 x0 - x1 = -8 (negative pivots on the way): x = (3, 2).
    tableau = IntegerTableau.from_equations([[1, -1, 1], [-2, -1, -8]], [0, 1])
    assert tableau.det > 0 and (tableau.value(0), tableau.value(1)) == (3, 2)
    assert all(type(v) is int for row in tableau.rows for v in row)
    with pytest.raises(InconsistentSystem):
        IntegerTableau.from_equations([[1, 1, 1], [2, 2, 3]], [0, 1])
    start = IntegerTableau([[1, 2, 4], [3, 1, 6]], basic=[2, 3], nonbasic=[0, 1])
    moved = start.pivoted(1, 0)
    assert start.basic == [2, 3] and start.det == 1 and start.rows == [[1, 2, 4], [3, 1, 6]]
    assert moved.basic == [2, 0] and moved.det == 3 and moved.value(0) == 2 and moved.value(2) == 2


def test_lexicographic_rule_does_not_cycle_on_chvatals_example():
    # Chvátal (1983), Linear Programming, §3: max 10x0 − 57x1 − 9x2 − 24x3 subject to
    # ½x0 − 5½x1 − 2½x2 + 9x3 ≤ 0, ½x0 − 1½x1 − ½x2 + x3 ≤ 0, x0 ≤ 1 cycles under the largest-
    # coefficient rule with the textbook tie-break; with the lexicographic leaving rule it ends at
    # the optimum 1. The objective z is a free variable: its row takes no part in ratio tests.
    rows = [[1, -11, -5, 18, 0], [1, -3, -1, 2, 0], [1, 0, 0, 0, 1], [-10, 57, 9, 24, 0]]
    tableau = IntegerTableau(rows, basic=[4, 5, 6, "z"], nonbasic=[0, 1, 2, 3], free=["z"])
    for _ in range(20):
        costs = tableau.rows[3][:-1]
        c = min(range(len(costs)), key=costs.__getitem__)
        if costs[c] >= 0:
            break
        tableau.pivot(tableau.lex_min_ratio(c, [4, 5, 6]), c)
    assert costs[c] >= 0 and tableau.value("z") == 1
    assert [tableau.value(v) for v in range(4)] == [1, 0, 1, 0]
    unbounded = IntegerTableau([[-1, 1]], basic=[1], nonbasic=[0])
    assert unbounded.lex_min_ratio(0) is None
