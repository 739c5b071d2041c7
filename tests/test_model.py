"""Expressions, the loader's three bodies, extends, and the reduced normal form."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from solver import load_game
from solver.model.expr import ExpressionError, compile_numpy, evaluate, parse_expression
from solver.model.reduce import behaviour_from_mixed, reduced_normal_form


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
    with pytest.raises(Exception):
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
    assert labels == [("Russia", "Russia", 1), ("US", "alarm", 2), ("US", "quiet", 2)]
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
