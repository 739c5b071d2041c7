"""Behaviour profiles listed once (issue 15): realization-equivalent extreme equilibria of the
reduced normal form are one behaviour profile, and every list says so exactly once."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.api import load_game, solve
from solver.equilibria import registry
from solver.equilibria.dedupe import deduplicated_result, distinct_profiles, extreme_point_counts
from solver.equilibria.result import AlgorithmResult, Family
from solver.model.random_games import random_perfect_information_tree
from solver.model.reduce import behaviour_from_mixed, reduced_normal_form
from solver.present.text import render

F = Fraction
GAMES = sorted((Path(__file__).parent.parent / "games").glob("*.yaml"))


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _key(equilibrium):
    """The listed profile (normal form: mixed strategies; trees: moves at each decision point)."""
    return _frozen({player: dict(points) for player, points in equilibrium.strategies.items()})


def _tree(seed: int, leaves: int | None = None):
    rng = np.random.default_rng(seed)
    return random_perfect_information_tree(leaves or int(rng.integers(3, 8)), 2, rng, chance_fraction=0.0,
                                           integer_payoffs=True, exact=True, payoff_range=(0, 3))


def _raw_behaviours(tree):
    """The behaviour profile of every extreme equilibrium of the reduced normal form, undeduplicated."""
    reduced = reduced_normal_form(tree)
    result = registry.run("auto", reduced.game)
    out = []
    for profile in result.profiles:
        behaviour = {}
        for i in range(tree.num_players):
            behaviour.update(behaviour_from_mixed(tree, reduced.strategies[i], list(profile[i])))
        out.append(behaviour)
    return out


def test_distinct_profiles_and_renumbered_families():
    a, b = {0: (F(1, 2), F(1, 2))}, {0: (F(1), F(0))}
    kept, group = distinct_profiles([a, b, dict(a), b, {0: (0.5, 0.5)}])
    assert kept == [0, 1] and group == [0, 1, 0, 1, 0] and extreme_point_counts(group) == [3, 2]
    result = AlgorithmResult("x", ("p0", "p1", "p2", "p3", "p4"), complete=True,
                             families=(Family(((0, 1),), (0,), ("e0", "e1"), members=(1, 2), all_extreme=True),
                                       Family(((0, 1),), (0,), ("e0", "e2"), members=(0, 2), all_extreme=True)))
    deduped = deduplicated_result(result, kept, group)
    assert deduped.profiles == ("p0", "p1")
    # the first family now joins profiles 1 and 0; the second had both ends on profile 0: one point, dropped
    assert [f.members for f in deduped.families] == [(0, 1)]


def test_regression_tree_with_realization_equivalent_equilibria():
    """A two-player tree (Bob has two decision points that do not follow each other): 12 extreme
    equilibria of the reduced normal form, 10 distinct behaviour profiles; two of them stand for
    two extreme equilibria each."""
    tree = _tree(3)
    raw = _raw_behaviours(tree)
    assert len(raw) == 12 and len(distinct_profiles(raw)[0]) == 10
    solution = solve(tree, concept="nash")
    keys = [_key(e) for e in solution.equilibria]
    assert len(keys) == len(set(keys)) == 10
    assert sorted(e.extreme_points for e in solution.equilibria) == [1] * 8 + [2] * 2
    data = solution.to_dict()
    assert sum(e.get("extreme_points", 1) for e in data["equilibria"]) == 12
    for component in data["components"]:          # members point into the deduplicated list
        assert all(0 <= k < 10 for k in component["equilibria"])
        assert component["numbers"] == [k + 1 for k in component["equilibria"]]
        for subset in component["maximal_nash_subsets"]:
            assert set(subset["equilibria"]) <= set(component["equilibria"])
    covered = {k for c in data["components"] for k in c["equilibria"]}
    assert covered == set(range(10))             # every listed equilibrium is in a component here
    text = render(solution)
    assert "12 extreme equilibria give these 10 distinct behaviour profiles" in text
    assert text.count("given by 2 extreme equilibria of the reduced normal form") == 2


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10 ** 6), st.integers(3, 8))
def test_random_trees_list_each_profile_once(seed, leaves):
    tree = _tree(seed, leaves)
    raw = _raw_behaviours(tree)
    solution = solve(tree, concept="nash")
    keys = [_key(e) for e in solution.equilibria]
    assert len(keys) == len(set(keys))
    assert len(keys) == len(distinct_profiles(raw)[0])
    assert sum(e.extreme_points for e in solution.equilibria) == len(raw)
    n = len(solution.equilibria)
    for family in tuple(solution.components) + tuple(solution.families):
        assert all(0 <= k < n for k in family.members)
    spe = solve(tree)
    spe_keys = [_key(e) for e in spe.equilibria]
    assert len(spe_keys) == len(set(spe_keys))


@pytest.mark.parametrize("path", [p for p in GAMES if p.stem not in ("tech_transfer", "tech_transfer_simultaneous")],
                         ids=lambda p: p.stem)
def test_no_game_lists_a_profile_twice(path):
    game = load_game(path)
    concepts = ["nash", "spe"] if hasattr(game, "infosets") else ["nash"]
    for concept in concepts:
        solution = solve(game, concept=concept, timeout=30)
        keys = [_key(e) for e in solution.equilibria]
        assert len(keys) == len(set(keys)), (path.stem, concept)
