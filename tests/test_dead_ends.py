"""Issue 10, the dead ends: undefined payoffs, games without perfect recall in pictures and reports,
``extends`` merging maps, ``validate`` on many files, move names shared by players, where ``report``
writes, and quoting hints for YAML values. Each test failed before the fix."""
import os

import pytest
from test_errors import run, write

from solver import load_game, solve
from solver.analysis.pictures import game_picture
from solver.analysis.report import build_report
from solver.commands import common
from solver.commands.common import UserError, report_destination
from solver.model.expr import ExpressionError, UndefinedValue, evaluate, parse_expression
from solver.present.ascii import render_picture

DIVISION = """\
title: Division
players: [A, B]
parameters:
  k: {K}
strategies: {{A: [x, y], B: [l, r]}}
payoffs:
  x: {{l: ["1/k", 0], r: [0, 1]}}
  y: {{l: [0, 0], r: [1, 1]}}
"""

FORGETFUL = """\
title: Forgetful Ann
players: [Ann, Bob]
tree:
  player: Ann
  moves:
    a:
      player: Bob
      moves:
        l: {player: Ann, infoset: later, moves: {x: {payoffs: [1, 0]}, y: {payoffs: [0, 1]}}}
        r: {player: Ann, infoset: later, moves: {x: {payoffs: [0, 2]}, y: {payoffs: [2, 0]}}}
    b:
      player: Bob
      moves:
        l: {player: Ann, infoset: later, moves: {x: {payoffs: [3, 0]}, y: {payoffs: [0, 1]}}}
        r: {player: Ann, infoset: later, moves: {x: {payoffs: [0, 1]}, y: {payoffs: [1, 3]}}}
"""

VOTERS = """\
title: Three voters
players: [Voter1, Voter2, Voter3]
stages:
  - {player: Voter1, moves: [X, Y, Z]}
  - {player: Voter2, moves: [X, Y, Z]}
  - {player: Voter3, moves: [X, Y, Z], id: last}
payoffs:
  Voter1: "2*(Voter1.X + Voter2.X + last.X >= 2) + (Voter1.Y + Voter2.Y + Voter3.Y >= 2)"
  Voter2: "(Voter1.X + Voter2.X + Voter3.X >= 2) + 2*(Voter1.Y + Voter2.Y + Voter3.Y >= 2)"
  Voter3: "3*(Voter1.Z + Voter2.Z + Voter3.Z >= 2)"
"""


def one_line_error(result) -> str:
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("Error: ")
    return result.stderr.strip()


# ---- item 5.1: an undefined payoff is one line, exit 2, naming the expression and the values ----
@pytest.mark.parametrize("command", [[], ["validate"], ["report", "--sweep-points", "0"], ["convert", "--to", "efg"],
                                     ["explain"], ["draw"], ["dynamics"]])
def test_undefined_payoff_at_the_defaults_is_one_line_everywhere(tmp_path, command):
    path = write(tmp_path, DIVISION.format(K=0))
    message = one_line_error(run(*command, path))
    assert message == (f"Error: {path}:7: payoffs.x.l[0]: 1/k is undefined when k = 0 (division by zero); "
                       "expected values of k where it is defined")


def test_undefined_payoff_from_set_says_so(tmp_path):
    path = write(tmp_path, DIVISION.format(K=1))
    assert run(path).exit_code == 0
    message = one_line_error(run(path, "--set", "k=0"))
    assert message.startswith(f"Error: {path}:7: payoffs.x.l[0]: 1/k is undefined when k = 0 (division by zero; "
                              "k is set with --set)")


def test_undefined_probability_and_leaf_payoff_of_a_tree(tmp_path):
    path = write(tmp_path, "title: t\nplayers: [A]\nparameters: {k: 2}\ntree:\n  player: chance\n"
                           "  probs: {x: 1/k, y: 1 - 1/k}\n  moves:\n    x: {payoffs: [1]}\n"
                           "    y: {payoffs: [\"log(k - 1)\"]}\n")
    assert "probs.x: 1/k is undefined when k = 0" in one_line_error(run(path, "--set", "k=0"))
    assert "payoffs[0]: log(k - 1) is undefined when k = 1 (the log of 0" in one_line_error(run(path, "--set", "k=1"))
    assert "(the log of a negative number" in one_line_error(run(path, "--set", "k=1/2"))


def test_undefined_probability_at_the_defaults_is_found_when_reading(tmp_path):
    path = write(tmp_path, "title: t\nplayers: [A]\nparameters: {k: 0}\ntree:\n  player: chance\n"
                           "  probs: {x: 1/k, y: 1 - 1/k}\n  moves:\n    x: {payoffs: [1]}\n    y: {payoffs: [2]}\n")
    assert one_line_error(run("validate", path)) == (f"Error: {path}:6: tree.probs.x: probability 1/k is undefined "
                                                      "when k = 0 (division by zero)")


def test_undefined_staged_payoff_names_the_formula(tmp_path):
    path = write(tmp_path, "title: t\nplayers: [A, B]\nparameters: {k: 2}\nstages:\n"
                           "  - {player: A, moves: [go, stop]}\n  - {player: B, moves: [left, right]}\n"
                           "payoffs:\n  A: \"go/(k-2) + right\"\n  B: \"stop*sqrt(k - 3)\"\n")
    assert one_line_error(run(path)).startswith(f"Error: {path}:8: payoffs.A: go/(k-2) + right is undefined when k = 2")
    assert run(path, "--set", "k=3").exit_code == 0


def test_sweeps_mark_undefined_points_invalid(tmp_path):
    path = write(tmp_path, DIVISION.format(K=1))
    for extra in ([], ["--pointwise"]):
        result = run("sweep", path, "--param", "k=-1:1:3", "--quiet", "--processes", "1", *extra)
        assert result.exit_code == 0, result.stderr
        assert "invalid" in result.stdout and "Traceback" not in result.stderr


def test_evaluate_raises_undefined_value_naming_the_values():
    with pytest.raises(UndefinedValue, match=r"^1/k is undefined when k = 0 \(division by zero\)$"):
        evaluate(parse_expression("1/k", {"k"}), {"k": 0})
    with pytest.raises(UndefinedValue, match="root of a negative number"):
        evaluate(parse_expression("sqrt(k)", {"k"}), {"k": -1})
    with pytest.raises(UndefinedValue):
        evaluate(parse_expression("min(1/k, 2)", {"k"}), {"k": 0})
    with pytest.raises(ExpressionError, match="undefined"):
        parse_expression("0**-1")
    assert evaluate(parse_expression("1/k", {"k"}), {"k": 4}) == parse_expression("1/4")


# ---- item 5.2: draw and report work on games without perfect recall ------------------------------
def test_draw_marks_a_nash_equilibrium_without_perfect_recall(tmp_path):
    path = write(tmp_path, FORGETFUL)
    result = run("draw", path)
    assert result.exit_code == 0, result.stderr
    assert "━▶ marks the moves of a Nash equilibrium (the first of 2)." in result.stdout
    assert "Note: Ann does not have perfect recall" in result.stdout
    assert "Nash equilibria of the reduced normal form" in result.stdout
    out = tmp_path / "forgetful.svg"
    assert run("draw", path, "-o", str(out)).exit_code == 0
    assert "Nash equilibrium, of the reduced normal form: no perfect recall" in out.read_text()


def test_report_solves_nash_without_perfect_recall(tmp_path):
    path = write(tmp_path, FORGETFUL)
    report = build_report(load_game(path), sweep_points=0)
    assert report.solution.concept == "nash" and len(report.solution.equilibria) == 2
    assert "perfect recall" in report.solution.note_texts()[0]
    assert report.picture.concept == "nash" and report.picture.behaviour
    out = tmp_path / "forgetful.html"
    result = run("report", path, "-o", str(out), "--sweep-points", "0")
    assert result.exit_code == 0, result.stderr
    html = out.read_text()
    assert "Nash equilibria" in html and "does not have perfect recall" in html


def test_perfect_recall_pictures_are_unchanged():
    picture = game_picture(load_game("games/entry_deterrence.yaml"))
    assert picture.concept == "subgame-perfect" and picture.note == ""
    assert render_picture(picture).endswith("━▶ marks the equilibrium moves.\n")


# ---- item 5.3: extends merges maps key by key ----------------------------------------------------
BASE = """\
title: Base
players: [Row, Column]
parameters:
  a: 1
  b: 2
  c: {value: 3, range: [0, 5], description: the third}
strategies: {Row: [up, down], Column: [left, right]}
payoffs:
  up: {left: [a, b], right: [c, 0]}
  down: {left: [0, 0], right: [1, 1]}
"""


def test_extends_merges_parameters_and_keeps_their_documentation(tmp_path):
    write(tmp_path, BASE, "base.yaml")
    path = write(tmp_path, "title: Child\nextends: base.yaml\nparameters:\n  b: 7\n  c: 4\n", "child.yaml")
    game = load_game(path)
    parameters = {p.name: p for p in game.info.parameters}
    assert {name: int(p.value) for name, p in parameters.items()} == {"a": 1, "b": 7, "c": 4}
    assert parameters["c"].range == (0, 5) and parameters["c"].description == "the third"
    assert [int(v) for v in game.evaluated().payoffs[:, 0, 0]] == [1, 7]


def test_extends_merges_payoff_cells_and_replaces_lists(tmp_path):
    write(tmp_path, BASE, "base.yaml")
    path = write(tmp_path, "title: Child\nextends: base.yaml\nstrategies: {Row: [up, down, middle]}\n"
                           "payoffs:\n  middle: {left: [5, 5], right: [5, 5]}\n  up: {right: [9, 9]}\n", "child.yaml")
    game = load_game(path).evaluated()
    assert game.strategies == (("up", "down", "middle"), ("left", "right"))
    assert [int(v) for v in game.payoffs[:, 0, 1]] == [9, 9] and [int(v) for v in game.payoffs[:, 2, 0]] == [5, 5]


def test_extends_replaces_a_tree_whole(tmp_path):
    write(tmp_path, "title: Base\nplayers: [A]\ntree:\n  player: A\n  moves:\n    l: {payoffs: [1]}\n"
                    "    r: {payoffs: [2]}\n", "base.yaml")
    path = write(tmp_path, "title: Child\nextends: base.yaml\ntree:\n  player: A\n  moves:\n"
                           "    m: {payoffs: [3]}\n", "child.yaml")
    assert load_game(path).node_moves[0] == ("m",)


def test_error_in_the_base_file_says_why_it_is_read(tmp_path):
    base = write(tmp_path, BASE.replace("[c, 0]", "[c, d]"), "base.yaml")
    path = write(tmp_path, "title: Child\nextends: base.yaml\nparameters: {b: 7}\n", "child.yaml")
    message = one_line_error(run(path))
    assert message == (f"Error: {base}:9: payoffs.up.right[1]: unknown name 'd' (known names: a, b, c) "
                       f"(inherited by {path} through 'extends')")


# ---- item 5.4: validate checks every file ---------------------------------------------------------
def test_validate_checks_every_file_and_sums_up(tmp_path):
    bad = write(tmp_path, DIVISION.format(K=0), "bad.yaml")
    broken = write(tmp_path, "title: t\nplayers: [A, B\n", "broken.yaml")
    missing = str(tmp_path / "missing.yaml")
    result = run("validate", "games/chicken.yaml", bad, missing, broken, "games/centipede.yaml")
    assert result.exit_code == 2
    assert result.stdout == ("games/chicken.yaml: ok (normal form, 2 players)\n"
                             "games/centipede.yaml: ok (sequential, 2 players)\n"
                             "5 files checked: 2 ok, 3 with errors\n")
    errors = result.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in errors] == [bad, missing, broken]
    assert all(line.startswith("Error: ") for line in errors) and "Traceback" not in result.stderr
    assert run("validate", "games/chicken.yaml", "games/centipede.yaml").exit_code == 0


# ---- item 5.5: move names unique per player ---------------------------------------------------------
def test_three_voters_share_move_names(tmp_path):
    path = write(tmp_path, VOTERS)
    game = load_game(path)
    assert game.node_moves[0] == ("X", "Y", "Z")
    leaf = game.node_ids.index("X/X/Y")
    assert [int(v) for v in game.evaluated().leaf_payoffs[leaf]] == [2, 1, 0]
    simultaneous = load_game(write(tmp_path, VOTERS + "timing: simultaneous\n", "simultaneous.yaml"))
    assert simultaneous.strategies == (("X", "Y", "Z"),) * 3
    assert solve(simultaneous).equilibria


def test_a_bare_name_several_players_share_is_an_error_listing_the_qualified_forms(tmp_path):
    path = write(tmp_path, VOTERS.replace("2*(Voter1.X +", "2*(X +"))
    assert one_line_error(run(path)) == (
        f"Error: {path}:8: payoffs.Voter1: 'X' is a move of several players (Voter1, Voter2, Voter3): "
        "write Voter1.X, Voter2.X or Voter3.X")


def test_a_player_still_needs_different_move_names(tmp_path):
    path = write(tmp_path, VOTERS.replace("  - {player: Voter2, moves: [X, Y, Z]}\n",
                                          "  - {player: Voter2, moves: [X, Y, Z]}\n  - {player: Voter2, moves: [X, W]}\n"))
    assert "'X' is already a move of Voter2 (line 5)" in one_line_error(run(path))


def test_unique_move_names_work_bare_and_qualified(tmp_path):
    game = load_game("games/tech_transfer.yaml")
    path = write(tmp_path, open("games/tech_transfer.yaml").read().replace("Transfer*", "Russia.Transfer*"))
    assert solve(load_game(path)).to_dict() == solve(game).to_dict()


# ---- item 5.6: where report writes ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["r.pdf", "report", "r.svg"])
def test_report_refuses_a_suffix_it_cannot_write(tmp_path, name):
    with pytest.raises(UserError, match=r"a report is HTML.*expected a name ending in \.html"):
        report_destination(str(tmp_path / name), "games/chicken.yaml")


def test_report_destination_defaults(monkeypatch):
    assert report_destination("r.html", "games/chicken.yaml") == "r.html"
    assert report_destination("R.HTM", "games/chicken.yaml") == "R.HTM"
    assert report_destination("-", "games/chicken.yaml") is None
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: False)
    assert report_destination(None, "games/tech_transfer.yaml") is None                 # piped: stdout
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    assert report_destination(None, "games/tech_transfer.yaml") == "tech_transfer.html"


def test_report_command_refuses_pdf_and_writes_nothing(tmp_path):
    out = tmp_path / "r.pdf"
    message = one_line_error(run("report", "games/chicken.yaml", "-o", str(out)))
    assert "a report is HTML" in message
    assert not out.exists()


def test_report_command_on_a_terminal_writes_a_file_named_after_the_game(tmp_path, monkeypatch):
    game = os.path.abspath("games/chicken.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(common, "stdout_is_terminal", lambda: True)
    result = run("report", game, "--sweep-points", "0")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and "wrote chicken.html" in result.stderr
    assert (tmp_path / "chicken.html").read_text().startswith("<!DOCTYPE html>")


# ---- item 8: quoting hints for YAML values -------------------------------------------------------------
@pytest.mark.parametrize("text, line, hint", [
    ("title: Russia: the transfer\n", 1, 'quoted: title: "Russia: the transfer"'),
    ("title: t\ndescription: Lesson: leverage, mostly  # why\n", 2, 'quoted: description: "Lesson: leverage, mostly"'),
    ("title: t\nplayers: [A]\ntree: {payoffs: [1], outcome: Russia: transfers}\n", 3, 'quoted: outcome: "Russia: transfers"'),
    ("title: t\nplayers: [A]\ntree: {payoffs: [1], outcome: Russia transfers, China waits}\n", 3,
     "a comma ends a value; if it belongs to the value before it, quote that value: "
     'outcome: "Russia transfers, China waits"'),
    ("title: t\nplayers: [Ann: the first, Bob]\n", 2, "quote it: \"Ann: the first\""),
])
def test_yaml_values_that_need_quotes_say_so(tmp_path, text, line, hint):
    path = write(tmp_path, text)
    message = one_line_error(run(path))
    assert message.startswith(f"Error: {path}:{line}: ") and hint in message, message
