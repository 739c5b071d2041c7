"""Tests for solver.equilibria.polynomial (support enumeration + polynomial systems, N >= 3)."""
from __future__ import annotations

import itertools
import json
import re
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.equilibria.homotopy import one_equilibrium
from solver.equilibria.polynomial import enumerate_polynomial
from solver.equilibria.result import DEADLINE, Family
from solver.core.numbers import payoff_scale
from solver.core.regret import is_nash, max_regret

DATA = Path(__file__).parent / "data" / "gambit"
F = Fraction


def _frac_profile(profile):
    return [[F(v) for v in p] for p in profile]


def _exact(profile) -> bool:
    return all(isinstance(v, F) for p in profile for v in p)


def _floats(profile) -> bool:
    return all(isinstance(v, float) for p in profile for v in p)


def _homotopy_profile(U):
    return one_equilibrium(U).profiles[0]


def _same(p, q, atol=1e-6) -> bool:
    return all(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), atol=atol, rtol=0)
               for a, b in zip(p, q))


def _contains(pool, q, atol=1e-6) -> bool:
    return any(_same(p, q, atol) for p in pool)


def _pure_equilibria(U) -> set:
    """Brute force over pure profiles."""
    U = np.asarray(U, dtype=object)
    N = U.shape[0]
    out = set()
    for prof in itertools.product(*[range(n) for n in U.shape[1:]]):
        ok = True
        for i in range(N):
            here = U[(i,) + prof]
            for b in range(U.shape[1 + i]):
                dev = list(prof)
                dev[i] = b
                if U[(i,) + tuple(dev)] > here:
                    ok = False
        if ok:
            out.add(prof)
    return out


def _pure_profiles_in(result) -> set:
    out = set()
    for eq in result.profiles:
        if all(np.count_nonzero(np.asarray(p, dtype=float)) == 1 for p in eq):
            out.add(tuple(int(np.flatnonzero(np.asarray(p, dtype=float))[0]) for p in eq))
    return out


def _read_nfg_outcomes(path: Path) -> np.ndarray:
    """Minimal reader for Gambit's outcome-style .nfg: outcome list, then one outcome number per
    profile with player 1's strategy changing fastest."""
    text = path.read_text()
    strategies = re.search(r"\{\s*(\{.*?\}\s*)+\}", text[text.index("}") + 1:], re.S).group(0)
    sizes = [len(re.findall(r'"[^"]*"', block)) for block in re.findall(r"\{([^{}]*)\}", strategies)]
    outcomes = [tuple(F(v) for v in re.findall(r"-?\d+(?:/\d+)?(?:\.\d+)?", body.split('"', 2)[2]))
                for body in re.findall(r'\{\s*("[^"]*"[^{}]*)\}', text[text.index(strategies) + len(strategies):])]
    numbers = [int(v) for v in text.strip().splitlines()[-1].split()]
    U = np.empty((len(sizes),) + tuple(sizes), dtype=object)
    for k, prof in enumerate(itertools.product(*[range(n) for n in reversed(sizes)])):
        values = outcomes[numbers[k] - 1] if numbers[k] else (F(0),) * len(sizes)
        for i in range(len(sizes)):
            U[(i,) + prof[::-1]] = values[i]
    return U


def jordan_matching_pennies() -> np.ndarray:
    """Jordan (1993, GEB 5: 368-386) three-player matching pennies: player 1 wants to match
    player 2, player 2 wants to match player 3, player 3 wants to mismatch player 1 (payoff 1 on
    success, 0 otherwise). Each player's payoff depends on one opponent only, and the cyclic
    'match, match, mismatch' has no pure solution, so the unique equilibrium is every player
    mixing 1/2 (any other mix of the watched player makes the watcher play pure, which unravels
    around the cycle)."""
    U = np.zeros((3, 2, 2, 2), dtype=object)
    for a, b, c in np.ndindex(2, 2, 2):
        U[0, a, b, c] = int(a == b)
        U[1, a, b, c] = int(b == c)
        U[2, a, b, c] = int(c != a)
    return U


# ---------------------------------------------------------------------------------------------
# Classic games
# ---------------------------------------------------------------------------------------------

def test_jordan_matching_pennies_unique_exact():
    res = enumerate_polynomial(jordan_matching_pennies())
    assert res.complete and not res.families
    assert len(res.profiles) == 1
    eq = res.profiles[0]
    assert _exact(eq)
    assert _frac_profile(eq) == [[F(1, 2), F(1, 2)]] * 3
    assert is_nash(jordan_matching_pennies(), eq)


def test_mckelvey_mclennan_2x2x2_has_nine_equilibria():
    U = _read_nfg_outcomes(DATA / "doc" / "2x2x2.nfg")
    assert U[:, 0, 0, 0].tolist() == [9, 8, 12] and U[:, 1, 1, 0].tolist() == [9, 8, 2]
    res = enumerate_polynomial(U)
    assert res.complete and not res.families
    assert len(res.profiles) == 9
    for eq in res.profiles:
        assert _exact(eq)                                  # all nine are rational
        assert is_nash(U, eq)                              # exact zero regret
    mixed = [eq for eq in res.profiles if all(min(p) > 0 for p in eq)]
    assert len(mixed) == 2
    # Gambit's reference answers for the pure equilibria
    ref = json.loads((DATA / "reference.json").read_text())["doc/2x2x2.nfg"]["pure_nash"]
    expected = {tuple(int(p.index("1")) for p in prof) for prof in ref}
    assert _pure_profiles_in(res) == expected == _pure_equilibria(U)


def test_mckelvey_mclennan_against_pygambit():
    gbt = pytest.importorskip("pygambit")
    U = _read_nfg_outcomes(DATA / "doc" / "2x2x2.nfg")
    game = gbt.Game.from_arrays(*[U[i] for i in range(3)])
    ref = [[np.array([float(eq[s]) for s in pl.strategies]) for pl in game.players]
           for eq in gbt.nash.enumpoly_solve(game).equilibria]
    ours = enumerate_polynomial(U).profiles
    assert len(ref) == len(ours) == 9
    assert all(_contains(ours, q) for q in ref)


def tech_transfer_game() -> np.ndarray:
    """Russia {Transfer, Withhold}, China {Restrain, Enable}, US {Engage, Deter};
    T, R, D indicate Transfer, Restrain, Deter.
    Russia = 4T - 6R - 2D, China = -3T - 6D - 2R, US = -8 T (1 - R/2)(1 - D/2) - 3D."""
    U = np.empty((3, 2, 2, 2), dtype=object)
    for a, b, c in np.ndindex(2, 2, 2):
        T, R, D = int(a == 0), int(b == 0), int(c == 1)
        U[0, a, b, c] = 4 * T - 6 * R - 2 * D
        U[1, a, b, c] = -3 * T - 6 * D - 2 * R
        U[2, a, b, c] = -8 * T * (1 - F(R, 2)) * (1 - F(D, 2)) - 3 * D
    return U


def test_tech_transfer_unique_equilibrium():
    # By hand: Transfer adds 4 to Russia's payoff whatever the others do, and Restrain costs
    # China 2 whatever the others do, so Transfer and Enable are strictly dominant. Against
    # (Transfer, Enable) the US gets -8 from Engage and -8/2 - 3 = -7 from Deter, so Deter.
    # Payoffs: Russia 4 - 2 = 2, China -3 - 6 = -9, US -7.
    U = tech_transfer_game()
    res = enumerate_polynomial(U)
    assert res.complete and not res.families and len(res.profiles) == 1
    eq = res.profiles[0]
    assert _frac_profile(eq) == [[1, 0], [0, 1], [0, 1]]
    assert [U[(i, 0, 1, 1)] for i in range(3)] == [2, -9, -7]
    assert _same(_homotopy_profile(U), eq)


# ---------------------------------------------------------------------------------------------
# Degenerate games: continua of equilibria
# ---------------------------------------------------------------------------------------------

def curve_game() -> np.ndarray:
    """Player 3 is indifferent (payoffs 0). Player 1 wants to match player 2, with a bonus of 1
    for matching on strategy 0 when player 3 plays strategy 1; player 2 wants to mismatch.
    With y = P2(s0) and z = P3(s1): player 1 is indifferent iff y (1 + z) = 1 - y, i.e.
    y = 1/(2 + z); player 2 is indifferent iff x = P1(s0) = 1/2. Neither 1 nor 2 has a pure
    reply that survives (matching pennies for every z), so the equilibria are exactly the curve
    {x = 1/2, y = 1/(2 + z), z in [0, 1]}: a 1-dimensional family with endpoints
    (1/2, 1/2, z = 0) and (1/2, 1/3, z = 1)."""
    U = np.zeros((3, 2, 2, 2), dtype=object)
    for a, b, c in np.ndindex(2, 2, 2):
        U[0, a, b, c] = int(a == b) * (1 + c * int(a == 0))
        U[1, a, b, c] = int(a != b)
    return U


def test_curve_family_detected_with_endpoints():
    U = curve_game()
    res = enumerate_polynomial(U)
    assert res.complete
    assert len(res.families) == 1
    fam = res.families[0]
    assert isinstance(fam, Family)
    assert fam.support == ((0, 1), (0, 1), (0, 1)) and fam.dimension == 1
    assert len(fam.extreme_points) >= 3
    for x, y, z in fam.extreme_points:
        assert is_nash(U, (x, y, z))
        assert x[0] == F(1, 2) and y[0] == 1 / (2 + z[1])   # on the hand-derived curve
    # the two endpoints have player 3 pure; they are the isolated solutions of their supports
    ends = [_frac_profile(e) for e in res.profiles]
    assert ends == [[[F(1, 2), F(1, 2)], [F(1, 3), F(2, 3)], [0, 1]],
                    [[F(1, 2), F(1, 2)], [F(1, 2), F(1, 2)], [1, 0]]]
    assert all(_contains(fam.extreme_points, e) for e in res.profiles)
    # players 2 and 3 move along the curve, player 1 stays at 1/2; a curve's points are samples
    assert fam.varying == (1, 2) and not fam.all_extreme
    assert fam.members == (0, 1)


def test_free_player_over_fixed_equilibrium():
    # Players 1 and 2 play matching pennies whatever player 3 does; player 3 gets 0 everywhere.
    # Equilibria: x = y = 1/2 with z anywhere in [0, 1] -- a segment.
    U = np.zeros((3, 2, 2, 2), dtype=object)
    for a, b, c in np.ndindex(2, 2, 2):
        U[0, a, b, c] = int(a == b)
        U[1, a, b, c] = int(a != b)
    res = enumerate_polynomial(U)
    assert [(f.support, f.dimension) for f in res.families] == [(((0, 1), (0, 1), (0, 1)), 1)]
    zs = sorted(sp[2][1] for sp in res.families[0].extreme_points)
    assert zs[0] == 0 and zs[-1] == 1 and all(sp[0][0] == sp[1][0] == F(1, 2)
                                               for sp in res.families[0].extreme_points)


def test_duplicate_strategies_give_polytope_family():
    # Player 3 has three identical strategies and players 1, 2 a strict pure equilibrium (0, 0):
    # player 3 may mix arbitrarily over its three strategies: a 2-dimensional simplex of
    # equilibria, vertices the three pure profiles (0, 0, c).
    U = np.zeros((3, 2, 2, 3), dtype=object)
    for a, b, c in np.ndindex(2, 2, 3):
        U[0, a, b, c] = 1 if a == 0 else 0
        U[1, a, b, c] = 1 if b == 0 else 0
        U[2, a, b, c] = 5
    res = enumerate_polynomial(U)
    assert res.complete
    dims = {f.support: f.dimension for f in res.families}
    assert dims[((0,), (0,), (0, 1, 2))] == 2
    assert dims[((0,), (0,), (0, 1))] == 1
    assert len(res.profiles) == 3 and _pure_profiles_in(res) == {(0, 0, 0), (0, 0, 1), (0, 0, 2)}
    big = next(f for f in res.families if f.dimension == 2)
    assert all(is_nash(U, sp) for sp in big.extreme_points)
    # player 3's probability of s0 ranges over [0, 1] on the simplex; the three vertices are listed
    assert sorted({sp[2][0] for sp in big.extreme_points}) == [0, 1]
    assert big.varying == (2,) and big.members == (0, 1, 2)
    segment = next(f for f in res.families if f.dimension == 1)
    assert segment.all_extreme and len(segment.extreme_points) == 2      # a segment's two ends


def test_family_on_one_of_several_components():
    # A 0/1 game found by random testing. On supports S1 = {1,2}, S2 = {0,2}, S3 = {0,2} write
    # x = P1(s2), y = P2(s2), z = P3(s2). Reading the tensor below:
    #   player 1: E(s1) = (1-y) z, E(s2) = (1-y)(1-z), E(s0) = y z   -> (1-y)(2z-1) = 0, z = 1/2,
    #             and s0 no better: y z <= (1-y) z, i.e. y <= 1/2;
    #   player 3: E(s0) = 1-x, E(s2) = (1-x) y + x (1-y), E(s1) = x  -> (1-2x)(1-y) = 0, x = 1/2;
    #   player 2: E(s0) = 1-z, E(s2) = E(s1) = (1-x) z + x (1-z): equal to 1/2 at z = 1/2.
    # So the equilibria with this support are x = z = 1/2, 0 < y <= 1/2: a segment, although the
    # indifference variety also has other components (x = y = 1, ...) outside the simplex.
    U = np.array([[[[0, 0, 0], [0, 0, 0], [0, 1, 1]], [[0, 0, 1], [0, 0, 1], [0, 1, 0]],
                   [[1, 1, 0], [0, 0, 1], [0, 1, 0]]],
                  [[[1, 1, 0], [0, 0, 0], [1, 1, 0]], [[1, 0, 0], [0, 0, 1], [0, 1, 1]],
                   [[1, 1, 0], [1, 1, 0], [1, 1, 0]]],
                  [[[0, 1, 0], [1, 1, 0], [0, 1, 1]], [[1, 0, 0], [1, 1, 0], [1, 0, 1]],
                   [[0, 1, 1], [1, 0, 0], [0, 1, 0]]]], dtype=object)
    res = enumerate_polynomial(U)
    assert res.complete
    fam = next(f for f in res.families if f.support == ((1, 2), (0, 2), (0, 2)))
    assert fam.dimension == 1
    ys = set()
    for x, y, z in fam.extreme_points:
        assert is_nash(U, (x, y, z))
        assert x[2] == z[2] == F(1, 2) and 0 <= y[2] <= F(1, 2)
        ys.add(y[2])
    assert F(1, 2) in ys and any(0 < v < F(1, 2) for v in ys)


def test_all_zero_game_is_one_big_family():
    U = np.zeros((3, 2, 2, 2), dtype=object)
    res = enumerate_polynomial(U)
    assert res.complete
    assert max(f.dimension for f in res.families) == 3
    assert len(res.profiles) == 8        # the pure profiles


# ---------------------------------------------------------------------------------------------
# Random games
# ---------------------------------------------------------------------------------------------

def _games(shapes, kind):
    def build(draw):
        shape = draw(st.sampled_from(shapes))
        size = int(np.prod((len(shape),) + shape))
        if kind == "gauss":
            vals = draw(st.lists(st.floats(-10, 10, allow_nan=False, width=64), min_size=size, max_size=size))
            rng = np.random.default_rng(draw(st.integers(0, 2 ** 32 - 1)))
            return (np.array(vals) + rng.normal(size=size)).reshape((len(shape),) + shape)
        vals = draw(st.lists(st.integers(-2, 2), min_size=size, max_size=size))
        return np.array(vals, dtype=object).reshape((len(shape),) + shape)
    return st.composite(lambda draw: build(draw))()


def _check_result(U, res):
    for eq in res.profiles:
        assert is_nash(U, eq)
    for fam in res.families:
        assert fam.dimension >= 1 and fam.extreme_points
        for sp in fam.extreme_points:
            assert is_nash(U, sp)
    assert _pure_profiles_in(res) == _pure_equilibria(U)
    keys = [tuple(float(v) for p in eq for v in p) for eq in res.profiles]
    assert keys == sorted(keys, key=lambda k: tuple(round(v, 7) for v in k))
    for a, b in itertools.combinations(res.profiles, 2):
        assert not _same(a, b)


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_games([(2, 2, 2), (2, 2, 3)], "int"))
def test_random_small_integer_games(U):
    res = enumerate_polynomial(U)
    _check_result(U, res)
    # exact in -> exact out wherever the solution is rational
    assert res.label.startswith("support enumeration + exact")


@settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(_games([(2, 2, 2), (2, 2, 3)], "gauss"))
def test_random_gaussian_games(U):
    res = enumerate_polynomial(U)
    _check_result(np.asarray(U, dtype=float), res)
    assert res.complete and not res.families
    assert all(_floats(eq) for eq in res.profiles)
    # the logit homotopy's equilibrium is one of them
    assert _contains(res.profiles, _homotopy_profile(U))
    try:
        import pygambit as gbt    # optional: the comparison with Gambit runs where it is installed
    except ImportError:
        return
    game = gbt.Game.from_arrays(*[U[i] for i in range(U.shape[0])])
    ref = [[np.array([float(eq[s]) for s in pl.strategies]) for pl in game.players]
           for eq in gbt.nash.enumpoly_solve(game).equilibria]
    # every equilibrium Gambit finds is ours (Gambit sometimes misses mixed ones)
    for q in ref:
        assert _contains(res.profiles, q, atol=1e-4)


def test_random_3x3x3_against_pygambit():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(7)
    for _ in range(2):
        U = rng.normal(size=(3, 3, 3, 3))
        res = enumerate_polynomial(U)
        _check_result(U, res)
        game = gbt.Game.from_arrays(*[U[i] for i in range(3)])
        ref = [[np.array([float(eq[s]) for s in pl.strategies]) for pl in game.players]
               for eq in gbt.nash.enumpoly_solve(game).equilibria]
        assert all(_contains(res.profiles, q, atol=1e-4) for q in ref)


def test_four_players_and_homotopy():
    rng = np.random.default_rng(3)
    U = rng.normal(size=(4, 2, 2, 2, 2))
    res = enumerate_polynomial(U)
    _check_result(U, res)
    assert res.complete and _contains(res.profiles, _homotopy_profile(U))


def test_two_players_match_nashpy():
    nashpy = pytest.importorskip("nashpy")
    rng = np.random.default_rng(11)
    for _ in range(3):
        A, B = rng.normal(size=(2, 3, 4))
        ours = enumerate_polynomial(np.array([A, B])).profiles
        ref = list(nashpy.Game(A, B).vertex_enumeration())
        assert len(ours) == len(ref) and all(_contains(ours, q) for q in ref)


def test_integer_valued_floats_are_solved_exactly_and_returned_as_floats():
    U = _read_nfg_outcomes(DATA / "doc" / "2x2x2.nfg").astype(float)
    res = enumerate_polynomial(U)
    assert len(res.profiles) == 9
    assert all(_floats(eq) for eq in res.profiles)
    assert all(max_regret(U, eq) <= 1e-12 * payoff_scale(U) for eq in res.profiles)


def test_deadline_in_the_past_marks_incomplete():
    U = np.random.default_rng(0).normal(size=(3, 3, 3, 3))
    res = enumerate_polynomial(U, deadline=time.monotonic() - 1)
    assert not res.complete
    assert res.complete is False and res.has_note(DEADLINE)
    assert all(is_nash(U, eq) for eq in res.profiles)


def test_bad_shape_rejected():
    with pytest.raises(ValueError):
        enumerate_polynomial(np.zeros((3, 2, 2)))


def test_an_irrational_root_next_to_a_payoff_of_1e300_is_not_lost():
    """A fuzzer find (seed 41, case 5498): the 2×2×2 game of van der Laan et al. with one of
    player 2's payoffs raised to 1e300 has one equilibrium, an irrational root where player 3
    plays its second strategy with probability about 2.6e-300. At 50 digits Horner's rule lost
    it to cancellation and the method reported no equilibrium as complete.

    Oracle, by hand from the payoffs: with x, y, z the first strategies' probabilities, player 3's
    indifference is -2xy + 8x - y - 1 = 0 and player 1's is 8yz + 9y - 3z - 3 = 0, so
    y = (3z + 3)/(8z + 9) and x = (1 + y)/(8 - 2y); player 2's indifference then leaves one
    equation in t = 1 - z, solved here by bisection at 700 digits."""
    import mpmath

    M = 10 ** 300
    payoffs = np.empty((3, 2, 2, 2), dtype=object)
    outcomes = {(0, 0, 0): (3, -4, -4), (0, 0, 1): (-2, -2, -8), (0, 1, 0): (-8, 3, -1), (0, 1, 1): (-5, -6, -8),
                (1, 0, 0): (-8, -2, -4), (1, 0, 1): (-8, M, -2), (1, 1, 0): (-2, -1, -2), (1, 1, 1): (-2, -3, -1)}
    for profile, values in outcomes.items():
        for player, value in enumerate(values):
            payoffs[(player,) + profile] = F(value)
    result = enumerate_polynomial(payoffs)
    assert result.complete and len(result.profiles) == 1
    (p1, p2, p3), = result.profiles

    with mpmath.workdps(700):
        def player_2_indifference(t):
            z = 1 - t
            y = (3 * z + 3) / (8 * z + 9)
            x = (1 + y) / (8 - 2 * y)
            first = x * z * -4 + x * (1 - z) * -2 + (1 - x) * z * -2 + (1 - x) * (1 - z) * M
            second = x * z * 3 + x * (1 - z) * -6 + (1 - x) * z * -1 + (1 - x) * (1 - z) * -3
            return (first - second) * mpmath.mpf(10) ** 300
        low, high = mpmath.mpf("1e-301"), mpmath.mpf("1e-299")
        assert player_2_indifference(low) * player_2_indifference(high) < 0
        for _ in range(200):                                     # bisection: a sign change brackets the root
            middle = (low + high) / 2
            if player_2_indifference(low) * player_2_indifference(middle) <= 0:
                high = middle
            else:
                low = middle
        t = (low + high) / 2
        z = 1 - t
        y = (3 * z + 3) / (8 * z + 9)
        x = (1 + y) / (8 - 2 * y)
        assert 2e-300 < t < 3e-300
        assert abs(float(p3[1]) - float(t)) <= 1e-9 * float(t)
        assert abs(float(p1[0]) - float(x)) < 1e-12 and abs(float(p2[0]) - float(y)) < 1e-12


def test_the_sign_at_an_irrational_root_is_exact_when_floats_cannot_tell():
    """At sqrt(2) the polynomial w - 14142135623730950488016887242097/10^31 is about -2e-32 (sqrt(2)
    = 1.41421356237309504880168872420969807…, by hand from its known digits); 20 digits cannot
    tell its sign, so the isolating interval decides, and the nearby rational just below sqrt(2)
    gives +1."""
    import mpmath
    import sympy

    from solver.equilibria.polynomial import algebraic

    f = sympy.Poly(algebraic._SEPARATOR ** 2 - 2, algebraic._SEPARATOR, domain="QQ")
    (low, high), _ = f.intervals()[1]
    with mpmath.workdps(20):
        x = mpmath.sqrt(2)
        above = [F(1), -F(14142135623730950488016887242097, 10 ** 31)]
        below = [F(1), -F(14142135623730950488016887242096, 10 ** 31)]
        value, bound = algebraic._horner_with_bound(above, x)
        assert not algebraic._trusted(value, bound, 20, 2)
        assert algebraic._sign_at_root(above, x, 20, f, low, high) == -1
        assert algebraic._sign_at_root(below, x, 20, f, low, high) == 1
        assert algebraic._sign_at_root([F(1), F(-1)], x, 20, f, low, high) == 1       # sqrt(2) - 1, from the float


def test_a_system_error_after_the_budget_alarm_is_the_deadline():
    """A fuzzer find (seed 41, case 9698; a timing race, not reproducible on demand): the budget's
    alarm fired while numpy was calling Fraction code from C, and a SystemError not chained to the
    alarm's exception escaped as an internal error. Here the alarm's exception is swallowed and a
    bare SystemError follows, as from C code; it must read as the deadline."""
    from solver.core.deadline import DeadlinePassed
    from solver.equilibria.polynomial import budget

    def swallowed_then_system_error():
        interrupted = False
        try:
            time.sleep(2)
        except DeadlinePassed:
            interrupted = True
        if interrupted:
            raise SystemError("<function Fraction.numerator> returned a result with an exception set")

    with pytest.raises(DeadlinePassed):
        with budget._time_limit(0.05):
            swallowed_then_system_error()
    with pytest.raises(SystemError):          # without the alarm, a SystemError is a bug and stays one
        with budget._time_limit(5):
            raise SystemError("unrelated")


def test_the_budget_alarm_inside_numpy_object_loops_always_reads_as_the_deadline():
    """The race itself, provoked: exact regret checks (numpy object arrays of Fractions, the code
    where the fuzzer saw it) interrupted by the budget's alarm 200 times at random moments. With
    the old check (a SystemError chained to the alarm's exception) most interruptions escaped as a
    SystemError, and about one in 3,000 as a TypeError; every one must be the deadline."""
    import random

    from solver.core.deadline import DeadlinePassed
    from solver.equilibria.polynomial import budget

    rng = random.Random(1)
    G = np.empty((3, 4, 4, 4), dtype=object)
    for index in np.ndindex(G.shape):
        G[index] = F(rng.randint(-50, 50), rng.randint(1, 9))
    profile = [np.array([F(1, 4)] * 4, dtype=object) for _ in range(3)]
    for _ in range(200):
        with pytest.raises(DeadlinePassed):
            with budget._time_limit(rng.uniform(0.001, 0.01)):
                while True:
                    is_nash(G, profile)
