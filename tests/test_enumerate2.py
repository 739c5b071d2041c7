"""Tests for solver.equilibria.enumerate2 (all extreme equilibria of a bimatrix game).

Expected values come from textbooks (hand-worked), from a brute-force oracle written here in plain
Fraction arithmetic (independent of the pivoting code), from nashpy on non-degenerate games and
from Gambit's enummixed when pygambit is installed.
"""
from __future__ import annotations

import itertools
import time
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.core import regret
from solver.core.profiles import pure_first_order
from solver.equilibria.enumerate2 import enumerate_extreme_equilibria
from solver.equilibria.result import CONSTANT_SUM, DEADLINE, AlgorithmResult

F = Fraction


def obj(rows) -> np.ndarray:
    return np.array(rows, dtype=object)


def as_set(result: AlgorithmResult) -> set[tuple[tuple, tuple]]:
    return {(tuple(x), tuple(y)) for x, y in result.profiles}


def frac_pairs(*pairs) -> set[tuple[tuple, tuple]]:
    return {(tuple(F(v) for v in x), tuple(F(v) for v in y)) for x, y in pairs}


# ----------------------------------------------------------------------------------------------
# Brute-force oracle (exact, independent of the module under test)
# ----------------------------------------------------------------------------------------------

def _solve_square(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gauss–Jordan on a square Fraction system; None when singular."""
    k = len(matrix)
    rows = [list(r) + [b] for r, b in zip(matrix, rhs)]
    for c in range(k):
        pivot = next((i for i in range(c, k) if rows[i][c] != 0), None)
        if pivot is None:
            return None
        rows[c], rows[pivot] = rows[pivot], rows[c]
        for i in range(k):
            if i != c and rows[i][c] != 0:
                f = rows[i][c] / rows[c][c]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[c])]
    return [rows[i][k] / rows[i][i] for i in range(k)]


def _indifferent(M, support, opponents):
    """p on ``support`` (rows of M) making the opponents' columns ``opponents`` of M pay equally."""
    k = len(support)
    matrix = [[F(M[i][j]) for i in support] + [F(-1)] for j in opponents]
    matrix.append([F(1)] * k + [F(0)])
    solution = _solve_square(matrix, [F(0)] * k + [F(1)])
    if solution is None:
        return None
    p = [F(0)] * len(M)
    for i, value in zip(support, solution[:k]):
        p[i] = value
    return tuple(p)


def _best_responses(payoff_vector) -> set[int]:
    top = max(payoff_vector)
    return {j for j, v in enumerate(payoff_vector) if v == top}


def oracle_vertices(M) -> set[tuple]:
    """Normalised top vertices of {p >= 0 : Mᵀp <= 1} (M = the *opponent's* payoffs, rows = own
    strategies): p with a support S and |S| opponent best responses J on which the square
    indifference system is non-singular. Every vertex has such an (S, J) (a non-zero row can be
    completed to a basis of the row space), and every such p is a vertex."""
    M = [[F(v) for v in row] for row in M]
    m, n = len(M), len(M[0])
    found = set()
    for k in range(1, min(m, n) + 1):
        for S in itertools.combinations(range(m), k):
            for J in itertools.combinations(range(n), k):
                p = _indifferent(M, S, J)
                if p is None or any(v < 0 for v in p):
                    continue
                payoffs = [sum(p[i] * M[i][j] for i in range(m)) for j in range(n)]
                if set(J) <= _best_responses(payoffs):
                    found.add(p)
    return found


def oracle_extreme_equilibria(A, B) -> set[tuple[tuple, tuple]]:
    """Pairs of vertices of the two polytopes that are mutual best responses."""
    A = [[F(v) for v in row] for row in A]
    B = [[F(v) for v in row] for row in B]
    m, n = len(A), len(A[0])
    xs = oracle_vertices(B)
    ys = oracle_vertices([list(col) for col in zip(*A)])
    out = set()
    for x in xs:
        col_pay = [sum(x[i] * B[i][j] for i in range(m)) for j in range(n)]
        br2 = _best_responses(col_pay)
        for y in ys:
            row_pay = [sum(A[i][j] * y[j] for j in range(n)) for i in range(m)]
            br1 = _best_responses(row_pay)
            if {i for i in range(m) if x[i]} <= br1 and {j for j in range(n) if y[j]} <= br2:
                out.add((x, y))
    return out


def oracle_support_enumeration(A, B) -> set[tuple[tuple, tuple]]:
    """Classic support enumeration: equal-size supports with non-singular indifference systems."""
    A = [[F(v) for v in row] for row in A]
    B = [[F(v) for v in row] for row in B]
    m, n = len(A), len(A[0])
    At = [list(col) for col in zip(*A)]
    out = set()
    for k in range(1, min(m, n) + 1):
        for S in itertools.combinations(range(m), k):
            for T in itertools.combinations(range(n), k):
                x = _indifferent(B, S, T)
                y = _indifferent(At, T, S)
                if x is None or y is None or any(v < 0 for v in x + y):
                    continue
                if regret.is_nash(np.array([A, B], dtype=object), [obj(x), obj(y)]):
                    out.add((x, y))
    return out


def check_against_oracle(A, B) -> AlgorithmResult:
    result = enumerate_extreme_equilibria(obj(A), obj(B))
    assert result.complete
    ours = as_set(result)
    assert len(ours) == len(result.profiles), "duplicates reported"
    assert ours == oracle_extreme_equilibria(A, B)
    assert oracle_support_enumeration(A, B) <= ours
    assert len(ours) >= 1  # every finite game has an equilibrium [Nash 1951]
    return result


# ----------------------------------------------------------------------------------------------
# Textbook games
# ----------------------------------------------------------------------------------------------

def test_battle_of_the_sexes():
    result = enumerate_extreme_equilibria(obj([[2, 0], [0, 1]]), obj([[1, 0], [0, 2]]))
    assert result.complete and result.label == "vertex-enumeration" and result.method == "enumerate"
    assert as_set(result) == frac_pairs(((1, 0), (1, 0)), ((0, 1), (0, 1)),
                                        ((F(2, 3), F(1, 3)), (F(1, 3), F(2, 3))))
    for x, y in result.profiles:
        assert all(isinstance(v, Fraction) for v in list(x) + list(y))


def test_chicken_with_crash_cost_ten():
    # Rows/columns: swerve, straight.
    A = obj([[0, -1], [1, -10]])
    B = obj([[0, 1], [-1, -10]])
    result = enumerate_extreme_equilibria(A, B)
    mixed = (F(9, 10), F(1, 10))
    assert as_set(result) == frac_pairs(((1, 0), (0, 1)), ((0, 1), (1, 0)), (mixed, mixed))


def test_matching_pennies_and_rock_paper_scissors():
    mp = obj([[1, -1], [-1, 1]])
    assert as_set(enumerate_extreme_equilibria(mp, -mp)) == frac_pairs(((F(1, 2),) * 2, (F(1, 2),) * 2))
    rps = obj([[0, -1, 1], [1, 0, -1], [-1, 1, 0]])
    third = (F(1, 3),) * 3
    assert as_set(enumerate_extreme_equilibria(rps, -rps)) == frac_pairs((third, third))


def test_prisoners_dilemma_and_von_stengel_example():
    pd = enumerate_extreme_equilibria(obj([[3, 0], [5, 1]]), obj([[3, 5], [0, 1]]))
    assert as_set(pd) == frac_pairs(((0, 1), (0, 1)))
    # von Stengel (2002), Handbook ch. 45, Fig. 2: three equilibria.
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 2], [2, 6], [3, 1]]
    result = enumerate_extreme_equilibria(obj(A), obj(B))
    assert as_set(result) == frac_pairs(((1, 0, 0), (1, 0)),
                                        ((F(4, 5), F(1, 5), 0), (F(2, 3), F(1, 3))),
                                        ((0, F(1, 3), F(2, 3)), (F(1, 3), F(2, 3))))


# ----------------------------------------------------------------------------------------------
# Degenerate games
# ----------------------------------------------------------------------------------------------

def test_all_zero_game_has_every_pure_pair():
    result = enumerate_extreme_equilibria(np.zeros((3, 4), dtype=object), np.zeros((3, 4), dtype=object))
    expected = {(tuple(F(int(i == a)) for i in range(3)), tuple(F(int(j == b)) for j in range(4)))
                for a in range(3) for b in range(4)}
    assert as_set(result) == expected


def test_one_by_n_and_n_by_one():
    # 1×3: column player's best responses to the only row are columns 0 and 2.
    result = enumerate_extreme_equilibria(obj([[5, 1, 2]]), obj([[4, 0, 4]]))
    assert as_set(result) == frac_pairs(((1,), (1, 0, 0)), ((1,), (0, 0, 1)))
    result = enumerate_extreme_equilibria(obj([[1], [3], [3]]), obj([[7], [0], [2]]))
    assert as_set(result) == frac_pairs(((0, 1, 0), (1,)), ((0, 0, 1), (1,)))
    assert as_set(enumerate_extreme_equilibria(obj([[2]]), obj([[-1]]))) == frac_pairs(((1,), (1,)))


def test_column_of_equal_payoffs_and_zero_column():
    # Player 2's first column pays 0 whatever player 1 does (nashpy's vertex enumeration returns
    # nothing on such games); worked with the oracle.
    A = [[1, 0, 2], [0, 2, 1]]
    B = [[0, 1, 0], [0, 0, 1]]
    check_against_oracle(A, B)
    A = [[3, 1], [3, 2]]  # player 1 indifferent against column 0
    B = [[1, 0], [0, 1]]
    result = check_against_oracle(A, B)
    assert frac_pairs(((1, 0), (1, 0)), ((0, 1), (0, 1))) <= as_set(result)


def test_duplicated_strategies():
    # Matching pennies with row 0 duplicated: each copy mixes with the other row, and so does any
    # split of the weight 1/2 between the copies; the extreme points are the two pure splits.
    A = obj([[1, -1], [1, -1], [-1, 1]])
    result = enumerate_extreme_equilibria(A, -A)
    half = (F(1, 2), F(1, 2))
    assert as_set(result) == frac_pairs(((F(1, 2), 0, F(1, 2)), half), ((0, F(1, 2), F(1, 2)), half))


def test_edge_continuum():
    # Row 0 strictly dominant for player 1; player 2 indifferent: x = (1, 0) with any y.
    result = enumerate_extreme_equilibria(obj([[1, 1], [0, 0]]), obj([[0, 0], [0, 0]]))
    assert as_set(result) == frac_pairs(((1, 0), (1, 0)), ((1, 0), (0, 1)))


# ----------------------------------------------------------------------------------------------
# Oracle comparisons
# ----------------------------------------------------------------------------------------------

small_int_games = st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(
    lambda shape: st.tuples(
        st.lists(st.lists(st.integers(0, 3), min_size=shape[1], max_size=shape[1]), min_size=shape[0], max_size=shape[0]),
        st.lists(st.lists(st.integers(0, 3), min_size=shape[1], max_size=shape[1]), min_size=shape[0], max_size=shape[0]),
    ))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_int_games)
def test_small_integer_games_match_oracle(game):
    A, B = game
    result = check_against_oracle(A, B)
    payoffs = np.array([A, B], dtype=object)
    for x, y in result.profiles:
        assert regret.max_regret(payoffs, [x, y]) == 0


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_gaussian_float_games_match_exact_oracle(m, n, seed):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(m, n)), rng.normal(size=(m, n))
    result = enumerate_extreme_equilibria(A, B)
    assert result.complete
    for x, y in result.profiles:
        assert all(type(v) is float for v in x + y)
        assert regret.is_nash(np.array([A, B]), [x, y])
    # The oracle works on the exact values of the floats.
    expected = oracle_extreme_equilibria([[F(v) for v in r] for r in A], [[F(v) for v in r] for r in B])
    expected = sorted((tuple(map(float, x)), tuple(map(float, y))) for x, y in expected)
    got = sorted((tuple(x), tuple(y)) for x, y in result.profiles)
    assert len(got) == len(expected)
    for (gx, gy), (ex, ey) in zip(got, expected):
        assert np.allclose(gx, ex, atol=1e-12) and np.allclose(gy, ey, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_seeded_games_up_to_six_match_oracle(seed):
    rng = np.random.default_rng(1000 + seed)
    m, n = (6, 6) if seed < 2 else (5, 6)
    high = 3 if seed % 2 else 9  # small ranges make degenerate games
    A = rng.integers(0, high + 1, size=(m, n)).tolist()
    B = rng.integers(0, high + 1, size=(m, n)).tolist()
    check_against_oracle(A, B)


# ----------------------------------------------------------------------------------------------
# Invariance
# ----------------------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(small_int_games, st.randoms(use_true_random=False),
       st.fractions(min_value=F(1, 7), max_value=7), st.integers(-5, 5))
def test_permutation_and_affine_invariance(game, rnd, scale, shift):
    A, B = np.array(game[0], dtype=object), np.array(game[1], dtype=object)
    m, n = A.shape
    base = as_set(enumerate_extreme_equilibria(A, B))

    rows, cols = list(range(m)), list(range(n))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    permuted = enumerate_extreme_equilibria(A[np.ix_(rows, cols)], B[np.ix_(rows, cols)])
    unpermuted = {(tuple(np.array(x)[np.argsort(rows)]), tuple(np.array(y)[np.argsort(cols)]))
                  for x, y in permuted.profiles}
    assert unpermuted == base

    transformed = enumerate_extreme_equilibria(A * scale + shift, B * F(1, 3) - scale)
    assert as_set(transformed) == base


# ----------------------------------------------------------------------------------------------
# Other implementations
# ----------------------------------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_nashpy_on_nondegenerate_games(seed):
    # nashpy's vertex enumeration is right on non-degenerate games; its support enumeration can
    # lose equilibria to float rounding (seed 2 here), so it is only checked to be a subset.
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(seed)
    m, n = [(3, 3), (4, 4), (5, 5), (4, 6), (6, 4), (6, 6)][seed]
    A, B = rng.normal(size=(m, n)), rng.normal(size=(m, n))

    def rounded(pairs):
        return sorted((tuple(np.round(x, 9) + 0.0), tuple(np.round(y, 9) + 0.0)) for x, y in pairs)

    ours = rounded(enumerate_extreme_equilibria(A, B).profiles)
    game = nashpy.Game(A, B)
    assert ours == rounded(game.vertex_enumeration())
    assert set(rounded(game.support_enumeration())) <= set(ours)


def test_beats_nashpy_vertex_enumeration_on_zero_column():
    nashpy = pytest.importorskip("nashpy")
    A = np.array([[1.0, 0.0], [0.0, 1.0]])
    B = np.array([[0.0, 1.0], [0.0, 2.0]])  # player 2's column 0 pays 0 everywhere
    ours = enumerate_extreme_equilibria(A, B)
    assert len(ours.profiles) >= 1
    oracle = oracle_extreme_equilibria(A.astype(int).tolist(), B.astype(int).tolist())
    assert {(tuple(map(float, x)), tuple(map(float, y))) for x, y in oracle} == \
        {(tuple(x), tuple(y)) for x, y in ours.profiles}
    _ = list(nashpy.Game(A, B).vertex_enumeration())  # may be empty or wrong; ours must not be


@pytest.mark.parametrize("seed", range(8))
def test_agrees_with_gambit_enummixed(seed):
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(77 + seed)
    m, n = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    A = rng.integers(0, 3 if seed % 2 else 20, size=(m, n))
    B = rng.integers(0, 3 if seed % 2 else 20, size=(m, n))
    game = gbt.Game.from_arrays(A, B)
    p1, p2 = game.players
    theirs = {(tuple(F(v.numerator, v.denominator) for _, v in eq[p1]),
               tuple(F(v.numerator, v.denominator) for _, v in eq[p2]))
              for eq in gbt.nash.enummixed_solve(game, rational=True).equilibria}
    assert as_set(enumerate_extreme_equilibria(A.astype(object), B.astype(object))) == theirs


# ----------------------------------------------------------------------------------------------
# API behaviour
# ----------------------------------------------------------------------------------------------

def test_deadline_in_the_past_returns_incomplete_verified_subset():
    rng = np.random.default_rng(5)
    A, B = rng.normal(size=(9, 9)), rng.normal(size=(9, 9))
    full = enumerate_extreme_equilibria(A, B)
    partial = enumerate_extreme_equilibria(A, B, deadline=time.monotonic() - 1)
    assert full.complete and not partial.complete
    assert partial.has_note(DEADLINE) and not full.has_note(DEADLINE)
    full_set = {(tuple(x), tuple(y)) for x, y in full.profiles}
    for x, y in partial.profiles:
        assert (tuple(x), tuple(y)) in full_set


def test_deadline_in_the_past_on_a_degenerate_game():
    # Degenerate games take the exact lexicographic search, which must stop cleanly too.
    rng = np.random.default_rng(9)
    A, B = rng.integers(0, 2, size=(8, 8)).astype(object), rng.integers(0, 2, size=(8, 8)).astype(object)
    full = enumerate_extreme_equilibria(A, B)
    partial = enumerate_extreme_equilibria(A, B, deadline=time.monotonic() - 1)
    assert full.complete and partial.complete is False and partial.has_note(DEADLINE)
    assert as_set(partial) <= as_set(full)


def test_output_is_sorted_and_inputs_validated():
    result = enumerate_extreme_equilibria(obj([[2, 0], [0, 1]]), obj([[1, 0], [0, 2]]))
    assert list(result.profiles) == sorted(result.profiles, key=pure_first_order)
    int_result = enumerate_extreme_equilibria(np.array([[2, 0], [0, 1]]), np.array([[1, 0], [0, 2]]))
    assert as_set(int_result) == as_set(result)
    with pytest.raises(ValueError):
        enumerate_extreme_equilibria(obj([[1, 2]]), obj([[1], [2]]))
    with pytest.raises(ValueError):
        enumerate_extreme_equilibria(np.array([[np.nan, 0.0]]), np.array([[0.0, 0.0]]))


def test_components_with_several_members_are_families():
    # Row 0 strictly dominant; the column player is indifferent: x = (1, 0) with any y, a segment.
    result = enumerate_extreme_equilibria(obj([[1, 1], [0, 0]]), obj([[0, 0], [0, 0]]))
    (family,) = result.families
    assert family.members == (0, 1) and family.extreme_points == result.profiles
    assert family.support == ((0,), (0, 1)) and family.varying == (1,) and family.dimension == 1
    # The all-zero 2×3 game: every profile is an equilibrium, a polytope of dimension 1 + 2.
    (family,) = enumerate_extreme_equilibria(np.zeros((2, 3), dtype=int), np.zeros((2, 3), dtype=int)).families
    assert family.dimension == 3 and family.varying == (0, 1) and len(family.members) == 6
    # Non-degenerate games have isolated extreme equilibria only.
    assert enumerate_extreme_equilibria(obj([[2, 0], [0, 1]]), obj([[1, 0], [0, 2]])).families == ()


def test_float_families_carry_float_points():
    result = enumerate_extreme_equilibria(np.array([[1.0, 1.0], [0.0, 0.0]]), np.zeros((2, 2)))
    (family,) = result.families
    assert family.extreme_points == result.profiles
    assert all(type(v) is float for profile in family.extreme_points for p in profile for v in p)


def test_constant_sum_games_report_their_value():
    A = obj([[2, -1], [-1, 1]])           # value 1/5 (see test_zerosum)
    result = enumerate_extreme_equilibria(A, 5 - A)
    assert result.has_note(CONSTANT_SUM) and result.value == F(1, 5)
    floats = enumerate_extreme_equilibria(A.astype(float), -A.astype(float))
    assert floats.has_note(CONSTANT_SUM) and floats.value == pytest.approx(0.2)
    bos = enumerate_extreme_equilibria(obj([[2, 0], [0, 1]]), obj([[1, 0], [0, 2]]))
    assert not bos.has_note(CONSTANT_SUM) and bos.value is None


@pytest.mark.parametrize("seed", range(6))
def test_internal_paths_agree(seed, monkeypatch):
    # The Qhull-proposal fast path, the lrsnash-style partner solving and the exact lexicographic
    # search are alternatives; forcing each off must not change the answer.
    from solver.equilibria import enumerate2

    rng = np.random.default_rng(500 + seed)
    m, n = [(5, 5), (6, 4), (3, 7), (7, 7), (6, 6), (2, 5)][seed]
    if seed % 2:
        A, B = rng.integers(0, 3, size=(m, n)).astype(object), rng.integers(0, 3, size=(m, n)).astype(object)
    else:
        A, B = rng.normal(size=(m, n)), rng.normal(size=(m, n))
    reference = as_set(enumerate_extreme_equilibria(A, B))
    with monkeypatch.context() as patch:
        patch.setattr(enumerate2, "_qhull_tight_sets", lambda M: None)
        assert as_set(enumerate_extreme_equilibria(A, B)) == reference
    with monkeypatch.context() as patch:
        patch.setattr(enumerate2, "_partners_by_solving", lambda *args: None)
        assert as_set(enumerate_extreme_equilibria(A, B)) == reference
    with monkeypatch.context() as patch:
        # Wrong proposals (a vertex dropped) must be caught by the adjacency check.
        original = enumerate2._qhull_tight_sets
        patch.setattr(enumerate2, "_qhull_tight_sets", lambda M: (original(M) or [0, 0])[1:])
        assert as_set(enumerate_extreme_equilibria(A, B)) == reference
