"""Tests for solver.equilibria.components (connected components and maximal Nash subsets).

Hand-worked degenerate games, plus brute force on random games: components by a breadth-first
search written here, maximal bicliques by checking every subset of row strategies.
"""
from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.core.regret import is_nash
from solver.equilibria.components import (distinct_strategies, equilibrium_components, equilibrium_families,
                                          maximal_families, maximal_nash_subsets, nash_subset_members)
from solver.equilibria.enumerate2 import enumerate_extreme_equilibria
from solver.equilibria.polynomial import enumerate_polynomial
from solver.equilibria.result import Family

F = Fraction


def obj(rows) -> np.ndarray:
    return np.array(rows, dtype=object)


def solve(A, B):
    A, B = obj(A), obj(B)
    extremes = enumerate_extreme_equilibria(A, B).profiles
    return A, B, extremes


def named(extremes, indices):
    return {(tuple(extremes[k][0]), tuple(extremes[k][1])) for k in indices}


def test_edge_continuum_is_one_component_with_two_extremes():
    # Row 0 strictly dominates; the column player is indifferent: x = (1, 0), any y.
    A, B, extremes = solve([[1, 1], [0, 0]], [[0, 0], [0, 0]])
    assert len(extremes) == 2
    assert equilibrium_components(A, B, extremes) == ((0, 1),)
    ((xs, ys),) = maximal_nash_subsets(A, B, extremes)
    assert len(xs) == 1 and len(ys) == 2
    assert {tuple(extremes[i][1]) for i in ys} == {(1, 0), (0, 1)}


def test_nondegenerate_game_has_singleton_components():
    A, B, extremes = solve([[2, 0], [0, 1]], [[1, 0], [0, 2]])  # battle of the sexes
    assert equilibrium_components(A, B, extremes) == ((0,), (1,), (2,))
    assert maximal_nash_subsets(A, B, extremes) == (((0,), (0,)), ((1,), (1,)), ((2,), (2,)))


def test_all_zero_game_is_one_full_nash_subset():
    A, B, extremes = solve([[0, 0], [0, 0]], [[0, 0], [0, 0]])
    assert len(extremes) == 4
    assert equilibrium_components(A, B, extremes) == ((0, 1, 2, 3),)
    ((xs, ys),) = maximal_nash_subsets(A, B, extremes)
    assert {tuple(extremes[i][0]) for i in xs} == {(1, 0), (0, 1)}
    assert {tuple(extremes[i][1]) for i in ys} == {(1, 0), (0, 1)}


def test_three_nash_subsets_in_one_component():
    # Column player indifferent (B = 0); row 0 is a best response iff y0 >= y2, row 1 iff
    # y2 >= y0. Extreme equilibria: e0 with y in {e0, e1, m}, e1 with y in {e1, e2, m}, where
    # m = (1/2, 0, 1/2). Maximal bicliques: ({e0}, {e0, e1, m}), ({e1}, {e1, e2, m}),
    # ({e0, e1}, {e1, m}) — one component.
    A, B, extremes = solve([[1, 1, 0], [0, 1, 1]], [[0, 0, 0], [0, 0, 0]])
    e = lambda *v: tuple(F(x) for x in v)  # noqa: E731
    m = e(F(1, 2), 0, F(1, 2))
    assert named(extremes, range(len(extremes))) == {
        (e(1, 0), e(1, 0, 0)), (e(1, 0), e(0, 1, 0)), (e(1, 0), m),
        (e(0, 1), e(0, 1, 0)), (e(0, 1), e(0, 0, 1)), (e(0, 1), m)}
    assert equilibrium_components(A, B, extremes) == (tuple(range(6)),)
    subsets = {(frozenset(tuple(extremes[i][0]) for i in xs), frozenset(tuple(extremes[j][1]) for j in ys))
               for xs, ys in maximal_nash_subsets(A, B, extremes)}
    assert subsets == {
        (frozenset({e(1, 0)}), frozenset({e(1, 0, 0), e(0, 1, 0), m})),
        (frozenset({e(0, 1)}), frozenset({e(0, 1, 0), e(0, 0, 1), m})),
        (frozenset({e(1, 0), e(0, 1)}), frozenset({e(0, 1, 0), m})),
    }


def test_families_describe_components_with_several_members():
    # The game above: one component; its Nash subset ({e0}, {e0, e1, m}) is a triangle, so the
    # component has dimension 2; both players' strategies vary across it.
    A, B, extremes = solve([[1, 1, 0], [0, 1, 1]], [[0, 0, 0], [0, 0, 0]])
    (family,) = equilibrium_families(extremes)
    assert family.members == tuple(range(6)) and family.dimension == 2 and family.varying == (0, 1)
    assert family.support == ((0, 1), (0, 1, 2))
    assert family.extreme_points == tuple((tuple(x), tuple(y)) for x, y in extremes)
    # Two separate segments: two families of dimension 1; isolated equilibria give none.
    A, B, extremes = solve([[1, 0, 0], [0, 1, 0]], [[1, 1, 0], [0, 1, 1]])
    assert [(f.dimension, f.varying) for f in equilibrium_families(extremes)] == [(1, (1,)), (1, (1,))]
    assert equilibrium_families(solve([[2, 0], [0, 1]], [[1, 0], [0, 2]])[2]) == ()


def test_two_components():
    # Two separate edge continua: x = e0 with y on [(1,0,0), (1/2,1/2,0)], x = e1 with y on [e1, e2].
    A, B, extremes = solve([[1, 0, 0], [0, 1, 0]], [[1, 1, 0], [0, 1, 1]])
    components = equilibrium_components(A, B, extremes)
    assert len(components) == 2 and all(len(c) == 2 for c in components)
    assert len(maximal_nash_subsets(A, B, extremes)) == 2


def test_float_extremes_and_validation():
    A = np.array([[1.0, 1.0], [0.0, 0.0]])
    B = np.zeros((2, 2))
    extremes = enumerate_extreme_equilibria(A, B).profiles
    assert equilibrium_components(A, B, extremes) == ((0, 1),)
    with pytest.raises(ValueError):
        equilibrium_components(A, B, [(np.array([0.0, 1.0]), np.array([1.0, 0.0]))])  # not Nash
    assert equilibrium_components(A, B, []) == ()
    assert maximal_nash_subsets(A, B, []) == ()


def brute_components(extremes):
    x_ids, y_ids, _, _ = distinct_strategies(extremes)
    seen, out = set(), []
    for start in range(len(extremes)):
        if start in seen:
            continue
        group, stack = set(), [start]
        while stack:
            k = stack.pop()
            if k in group:
                continue
            group.add(k)
            stack.extend(j for j in range(len(extremes)) if x_ids[j] == x_ids[k] or y_ids[j] == y_ids[k])
        seen |= group
        out.append(tuple(sorted(group)))
    return tuple(out)


def brute_bicliques(extremes):
    x_ids, y_ids, x_first, y_first = distinct_strategies(extremes)
    edges = set(zip(x_ids, y_ids))
    nx, ny = len(x_first), len(y_first)
    found = set()
    for r in range(1, nx + 1):
        for xs in itertools.combinations(range(nx), r):
            ys = frozenset(b for b in range(ny) if all((a, b) in edges for a in xs))
            if not ys:
                continue
            closure = frozenset(a for a in range(nx) if all((a, b) in edges for b in ys))
            if closure == frozenset(xs):
                found.add((tuple(sorted(x_first[a] for a in xs)), tuple(sorted(y_first[b] for b in ys))))
    return tuple(sorted(found))


@settings(max_examples=80, deadline=None)
@given(st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(
    lambda s: st.tuples(*[st.lists(st.lists(st.integers(0, 2), min_size=s[1], max_size=s[1]),
                                   min_size=s[0], max_size=s[0])] * 2)))
def test_random_degenerate_games_match_brute_force(game):
    A, B, extremes = solve(*game)
    components = equilibrium_components(A, B, extremes)
    assert components == brute_components(extremes)
    subsets = maximal_nash_subsets(A, B, extremes)
    assert subsets == brute_bicliques(extremes)
    # Every extreme equilibrium lies in some maximal Nash subset, inside its own component.
    x_ids, y_ids, x_first, y_first = distinct_strategies(extremes)
    component_of = {k: c for c, members in enumerate(components) for k in members}
    for k in range(len(extremes)):
        assert any(x_first[x_ids[k]] in xs and y_first[y_ids[k]] in ys for xs, ys in subsets)
    for xs, ys in subsets:
        assert len({component_of[i] for i in xs + ys}) == 1


def test_nash_subset_members_name_each_convex_set_by_its_listed_vertices():
    # The game of test_three_nash_subsets_in_one_component: the three subsets as equilibria.
    A, B, extremes = solve([[1, 1, 0], [0, 1, 1]], [[0, 0, 0], [0, 0, 0]])
    members = nash_subset_members(extremes)
    pairs = {(xs, ys) for xs, ys in maximal_nash_subsets(A, B, extremes)}
    x_ids, y_ids, _, _ = distinct_strategies(extremes)
    assert len(members) == len(pairs) == 3
    for subset in members:         # a product X' × Y': every row strategy with every column strategy
        assert len(subset) == len({x_ids[k] for k in subset}) * len({y_ids[k] for k in subset})
    assert nash_subset_members(solve([[2, 0], [0, 1]], [[1, 0], [0, 2]])[2]) == ((0,), (1,), (2,))


@settings(max_examples=60, deadline=None)
@given(st.tuples(st.integers(1, 4), st.integers(1, 4)).flatmap(
    lambda s: st.tuples(*[st.lists(st.lists(st.integers(0, 2), min_size=s[1], max_size=s[1]),
                                   min_size=s[0], max_size=s[0])] * 2)))
def test_every_mixture_inside_a_nash_subset_is_an_equilibrium(game):
    """What the reports say of a maximal Nash subset: its listed equilibria and every mixture of them
    (a profile mixing them with any weights, here the centre and a lopsided one) are equilibria."""
    A, B, extremes = solve(*game)
    payoffs = np.stack([A, B])
    for subset in nash_subset_members(extremes):
        for weights in ([F(1, len(subset))] * len(subset), [F(k + 1, sum(range(1, len(subset) + 1)))
                                                             for k in range(len(subset))]):
            point = [sum(w * np.asarray(extremes[k][i], dtype=object) for w, k in zip(weights, subset)) for i in range(2)]
            assert is_nash(payoffs, point)
    covered = {k for subset in nash_subset_members(extremes) for k in subset}
    assert covered == set(range(len(extremes)))


def test_maximal_families_drop_the_faces_of_a_larger_family():
    # Alice and Bob have dominant strategies; Carol is indifferent among three: a triangle of
    # equilibria, whose edges a support enumeration finds again as segments.
    payoffs = np.zeros((3, 2, 2, 3), dtype=object)
    payoffs[0, 0, :, :] = 1
    payoffs[1, :, 0, :] = 1
    result = enumerate_polynomial(payoffs)
    assert len(result.families) == 4
    (kept,) = maximal_families(result.families, payoffs)
    assert kept.dimension == 2 and kept.support == ((0,), (0,), (0, 1, 2))
    # Without the payoffs only repeats are dropped; a subgame's families are compared with their own.
    assert maximal_families(result.families + result.families[:1]) == result.families
    elsewhere = tuple(Family(f.support, f.varying, f.extreme_points, dimension=f.dimension, where="x")
                      for f in result.families)
    assert len(maximal_families(elsewhere, payoffs)) == 4


def test_a_family_with_other_fixed_strategies_is_no_face():
    # Two segments of a 2×2×2 game in which Carol's mixture varies: one with Alice playing a, one
    # with Alice mixing half and half. The first's supports lie in the second's, but Alice's
    # strategy, fixed in the second, differs: both stay (in the all-zero game every profile is
    # an equilibrium, so only the fixed strategies tell them apart).
    one = Family(((0,), (0,), (0, 1)), (2,), (((1, 0), (1, 0), (1, 0)), ((1, 0), (1, 0), (0, 1))), dimension=1)
    half = (F(1, 2), F(1, 2))
    two = Family(((0, 1), (0,), (0, 1)), (2,), ((half, (1, 0), (1, 0)), (half, (1, 0), (0, 1))), dimension=1)
    payoffs = np.zeros((3, 2, 2, 2), dtype=object)
    assert len(maximal_families((one, two), payoffs)) == 2
    # while a family in which Alice's mixture varies too contains the first
    three = Family(((0, 1), (0,), (0, 1)), (0, 2), ((half, (1, 0), (1, 0)),), dimension=2)
    assert maximal_families((one, three), payoffs) == (three,)
