"""Bad input: exit status 2, one line naming the file, the line and the key, no traceback."""

import pytest
from click.testing import CliRunner

from solver.cli import main

GOOD_NORMAL = """\
title: t
players: [A, B]
strategies: {A: [a1, a2], B: [b1, b2]}
payoffs:
  a1: {b1: [1, 1], b2: [0, 0]}
  a2: {b1: [0, 0], b2: [1, 1]}
"""

# (file text, expected line, expected key path, fragment of the message)
CASES = {
    "yaml syntax": ("title: t\nplayers: [A, B\n", 3, "", "YAML syntax error"),
    "unknown top-level key": (GOOD_NORMAL + "colour: red\n", 7, "colour", "unknown key"),
    "missing players": ("title: t\nstrategies: {A: [a]}\npayoffs: {a: [1]}\n", None, "players", "missing 'players'"),
    "missing payoffs": ("title: t\nplayers: [A]\nstrategies: {A: [a]}\n", None, "payoffs", "missing 'payoffs'"),
    "payoff list wrong length": (GOOD_NORMAL.replace("b2: [0, 0]}\n  a2", "b2: [0, 0, 7]}\n  a2"), 5, "payoffs.a1.b2",
                                 "expected 2 payoffs"),
    "payoff array wrong shape": ("title: t\nplayers: [A, B]\nstrategies: {A: [a1, a2], B: [b1]}\n"
                                 "payoffs: {A: [[1], [2, 3]], B: [[1], [2]]}\n", 4, "payoffs.A[1]", "expected 1 entry"),
    "duplicate strategy": ("title: t\nplayers: [A, B]\nstrategies: {A: [a1, a1], B: [b1]}\npayoffs: {A: [[1], [2]], B: [[1], [2]]}\n",
                           3, "strategies.A[1]", "duplicate strategy name 'a1'"),
    "duplicate move": ("title: t\nplayers: [A]\ntree:\n  player: A\n  moves:\n    go: {payoffs: [1]}\n    go: {payoffs: [2]}\n",
                       7, "tree.moves.go", "duplicate key 'go'"),
    "unknown name in expression": (GOOD_NORMAL.replace("[1, 1], b2", "[1, gain], b2", 1), 5, "payoffs.a1.b1[1]", "unknown name 'gain'"),
    "attribute access": (GOOD_NORMAL.replace("[1, 1], b2", "['x.real', 1], b2", 1), 5, "payoffs.a1.b1[0]", "attribute access is not allowed"),
    "call outside whitelist": (GOOD_NORMAL.replace("[1, 1], b2", "['open(1)', 1], b2", 1), 5, "payoffs.a1.b1[0]", "function 'open' is not allowed"),
    "lambda": (GOOD_NORMAL.replace("[1, 1], b2", "['(lambda: 1)()', 1], b2", 1), 5, "payoffs.a1.b1[0]", "cannot be called"),
    "bare lambda": (GOOD_NORMAL.replace("[1, 1], b2", "['lambda: 1', 1], b2", 1), 5, "payoffs.a1.b1[0]", "a lambda is not allowed"),
    "subscript": (GOOD_NORMAL.replace("[1, 1], b2", "['(1)[0]', 1], b2", 1), 5, "payoffs.a1.b1[0]", "subscripting is not allowed"),
    "dunder": (GOOD_NORMAL.replace("[1, 1], b2", "['__import__(\"os\")', 1], b2", 1), 5, "payoffs.a1.b1[0]", "'__import__' is not allowed"),
    "negative probability": ("title: t\nplayers: [A]\ntree:\n  player: chance\n  probs: {x: -1/2, y: 3/2}\n  moves:\n"
                             "    x: {payoffs: [1]}\n    y: {payoffs: [2]}\n", 5, "tree.probs.x", "negative"),
    "probabilities not summing to 1": ("title: t\nplayers: [A]\ntree:\n  player: chance\n  probs: {x: 0.5, y: 0.6}\n  moves:\n"
                                       "    x: {payoffs: [1]}\n    y: {payoffs: [2]}\n", 5, "tree.probs", "sum to 11/10"),
    "infoset with different players": ("title: t\nplayers: [A, B]\ntree:\n  player: A\n  moves:\n"
                                       "    l: {player: A, infoset: h, moves: {x: {payoffs: [1, 1]}, y: {payoffs: [0, 0]}}}\n"
                                       "    r: {player: B, infoset: h, moves: {x: {payoffs: [1, 1]}, y: {payoffs: [0, 0]}}}\n",
                                       7, "tree.moves.r.infoset", "mixes players"),
    "infoset with different moves": ("title: t\nplayers: [A, B]\ntree:\n  player: A\n  moves:\n"
                                     "    l: {player: B, infoset: h, moves: {x: {payoffs: [1, 1]}, y: {payoffs: [0, 0]}}}\n"
                                     "    r: {player: B, infoset: h, moves: {x: {payoffs: [1, 1]}, z: {payoffs: [0, 0]}}}\n",
                                     7, "tree.moves.r.infoset", "different moves"),
}


def write(tmp_path, text, name="game.yaml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def run(*args):
    return CliRunner().invoke(main, list(args))


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_one_line_with_file_line_and_key(tmp_path, case):
    text, line, key, fragment = CASES[case]
    path = write(tmp_path, text)
    result = run(path)
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert "\n" not in message and "Traceback" not in message
    location = f"{path}:{line}" if line else path
    assert message.startswith(f"Error: {location}: "), message
    if key:
        assert f": {key}: " in message, message
    assert fragment in message, message


def test_set_unknown_parameter(tmp_path):
    result = run("games/chicken.yaml", "--set", "speed=3")
    assert result.exit_code == 2
    assert result.output.strip() == ("Error: games/chicken.yaml: --set speed: unknown parameter 'speed' "
                                      "(parameters: crash_cost)")


@pytest.mark.parametrize("value", ["abc", "1/0", "__import__", "os.system"])
def test_set_unparsable_value(value):
    result = run("games/chicken.yaml", "--set", f"crash_cost={value}")
    assert result.exit_code == 2
    assert result.output.strip().startswith("Error: games/chicken.yaml: --set crash_cost: expected a number")


def test_set_without_equals():
    result = run("games/chicken.yaml", "--set", "crash_cost")
    assert result.exit_code == 2
    assert "expected NAME=VALUE" in result.output


def test_missing_file_and_directory(tmp_path):
    result = run(str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and result.output.strip() == f"Error: {tmp_path / 'nope.yaml'}: no such file"
    result = run(str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in result.output


def test_set_making_probabilities_invalid_is_reported():
    result = run("games/oil_drilling.yaml", "--set", "p_oil=3/2")
    assert result.exit_code == 2
    assert "probabilit" in result.output and "Traceback" not in result.output


def test_nothing_written_on_error(tmp_path):
    out = tmp_path / "report.txt"
    result = run("games/chicken.yaml", "--set", "crash_cost=x", "-o", str(out))
    assert result.exit_code == 2
    assert not out.exists()


def test_extends_missing_base(tmp_path):
    path = write(tmp_path, "title: t\nextends: base.yaml\n")
    result = run(path)
    assert result.exit_code == 2
    assert f"{path}:2: extends: cannot find 'base.yaml'" in result.output


def test_error_in_base_file_names_the_base(tmp_path):
    write(tmp_path, "title: t\nplayers: [A]\nstrategies: {A: [a]}\npayoffs: {A: [oops]}\n", "base.yaml")
    path = write(tmp_path, "title: child\nextends: base.yaml\n")
    result = run(path)
    assert result.exit_code == 2
    assert str(tmp_path / "base.yaml") + ":4: payoffs.A[0]: unknown name 'oops'" in result.output
