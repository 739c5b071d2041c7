"""Exact ties among irrational payoffs (issue 15): games with 3 and 4 players whose payoffs are drawn
from a few square roots, so that exact ties are common, solved by the polynomial method with the
payoffs kept exact, against a brute force written here.

The brute force uses its own exact arithmetic (sympy's algebraic number field Q(sqrt 2, sqrt 3), not
the solver's ``Surd``). For every support profile where at most two players mix it lists the
equilibria that are vertices: with one mixing player, the vertices of the polytope of its mixtures
(every choice of tight constraints, solved exactly); with two, the pairs of vertices of the two
polytopes each one's indifference bounds the other to, kept when the whole profile has zero regret
exactly. Each must lie in a reported equilibrium or in the convex hull of a reported family's
points. pygambit (when installed) adds one more independent equilibrium per game (Gambit's logit
tracing), which must lie in a reported equilibrium or family, or the result must say it is
incomplete.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog
from sympy import QQ, sqrt

from solver.api import AlgebraicGame, evaluate_game, load_game, parameter_values, solve
from solver.core.numbers import Surd
from solver.equilibria.polynomial import enumerate_polynomial

K = QQ.algebraic_field(sqrt(2), sqrt(3))
#: The payoff values: few, so that exact ties are frequent; irrational, so floats cannot see them.
VALUES = (sympy.Integer(0), sympy.Integer(1), sqrt(2), sqrt(3), 2 * sqrt(2), sqrt(2) + sqrt(3))
TIE3 = """title: tie3_float
players: [P1, P2, P3]
strategies: {P1: [a, b], P2: [a, b], P3: [a, b]}
payoffs:
  P1: [[[sqrt(2), sqrt(5)], [sqrt(7), 0]], [[sqrt(2), 0], [0, sqrt(3)]]]
  P2: [[[sqrt(3), 0], [0, sqrt(5)]], [[sqrt(3), 0], [0, sqrt(6)]]]
  P3: [[[sqrt(3), 0], [0, sqrt(2)]], [[sqrt(3), 0], [0, sqrt(7)]]]
"""


# ---- the brute force, in sympy's algebraic field -----------------------------------------------
def _sign(x) -> int:
    if x == K.zero:
        return 0
    value = K.to_sympy(x).evalf(60)
    assert abs(value) > 1e-40          # a non-zero number of this small height is far from 0
    return 1 if value > 0 else -1


def _solve(rows, rhs):
    """The unique solution of a square system over K, or None (Gauss–Jordan)."""
    n = len(rows)
    M = [list(r) + [b] for r, b in zip(rows, rhs)]
    for c in range(n):
        pivot = next((r for r in range(c, n) if M[r][c] != K.zero), None)
        if pivot is None:
            return None
        M[c], M[pivot] = M[pivot], M[c]
        lead = M[c][c]
        M[c] = [v / lead for v in M[c]]
        for r in range(n):
            if r != c and M[r][c] != K.zero:
                f = M[r][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[c])]
    return [M[r][n] for r in range(n)]


def _vertices(k: int, rows) -> list[list]:
    """Vertices of {p in R^k : p >= 0, sum p = 1, row . p >= 0 for each row}: every choice of k - 1
    tight constraints with a unique solution that satisfies all of them."""
    constraints = [[K.one if m == a else K.zero for m in range(k)] for a in range(k)] + [list(r) for r in rows]
    found = []
    for tight in itertools.combinations(range(len(constraints)), k - 1):
        p = _solve([constraints[t] for t in tight] + [[K.one] * k], [K.zero] * (k - 1) + [K.one])
        if p is None or any(_sign(sum((c * v for c, v in zip(row, p)), K.zero)) < 0 for row in constraints):
            continue
        if p not in found:
            found.append(p)
    return found


def _payoff(G, i, profile_index):
    return G[(i,) + tuple(profile_index)]


def _regret_free(G, mixed) -> bool:
    """Exact zero regret of a profile (K-valued probability vectors)."""
    N = G.shape[0]
    for i in range(N):
        values = []
        for a in range(G.shape[1 + i]):
            total = K.zero
            for others in itertools.product(*[range(G.shape[1 + j]) for j in range(N) if j != i]):
                index = list(others[:i]) + [a] + list(others[i:])
                weight = K.one
                for j in range(N):
                    if j != i:
                        weight = weight * mixed[j][index[j]]
                if weight != K.zero:
                    total = total + weight * G[(i,) + tuple(index)]
            values.append(total)
        own = sum((mixed[i][a] * values[a] for a in range(len(values))), K.zero)
        if any(_sign(v - own) > 0 for v in values):
            return False
    return True


def _block_rows(G, S, me, other):
    """Rows (over ``other``'s support) saying ``me``'s support are best replies (others pure at S):
    equalities as two inequalities."""
    rows = []
    s0 = S[me][0]

    def column(a, m):
        index = [s[0] for s in S]
        index[me], index[other] = a, S[other][m]
        return _payoff(G, me, index)
    k = len(S[other])
    for a in range(G.shape[1 + me]):
        row = [column(s0, m) - column(a, m) for m in range(k)]
        rows.append(row)
        if a in S[me]:
            rows.append([-v for v in row])
    return rows


def brute_force(G) -> list[tuple]:
    """Every vertex equilibrium of every support profile where at most two players mix (see module
    doc), as tuples of float probability vectors."""
    N, shape = G.shape[0], G.shape[1:]
    found = []
    for S in itertools.product(*[[c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]
                                  for n in shape]):
        mixing = [j for j in range(N) if len(S[j]) > 1]
        if len(mixing) > 2:
            continue
        if len(mixing) == 2:
            i, l = mixing
            per_player = {l: _vertices(len(S[l]), _block_rows(G, S, i, l)),
                          i: _vertices(len(S[i]), _block_rows(G, S, l, i))}
        elif mixing:
            i = mixing[0]
            others = [j for j in range(N) if j != i]
            rows = []
            for j in others:       # j's pure strategy is a best reply: linear in i's mixture
                for b in range(shape[j]):
                    row = []
                    for m in S[i]:
                        here = [s[0] for s in S]
                        here[i] = m
                        there = list(here)
                        there[j] = b
                        row.append(_payoff(G, j, here) - _payoff(G, j, there))
                    rows.append(row)
            per_player = {i: _vertices(len(S[i]), rows)}
        else:
            per_player = {}
        choices = [per_player[j] if j in per_player else [[K.one]] for j in range(N)]
        for combo in itertools.product(*choices):
            mixed = []
            for j in range(N):
                vector = [K.zero] * shape[j]
                for s, v in zip(S[j], combo[j]):
                    vector[s] = v
                mixed.append(vector)
            if _regret_free(G, mixed):
                point = tuple(tuple(float(K.to_sympy(v)) for v in vector) for vector in mixed)
                if point not in found:
                    found.append(point)
    return found


# ---- the games and the comparison --------------------------------------------------------------
def _games(values_k, values_surd, indices, shape):
    G = np.empty((len(shape),) + shape, dtype=object)
    exact = np.empty(G.shape, dtype=object)
    for index, k in zip(np.ndindex(G.shape), indices):
        G[index], exact[index] = values_k[k], values_surd[k]
    return G, exact


_K_VALUES = [K.from_sympy(v) for v in VALUES]
_SURD_VALUES = [Surd.of(0), Surd.of(1), Surd.sqrt(2), Surd.sqrt(3), 2 * Surd.sqrt(2), Surd.sqrt(2) + Surd.sqrt(3)]


def _in_hull(point, points, tolerance=1e-9) -> bool:
    """Whether ``point`` is within ``tolerance`` (largest coordinate) of a convex combination of
    ``points`` (profiles, flattened): a linear program minimising the largest deviation."""
    x = np.concatenate([np.asarray(p, dtype=float) for p in point])
    P = np.array([np.concatenate([np.asarray(p, dtype=float) for p in q]) for q in points])
    if any(np.abs(row - x).max() <= tolerance for row in P):
        return True
    m, d = len(P), len(x)
    # variables: weights (m) and the deviation bound e; |P^T w - x| <= e, sum w = 1, w >= 0
    A_ub = np.block([[P.T, -np.ones((d, 1))], [-P.T, -np.ones((d, 1))]])
    b_ub = np.r_[x, -x]
    res = linprog(np.r_[np.zeros(m), 1.0], A_ub=A_ub, b_ub=b_ub, A_eq=np.r_[np.ones(m), 0.0][None],
                  b_eq=[1.0], bounds=[(0, None)] * (m + 1), method="highs")
    return res.status == 0 and res.fun <= tolerance


def covered(point, result) -> bool:
    """``point`` is a reported equilibrium or lies in the convex hull of a reported family's points."""
    if any(_in_hull(point, [p]) for p in result.profiles):
        return True
    return any(_in_hull(point, list(f.extreme_points)) for f in result.families if f.extreme_points)


def _check(shape, indices, gambit: bool = False):
    G, exact = _games(_K_VALUES, _SURD_VALUES, indices, shape)
    result = enumerate_polynomial(np.asarray(exact, dtype=float), algebraic=exact)
    floats = np.asarray(exact, dtype=float)
    for p in result.profiles:                          # every reported profile is an equilibrium
        vectors = [np.asarray(v, dtype=float) for v in p]
        for i in range(len(shape)):
            tensor = floats[i]
            for j in reversed(range(len(shape))):
                if j != i:
                    tensor = np.tensordot(tensor, vectors[j], axes=([j], [0]))
            assert tensor.max() - tensor @ vectors[i] <= 1e-9
    missed = [q for q in brute_force(G) if not covered(q, result)]
    assert not missed, f"equilibria missed: {missed}"
    if gambit:
        _gambit_check(floats, result)
    return result


def _gambit_check(floats, result):
    gbt = pytest.importorskip("pygambit")
    game = gbt.Game.new_table(list(floats.shape[1:]))
    for index in np.ndindex(floats.shape[1:]):
        for i, player in enumerate(game.players):
            game[index][player] = gbt.Decimal(repr(float(floats[(i,) + index])))
    for eq in gbt.nash.logit_solve(game).equilibria:
        point = tuple(tuple(float(eq[s]) for s in player.strategies) for player in game.players)
        near = any(_in_hull(point, [p], 1e-5) for p in result.profiles) or any(
            _in_hull(point, list(f.extreme_points), 1e-5) for f in result.families if f.extreme_points)
        assert near or not result.complete, f"Gambit's equilibrium {point} is not reported"


def _indices(shape):
    n = len(shape) * int(np.prod(shape))
    return st.lists(st.integers(0, len(VALUES) - 1), min_size=n, max_size=n)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_three_players_against_brute_force(data):
    shape = data.draw(st.sampled_from([(2, 2, 2), (2, 2, 3), (2, 3, 2)]))
    _check(shape, data.draw(_indices(shape)))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_indices((2, 2, 2, 2)))
def test_four_players_against_brute_force(indices):
    _check((2, 2, 2, 2), indices)


def test_few_values_make_ties_found_exactly_and_checked_by_gambit():
    """Seeded games with only three distinct values: ties everywhere, families in most games."""
    rng = np.random.default_rng(15)
    families = 0
    for shape in [(2, 2, 2)] * 6 + [(2, 2, 3)] * 3 + [(3, 3, 3)]:
        pick = rng.choice(len(VALUES), size=3, replace=False)
        result = _check(shape, [int(pick[k]) for k in rng.integers(0, 3, size=len(shape) * int(np.prod(shape)))],
                        gambit=True)
        families += bool(result.families)
    assert families >= 5


def test_surd_arithmetic_agrees_with_sympy():
    """The solver's exact numbers against sympy on every pair of values: sums, products, quotients, order."""
    for (a, x), (b, y) in itertools.product(list(zip(VALUES, _SURD_VALUES)), repeat=2):
        assert abs(float(x + y) - float(a + b)) < 1e-15 and abs(float(x * y) - float(a * b)) < 1e-14
        if b != 0:
            assert abs(float(x / y) - float(a / b)) < 1e-14
            assert (x / y) * y == x
        assert (x < y) == bool(a < b) and (x == y) == bool(sympy.simplify(a - b) == 0)


# ---- the example -----------------------------------------------------------------------
def test_tie3_reports_the_continuum(tmp_path: Path):
    path = tmp_path / "tie3.yaml"
    path.write_text(TIE3)
    game = load_game(path)
    numeric = evaluate_game(game, parameter_values(game))
    assert isinstance(numeric, AlgebraicGame) and numeric.exact_payoffs[0, 0, 0, 0] == Surd.sqrt(2)
    solution = solve(game)
    assert solution.complete
    pure = {e.label for e in solution.equilibria if e.pure}
    assert pure == {"a, a, a", "b, a, a", "b, b, b"}
    assert len(solution.equilibria) == 4
    # the continuum: P1 mixes a and b in any proportion, P2 = a, P3 = a
    (component,) = solution.components
    ends = {solution.equilibria[k].label for k in component.members}
    assert ends == {"a, a, a", "b, a, a"} and component.varying == (0,)
    # and (0.7, 0.3), a, a is an equilibrium, as the issue says
    assert numeric.is_nash([[0.7, 0.3], [1, 0], [1, 0]])


def test_decimals_are_exact_and_keep_the_continuum(tmp_path: Path):
    """The same game typed as 16-digit decimals: YAML decimals are exact rationals, so the ties stay
    exact (the exact rational route) and the continuum is found."""
    text = TIE3
    for root in (2, 3, 5, 6, 7):
        text = text.replace(f"sqrt({root})", repr(float(np.sqrt(root))))
    path = tmp_path / "tie3_decimals.yaml"
    path.write_text(text)
    solution = solve(load_game(path))
    assert solution.complete and len(solution.components) == 1
    assert {solution.equilibria[k].label for k in solution.components[0].members} == {"a, a, a", "b, a, a"}


def test_float_payoffs_with_ties_do_not_claim_completeness(tmp_path: Path):
    """Logarithms have no exact form here: the payoffs are floats, the float method treats the game
    as generic, and with ties within its tolerance it says the list may be incomplete."""
    text = TIE3
    for root in (2, 3, 5, 6, 7):
        text = text.replace(f"sqrt({root})", f"log({root})")
    path = tmp_path / "tie3_logs.yaml"
    path.write_text(text)
    solution = solve(load_game(path))
    assert not solution.complete
    (note,) = [n for n in solution.notes if n.code == "float-ties"]
    assert "e-12" in note.text() and "generic" in note.text()


def test_float_decimals_without_ties_name_the_tolerance():
    rng = np.random.default_rng(3)
    result = enumerate_polynomial(rng.random((3, 2, 2, 2)))
    assert result.complete
    assert any("generic" in n.text() and "tie within" in n.text() for n in result.notes)


def test_two_player_irrational_ties_stay_right(tmp_path: Path):
    """Two players (vertex enumeration on the floats, unchanged): A is indifferent when B plays a,
    and B keeps playing a while A plays b with probability at most sqrt(3/5) — an irrational end
    of the segment of equilibria; (b, b) is the other equilibrium."""
    path = tmp_path / "tie2.yaml"
    path.write_text("title: tie2\nplayers: [A, B]\nstrategies: {A: [a, b], B: [a, b]}\n"
                    "payoffs:\n  A: [[sqrt(2), 0], [sqrt(2), sqrt(3)]]\n  B: [[sqrt(3), 0], [sqrt(3), sqrt(5)]]\n")
    solution = solve(load_game(path))
    assert solution.complete and len(solution.equilibria) == 3
    assert {e.label for e in solution.equilibria if e.pure} == {"a, a", "b, b"}
    (component,) = solution.components
    ends = [solution.equilibria[k] for k in component.members]
    assert {e.label for e in ends} == {"a, a", ""}
    (mixed,) = [e for e in ends if not e.pure]
    assert abs(mixed.strategies["A"]["b"] - np.sqrt(3 / 5)) < 1e-12 and mixed.strategies["B"]["a"] == 1
