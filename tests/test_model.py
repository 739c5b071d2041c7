"""Expressions, the loader's three bodies, extends, the reduced normal form, the tree's level plan and
the profile walker."""
import dataclasses
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from solver import load_game
from solver.model.expr import ExpressionError, compile_numpy, evaluate, parse_expression
from solver.model.random_games import random_perfect_information_tree, two_round_poker
from solver.model.reduce import behaviour_from_mixed, reduced_normal_form
from solver.model.tree import CHANCE
from solver.model.walk import (chance_reach, expected_payoffs, outcome_distribution, product, reach_probabilities,
                               subtree_values)


@pytest.mark.parametrize("text, values, expected", [
    ("0.1 + 0.2", {}, Fraction(3, 10)),
    ("1/3", {}, Fraction(1, 3)),
    ("2**-1", {}, Fraction(1, 2)),
    ("-x", {"x": 2}, Fraction(-2)),
    ("min(a, b, 3) + max(a, b)", {"a": 1, "b": 5}, Fraction(6)),
    ("abs(a - b)", {"a": 1, "b": 5}, Fraction(4)),
    ("a > 2 and b <= 5", {"a": 3, "b": 5}, Fraction(1)),
    ("a > 2 or not b", {"a": 1, "b": 0}, Fraction(1)),
    ("(a == 1) + (a != 1)", {"a": 1}, Fraction(1)),
    ("1 < a < 3", {"a": 2}, Fraction(1)),
    ("sqrt(4)", {}, Fraction(2)),
])
def test_exact_evaluation(text, values, expected):
    assert evaluate(parse_expression(text, set(values)), values) == expected


def test_irrational_values_become_floats():
    assert evaluate(parse_expression("sqrt(2)"), {}) == pytest.approx(2 ** 0.5)
    assert evaluate(parse_expression("exp(x) + log(x)", {"x"}), {"x": 1}) == pytest.approx(np.e)


@pytest.mark.parametrize("text, fragment", [
    ("__import__('os').system('ls')", "cannot be called"),
    ("x.real", "attribute access"),
    ("[1, 2][0]", "subscripting"),
    ("lambda: 1", "a lambda"),
    ("open('f')", "function 'open' is not allowed"),
    ("'text'", "only numbers"),
    ("True", "only numbers"),
    ("1 if x else 2", "a conditional expression"),
    ("x // 2", "FloorDiv"),
    ("1/0", "division by zero"),
    ("y", "unknown name 'y'"),
    ("min(1)", "at least 2"),
    ("sqrt(1, 2)", "takes 1"),
    ("max(a=1, b=2)", "keyword"),
    ("", "empty"),
    ("1 +", "cannot parse"),
])
def test_rejected_expressions(text, fragment):
    with pytest.raises(ExpressionError, match=None) as error:
        parse_expression(text, {"x"})
    assert fragment in str(error.value)


@settings(max_examples=50, deadline=None)
@given(st.fractions(min_value=-10, max_value=10, max_denominator=20), st.fractions(min_value=-10, max_value=10, max_denominator=20))
def test_numpy_compilation_agrees_with_exact_evaluation(a, b):
    text = "a*b - min(a, b) + (a > b) * 3 + abs(b)"
    expr = parse_expression(text, {"a", "b"})
    (compiled,) = compile_numpy([expr], ["a", "b"])(np.array([float(a)]), np.array([float(b)]))
    assert compiled[0] == pytest.approx(float(evaluate(expr, {"a": a, "b": b})))


def test_normal_form_layouts_agree(tmp_path):
    nested = load_game("games/prisoners_dilemma.yaml").evaluated()
    arrays = tmp_path / "pd.yaml"
    arrays.write_text("title: pd\nplayers: [Row, Column]\nstrategies: {Row: [Cooperate, Defect], Column: [Cooperate, Defect]}\n"
                      "payoffs: {Row: [[2, 0], [3, 1]], Column: [[2, 3], [0, 1]]}\n")
    assert np.array_equal(load_game(str(arrays)).evaluated().payoffs, nested.payoffs)


def test_payoff_leaf_as_mapping(tmp_path):
    path = tmp_path / "g.yaml"
    path.write_text("title: g\nplayers: [A, B]\nstrategies: {A: [x], B: [y]}\npayoffs: {x: {y: {B: 2, A: 1}}}\n")
    assert load_game(str(path)).evaluated().payoffs[:, 0, 0].tolist() == [1, 2]


def test_game_model_is_immutable():
    game = load_game("games/chicken.yaml")
    with pytest.raises(ValueError):
        game.payoffs[0, 0, 0] = 5
    with pytest.raises(dataclasses.FrozenInstanceError):
        game.players = ("x",)
    tree = load_game("games/tech_transfer.yaml")
    with pytest.raises(ValueError):
        tree.parent[0] = 3


def test_staged_game_with_observes_and_chance(tmp_path):
    path = tmp_path / "covert.yaml"
    path.write_text("""\
title: covert
players: [Russia, US]
parameters: {q: 0.7, f: 0.1}
stages:
  - {player: Russia, moves: [transfer, withhold]}
  - {chance: signal, outcomes: {alarm: "transfer*q + withhold*f", quiet: "1 - transfer*q - withhold*f"}}
  - {player: US, moves: [deter, engage], observes: [signal]}
payoffs:
  Russia: "transfer - 2*transfer*deter"
  US: "-transfer*(1 - deter) - deter/4"
""")
    tree = load_game(str(path))
    labels = sorted((tree.players[s.player], s.label, len(s.nodes)) for s in tree.infosets)
    assert labels == [("Russia", "root", 1), ("US", "alarm", 2), ("US", "quiet", 2)]
    numeric = tree.evaluated()
    probs = sorted(numeric.chance_probs[n] for n in range(numeric.num_nodes) if numeric.parent[n] >= 0
                   and numeric.node_player[numeric.parent[n]] == -1)
    assert probs == [Fraction(1, 10), Fraction(3, 10), Fraction(7, 10), Fraction(9, 10)]


def test_when_skips_a_stage(tmp_path):
    path = tmp_path / "w.yaml"
    path.write_text("""\
title: when
players: [A, B]
stages:
  - {player: A, moves: [enter, stay]}
  - {player: B, moves: [fight, share], when: enter}
payoffs: {A: "enter*(2*share - fight)", B: "enter*(share - 2*fight) + stay*3"}
""")
    tree = load_game(str(path))
    assert tree.num_nodes == 5          # root, enter, stay (leaf), enter/fight, enter/share
    from solver import solve
    (eq,) = solve(tree).equilibria
    assert eq.path == (("enter → share", 1),)


def test_simultaneous_staged_game_is_a_normal_form():
    game = load_game("games/tech_transfer_simultaneous.yaml")
    assert game.strategies == (("Transfer", "Withhold"), ("Restrain", "Enable"), ("Engage", "Deter"))
    assert game.info.title.startswith("Technology transfer when nobody")
    assert [p.name for p in game.info.parameters][0] == "ammo_gain"     # inherited through extends


def test_reduced_normal_form_of_tech_transfer():
    reduced = reduced_normal_form(load_game("games/tech_transfer.yaml").evaluated())
    assert reduced.game.shape == (2, 4, 16)
    assert reduced.game.strategies[1][1] == "Transfer: Restrain; Withhold: Enable"
    assert [s.gambit_label for s in reduced.strategies[1]] == ["11", "12", "21", "22"]


def test_reduced_normal_form_drops_moves_own_play_excludes():
    reduced = reduced_normal_form(load_game("games/centipede.yaml").evaluated())
    # Ann: Take at stage 1 makes stage 3 irrelevant: Take, Pass+Take, Pass+Pass
    assert [s.gambit_label for s in reduced.strategies[0]] == ["1*", "21", "22"]
    assert reduced.game.strategies[0] == ("stage1: Take", "stage1: Pass; stage3: Take", "stage1: Pass; stage3: Pass")
    # payoff of (Pass then Take, Take at stage 2) is Bob's take: (0, 2)
    assert list(reduced.game.payoffs[:, 1, 0]) == [0, 2]


def test_behaviour_from_mixed_is_realisation_equivalent():
    tree = load_game("games/centipede.yaml").evaluated()
    reduced = reduced_normal_form(tree)
    mixed = [Fraction(1, 2), Fraction(1, 4), Fraction(1, 4)]
    behaviour = behaviour_from_mixed(tree, reduced.strategies[0], mixed)
    stage1, stage3 = reduced.strategies[0][0].infosets
    assert behaviour[stage1] == [Fraction(1, 2), Fraction(1, 2)]
    assert behaviour[stage3] == [Fraction(1, 2), Fraction(1, 2)]


# ---- the tree's level plan, with_changes, and the profile walker (solver.model.walk) ---------------
def _random_behaviour(tree, rng, exact):
    """A random behaviour profile: positive integer weights per move, normalised."""
    behaviour = {}
    for h, info in enumerate(tree.infosets):
        weights = [int(w) for w in rng.integers(0, 4, size=len(info.moves))]
        weights[int(rng.integers(len(weights)))] += 1
        behaviour[h] = tuple(Fraction(w, sum(weights)) if exact else w / sum(weights) for w in weights)
    return behaviour


def _value_by_recursion(tree, behaviour, node):
    """The expected payoffs of the subtree at ``node``, by plain recursion (the oracle)."""
    if tree.is_terminal(node):
        return [tree.leaf_payoffs[node, i] for i in range(tree.num_players)]
    kids = list(tree.children(node))
    if tree.node_player[node] == CHANCE:
        probs = [tree.chance_probs[c] for c in kids]
    else:
        probs = behaviour.get(int(tree.node_infoset[node])) or [0] * len(kids)
    values = [_value_by_recursion(tree, behaviour, c) for c in kids]
    return [sum(p * v[i] for p, v in zip(probs, values)) for i in range(tree.num_players)]


def _reach_by_path(tree, behaviour, node, root=0):
    path = tree.path_to(node)
    if root not in path:
        return 0
    p = 1
    for parent, child in zip(path[path.index(root):], path[path.index(root) + 1:]):
        if tree.node_player[parent] == CHANCE:
            p *= tree.chance_probs[child]
        else:
            probs = behaviour.get(int(tree.node_infoset[parent]))
            p *= probs[int(tree.move_index[child])] if probs is not None else 0
    return p


def _walk_trees():
    rng = np.random.default_rng(3)
    yield random_perfect_information_tree(60, 3, rng, exact=True, chance_fraction=0.3)
    yield random_perfect_information_tree(60, 2, rng, exact=False, chance_fraction=0.3)
    yield two_round_poker(2, 2)                                   # imperfect information, exact


@pytest.mark.parametrize("tree", list(_walk_trees()), ids=["exact", "float", "poker"])
def test_the_walker_agrees_with_recursion(tree):
    exact = tree.leaf_payoffs.dtype == object
    rng = np.random.default_rng(11)
    inner = [n for n in range(tree.num_nodes) if not tree.is_terminal(n)]
    for _ in range(3):
        behaviour = _random_behaviour(tree, rng, exact)
        values = subtree_values(tree, behaviour)
        assert values.shape == (tree.num_nodes, tree.num_players)
        for node in inner[:25]:
            oracle = _value_by_recursion(tree, behaviour, node)
            assert list(values[node]) == pytest.approx(oracle, abs=1e-12) if not exact else list(values[node]) == oracle
        assert expected_payoffs(tree, behaviour) == tuple(values[0]) if exact else \
            expected_payoffs(tree, behaviour) == pytest.approx(tuple(values[0]), abs=1e-12)
        root = inner[len(inner) // 2]
        reach = reach_probabilities(tree, behaviour, root)
        assert [reach[n] for n in range(tree.num_nodes)] == pytest.approx(
            [_reach_by_path(tree, behaviour, n, root) for n in range(tree.num_nodes)], abs=1e-12)
        at_root = expected_payoffs(tree, behaviour, root)
        assert at_root == (tuple(values[root]) if exact else pytest.approx(tuple(values[root]), abs=1e-12))
        outcomes = outcome_distribution(tree, behaviour)
        assert sum(p for _, p in outcomes) == (1 if exact else pytest.approx(1))
        assert all(tree.is_terminal(n) and p > 0 for n, p in outcomes)
        if exact:
            assert all(isinstance(v, Fraction) for v in values.flat) and all(isinstance(v, Fraction) for v in at_root)


def test_missing_information_sets_weigh_nothing():
    tree = two_round_poker(1, 1)
    behaviour = _random_behaviour(tree, np.random.default_rng(0), True)
    missing = next(h for h, info in enumerate(tree.infosets) if info.player == 1)
    partial = {h: (None if h == missing else p) for h, p in behaviour.items()}
    reach = reach_probabilities(tree, partial)
    for node in tree.infosets[missing].nodes:
        assert all(reach[c] == 0 for c in tree.children(node)) and all(v == 0 for v in subtree_values(tree, partial)[node])
    assert sum(p for _, p in outcome_distribution(tree, partial)) < 1


def test_chance_reach_is_the_product_of_chance_edges():
    tree = random_perfect_information_tree(80, 2, np.random.default_rng(5), exact=True, chance_fraction=0.4)
    by_path = [np.prod([tree.chance_probs[n] for n in tree.path_to(node)[1:]], dtype=object) for node in range(tree.num_nodes)]
    assert list(chance_reach(tree)) == by_path
    root = int(tree.first_child[0])
    below = set(tree.subtree_nodes(root).tolist())
    assert [chance_reach(tree, root)[n] * (by_path[root] if n in below else 1) for n in range(tree.num_nodes)] == \
        [by_path[n] if n in below else 0 for n in range(tree.num_nodes)]


def test_levels_cover_every_inner_node_once_and_with_changes_keeps_them():
    tree = random_perfect_information_tree(200, 3, np.random.default_rng(7), chance_fraction=0.2)
    levels = tree.levels
    assert [level.depth for level in levels] == sorted((level.depth for level in levels), reverse=True)
    inner = np.concatenate([level.inner for level in levels])
    assert sorted(inner.tolist()) == np.flatnonzero(tree.num_children > 0).tolist()
    for level in levels:
        children = np.arange(level.start, level.stop)
        assert np.array_equal(tree.parent[children], np.repeat(level.inner, level.counts))
        assert np.array_equal(level.offsets + level.start, tree.first_child[level.inner])
        assert np.array_equal(tree.parent[level.chance_children], np.repeat(level.chance, tree.num_children[level.chance]))
    assert tree.levels is levels                                   # cached on the frozen tree
    other = tree.with_changes(leaf_payoffs=tree.leaf_payoffs * 2)
    assert other.levels is levels and other.is_perfect_information
    assert np.array_equal(other.leaf_payoffs, tree.leaf_payoffs * 2)
    moved = tree.with_changes(node_player=np.where(tree.node_player >= 0, 0, tree.node_player))
    assert moved.levels is not levels
    assert not np.array_equal(moved.levels[0].mover_payoff, levels[0].mover_payoff) or tree.num_players == 1


def test_perfect_information_is_cached_and_computed_from_the_arrays():
    assert random_perfect_information_tree(50, 2, np.random.default_rng(1)).is_perfect_information
    poker = two_round_poker(2, 2)
    assert not poker.is_perfect_information
    assert not poker.with_changes(leaf_payoffs=poker.leaf_payoffs).is_perfect_information


def test_subtree_nodes_and_own_history():
    tree = load_game("games/centipede.yaml").evaluated()
    for root in range(tree.num_nodes):
        below = [n for n in range(tree.num_nodes) if root in tree.path_to(n)]
        assert tree.subtree_nodes(root).tolist() == below
    leaf = int(tree.terminal_nodes()[-1])
    assert tree.own_history(leaf, 0) == tuple((int(tree.node_infoset[a]), int(tree.move_index[b]))
                                              for a, b in zip(tree.path_to(leaf), tree.path_to(leaf)[1:])
                                              if tree.node_player[a] == 0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from([0, 1, Fraction(1, 3), Fraction(-2, 5), 2]), min_size=1, max_size=12), st.data())
def test_product_skips_only_trivial_factors(weights, data):
    values = data.draw(st.lists(st.sampled_from([0, 1, Fraction(3, 7), Fraction(5, 2)]), min_size=len(weights),
                                max_size=len(weights)))
    w, v = np.array(weights, dtype=object), np.array(values, dtype=object)
    assert list(product(v, w)) == list(v * w)
    matrix = np.array([[x, 2 * x] for x in values], dtype=object)
    assert product(matrix, w).tolist() == (matrix * w[:, None]).tolist()
    assert product(v.astype(float), w.astype(float)).tolist() == (v.astype(float) * w.astype(float)).tolist()
