"""Hostile, huge and malformed input: each class of hang, blow-up and traceback found by hand or
by the fuzzer (issue 11) ends in the one-line error, exit status 2, naming the limit or the
problem, and never shows the content of a file that is not a game file.

Each case writes a minimal file; the assertions are on the message and the exit status, not on
timings (the limits are what keep these fast: they refuse before computing).
"""
import os

import pytest
from click.testing import CliRunner

from solver.cli import main
from solver.core.limits import LIMITS, escaped, limit, short_text
from solver.io.located import GameFileError
from solver.io.yamlfile import load_yaml_game
from solver.model.expr import ExpressionError, evaluate, parse_expression

NORMAL = """\
title: t
players: [A, B]
strategies: {{A: [a1, a2], B: [b1, b2]}}
payoffs:
  a1: {{b1: [{x}, 1], b2: [0, 0]}}
  a2: {{b1: [0, 0], b2: [1, 1]}}
"""


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def write(tmp_path, text, name="game.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    return str(path)


def one_line_error(result, *fragments):
    """The run ended with exit status 2 and one line naming each fragment, and no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


# ---- extends is confined -----------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../../../etc/passwd", "/etc/hostname", "/proc/self/environ"])
def test_extends_outside_the_folder_is_refused_and_shows_nothing(tmp_path, target):
    path = write(tmp_path, f"title: t\nextends: {target}\n")
    line = one_line_error(run("validate", path), "extends", "game.yaml:2")
    if os.path.exists("/etc/passwd"):
        with open("/etc/passwd", encoding="utf-8", errors="replace") as handle:
            first = handle.readline().strip()
        assert first not in line and "root:" not in line


def test_extends_through_a_symbolic_link_is_checked_where_it_leads(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "base.yaml").write_text(NORMAL.format(x=5))
    game = tmp_path / "game"
    game.mkdir()
    os.symlink(outside / "base.yaml", game / "base.yaml")
    os.symlink("/etc/passwd", game / "secret.yaml")
    path = write(game, "title: t2\nextends: base.yaml\n")
    one_line_error(run("validate", path), "outside the folder of this game", "--include")
    path = write(game, "title: t2\nextends: secret.yaml\n")
    line = one_line_error(run("validate", path), "extends")
    assert "root:" not in line


def test_extends_inside_the_folder_or_an_included_folder_works(tmp_path, monkeypatch):
    shared = tmp_path / "library"
    shared.mkdir()
    (shared / "base.yaml").write_text(NORMAL.format(x=5))
    game = tmp_path / "game"
    (game / "sub").mkdir(parents=True)
    (game / "sub" / "base.yaml").write_text(NORMAL.format(x=7))
    assert load_yaml_game(write(game, "title: below\nextends: sub/base.yaml\n")).payoffs[0, 0, 0] == 7
    path = write(game, "title: shared\nextends: ../library/base.yaml\n")
    with pytest.raises(GameFileError, match="outside the folder"):
        load_yaml_game(path)
    assert load_yaml_game(path, include=[str(shared)]).payoffs[0, 0, 0] == 5
    monkeypatch.setenv("SOLVE_INCLUDE", str(shared))
    assert load_yaml_game(path).payoffs[0, 0, 0] == 5


# ---- files that are not regular files ----------------------------------------------------------
def test_devices_and_pipes_are_not_read(tmp_path):
    if os.path.exists("/dev/zero"):
        one_line_error(run("validate", "/dev/zero"), "not a regular file")
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)                      # opening it would block forever
    one_line_error(run("validate", str(fifo)), "not a regular file")
    fifo_nfg = tmp_path / "pipe.nfg"
    os.mkfifo(fifo_nfg)
    one_line_error(run("validate", str(fifo_nfg)), "not a regular file")


def test_file_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("SOLVE_MAX_FILE_BYTES", "100")
    one_line_error(run("validate", write(tmp_path, NORMAL.format(x=1))), "SOLVE_MAX_FILE_BYTES", "bytes")


# ---- sizes of numbers and expressions ----------------------------------------------------------
@pytest.mark.parametrize("payoff, fragment", [
    ("9**9**9**9", "SOLVE_MAX_NUMBER_BITS"),
    ("(2**64)**(2**20)", "SOLVE_MAX_NUMBER_BITS"),
    ("10**400", "above 1e300"),
    ("1e308*10", "above 1e300"),
    ("1e400", "above 1e300"),
    ("1e-320", "below 1e-300"),
    ("1e-400", "below 1e-300"),
    ("0.1**400", "below 1e-300"),
    ("exp(1000)", "outside the range"),
    ("exp(exp(exp(100)))", "outside the range"),
    ("log(0)", "undefined"),
    ("0**-1", "undefined"),
    ("sqrt(-2)", "not a real number"),
    ("'" + "-" * 5000 + "1'", "SOLVE_MAX_EXPRESSION_DEPTH"),
    ("'" + "+".join(["1"] * 3000) + "'", "SOLVE_MAX_EXPRESSION_DEPTH"),
    ("'" + "abs(" * 150 + "1" + ")" * 150 + "'", "SOLVE_MAX_EXPRESSION_DEPTH"),
    ("'" + "1+" * 6000 + "1'", "SOLVE_MAX_EXPRESSION_LENGTH"),
    ("9" * 5000, "SOLVE_MAX_NUMBER_BITS"),
])
def test_numbers_and_expressions_past_the_limits(tmp_path, payoff, fragment):
    line = one_line_error(run("validate", write(tmp_path, NORMAL.format(x=payoff))), "game.yaml:5", "payoffs.a1.b1[0]", fragment)
    assert len(line) < 700


def test_a_long_sum_within_the_limits_is_exact():
    assert evaluate(parse_expression("+".join(["1/3"] * 600)), {}) == 200
    assert evaluate(parse_expression("2*" * 50 + "1"), {}) == 2 ** 50


def test_a_power_is_checked_with_the_parameter_values():
    with pytest.raises(ExpressionError, match="SOLVE_MAX_NUMBER_BITS"):
        evaluate(parse_expression("x**y", {"x", "y"}), {"x": 9, "y": 10 ** 9})
    with pytest.raises(ExpressionError, match="outside the range"):
        evaluate(parse_expression("exp(exp(x))", {"x"}), {"x": 100})
    assert evaluate(parse_expression("x**y", {"x", "y"}), {"x": 2, "y": 10}) == 1024


def test_set_values_past_the_limits(tmp_path):
    path = write(tmp_path, NORMAL.format(x="x").replace("players:", "parameters: {x: 1}\nplayers:"))
    for value in ("9**9**9**9", "1e400", "sqrt(-2)", "exp(1000)"):
        one_line_error(run("solve", path, "--set", f"x={value}"), "--set x")


def test_an_irrational_parameter_default_is_a_clean_error(tmp_path):
    path = write(tmp_path, NORMAL.format(x="x").replace("players:", "parameters: {x: sqrt(2)}\nplayers:"))
    one_line_error(run("solve", path), "parameters.x", "irrational")


def test_limits_are_raised_by_the_environment(tmp_path, monkeypatch):
    path = write(tmp_path, NORMAL.format(x="'" + "abs(" * 120 + "1" + ")" * 120 + "'"))
    one_line_error(run("validate", path), "SOLVE_MAX_EXPRESSION_DEPTH")
    monkeypatch.setenv("SOLVE_MAX_EXPRESSION_DEPTH", "200")
    assert limit("MAX_EXPRESSION_DEPTH") == 200
    assert run("validate", path).exit_code == 0


# ---- YAML --------------------------------------------------------------------------------------
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"b{i}: &a{i} [{', '.join(['*' + ('a' if i == 0 else f'a{i - 1}')] * 9)}]\n" for i in range(9))


def test_alias_bomb_even_under_an_unknown_key(tmp_path):
    one_line_error(run("validate", write(tmp_path, NORMAL.format(x=1) + ALIAS_BOMB)), "SOLVE_MAX_YAML_ALIAS_NODES")


def test_recursive_alias(tmp_path):
    one_line_error(run("validate", write(tmp_path, NORMAL.format(x=1) + "loop: &r [*r]\n")), "refers to a value that contains it")


def test_anchors_that_build_a_huge_tree(tmp_path):
    text = "title: t\nplayers: [A]\nl0: &n0 {player: A, moves: {x: {payoffs: [1]}, y: {payoffs: [2]}}}\n"
    for k in range(1, 17):
        text += f"l{k}: &n{k} {{player: A, moves: {{x: *n{k - 1}, y: *n{k - 1}}}}}\n"
    text = text.replace("players: [A]\n", "players: [A]\ntree: *n16\n", 1)
    text = text.replace("tree: *n16\n", "") + "tree: *n16\n"
    one_line_error(run("validate", write(tmp_path, text)), "SOLVE_MAX_YAML_ALIAS_NODES")


@pytest.mark.parametrize("deep", ["[" * 5000 + "]" * 5000, "{a: " * 3000 + "1" + "}" * 3000])
def test_deeply_nested_yaml(tmp_path, deep):
    one_line_error(run("validate", write(tmp_path, NORMAL.format(x=1) + "deep: " + deep + "\n")), "SOLVE_MAX_YAML_DEPTH")


def test_deeply_nested_block_yaml(tmp_path):
    text = "title: t\nplayers: [A]\ntree:\n" + "".join(" " * (2 * k + 2) + "a:\n" for k in range(400))
    one_line_error(run("validate", write(tmp_path, text)), "SOLVE_MAX_YAML_DEPTH")


def test_a_10000_deep_tree(tmp_path):
    text = 'EFG 2 R "deep" { "A" "B" } ""\n' + "".join(
        f'p "" {1 + k % 2} {k + 1} "" {{ "stop" "go" }} 0\nt "" 0\n' for k in range(10_000)) + 't "" 1 "end" { 1, 1 }\n'
    one_line_error(run("validate", write(tmp_path, text, "deep.efg")), "SOLVE_MAX_TREE_DEPTH", "deep.efg:10003: node 10002")
    # refused while reading: the text past the limit is never scanned (it would be the error otherwise)
    one_line_error(run("validate", write(tmp_path, text + "@@@\n", "deep.efg")), "SOLVE_MAX_TREE_DEPTH")


@pytest.mark.parametrize("scalar, fragment", [
    ("!!int abc", "not a valid !!int"),
    ("!!timestamp abc", "not a valid !!timestamp"),
    ("!!float xyz", "not a valid !!float"),
    ("!!python/name:os.system", "YAML tag !!python/name:os.system"),
    ("!!python/object/apply:os.system [echo hi]", "is not allowed"),
    ('"\\ud800"', "lone surrogate"),
])
def test_tagged_and_invalid_scalars(tmp_path, scalar, fragment):
    one_line_error(run("validate", write(tmp_path, NORMAL.format(x=scalar))), "game.yaml:5", fragment)


def test_control_characters_give_a_line_number(tmp_path):
    line = one_line_error(run("validate", write(tmp_path, NORMAL.format(x=1) + "description: a\x07b\n")), "game.yaml:7", "U+0007")
    assert "\x07" not in line


def test_user_text_in_messages_is_escaped_and_short(tmp_path):
    text = NORMAL.format(x='"\\e[2J' + "x" * 5000 + '\\nrm -rf"')
    line = one_line_error(run("validate", write(tmp_path, text)))
    assert "\x1b" not in line and len(line) < 700
    assert escaped("a\nb\x1b") == "a\\nb\\x1b"
    assert len(short_text("y" * 10_000)) < 200


def test_a_yaml_float_below_the_range_is_not_silently_zero(tmp_path):
    one_line_error(run("validate", write(tmp_path, NORMAL.format(x="1.0e-400"))), "below 1e-300")
    assert run("validate", write(tmp_path, NORMAL.format(x="1.5e-3"))).exit_code == 0


# ---- games that would be built too large ---------------------------------------------------------
def test_staged_game_too_large_is_refused_before_unfolding(tmp_path):
    stages = "".join(f"  - {{player: A, id: s{k}, moves: [l{k}, r{k}]}}\n" for k in range(40))
    text = f"title: t\nplayers: [A]\nstages:\n{stages}payoffs: {{A: l0}}\n"
    one_line_error(run("validate", write(tmp_path, text)), "SOLVE_MAX_STAGED_OUTCOMES")


def test_simultaneous_stages_too_large(tmp_path):
    players = [f"P{i}" for i in range(6)]
    stages = "".join(f"  - {{player: {p}, id: {p}s{k}, moves: [{', '.join(f'{p}m{k}_{j}' for j in range(10))}]}}\n"
                     for p in players for k in range(2))
    text = (f"title: t\nplayers: [{', '.join(players)}]\ntiming: simultaneous\nstages:\n{stages}"
            f"payoffs: {{{', '.join(f'{p}: 0' for p in players)}}}\n")
    one_line_error(run("validate", write(tmp_path, text)), "SOLVE_MAX_PAYOFF_ENTRIES")


def test_nfg_strategy_counts_checked_before_labels(tmp_path):
    text = 'NFG 1 R "t" { "A" "B" }\n{ 1000000 1000000 }\n1 2\n'
    one_line_error(run("validate", write(tmp_path, text, "big.nfg")), "SOLVE_MAX_PAYOFF_ENTRIES")


def test_a_2_by_5000_by_5000_nfg_is_refused_from_its_header(tmp_path):
    """The refusal comes from the labels, before the 25-million-entry body is scanned: the body
    ends in text the scanner rejects, which would be the error if it were read first."""
    labels = " ".join(f'"s{k}"' for k in range(5000))
    body = "1 2 " * 1000 + "@@@\n"
    text = f'NFG 1 R "t" {{ "A" "B" }}\n{{ {{ {labels} }}\n{{ {labels} }}\n}}\n""\n{{ {{ "x" 1, 0 }} {{ "y" 0, 1 }} }}\n{body}'
    line = one_line_error(run("validate", write(tmp_path, text, "large.nfg")), "SOLVE_MAX_PAYOFF_ENTRIES", "large.nfg:3")
    assert "@@@" not in line
    counted = f'NFG 1 R "t" {{ "A" "B" }}\n{{ 5000 5000 }}\n""\n{body}'
    one_line_error(run("validate", write(tmp_path, counted, "counted.nfg")), "SOLVE_MAX_PAYOFF_ENTRIES", "counted.nfg:2")


@pytest.mark.parametrize("number, fragment", [("1e399", "out of range"), ("1e-400", "out of range"), ("9" * 5000, "out of range")])
def test_nfg_numbers_out_of_range(tmp_path, number, fragment):
    text = f'NFG 1 R "t" {{ "A" "B" }}\n{{ 1 1 }}\n{number} 1\n'
    one_line_error(run("validate", write(tmp_path, text, "n.nfg")), fragment)


def test_every_limit_is_documented():
    with open(os.path.join(os.path.dirname(__file__), "..", "docs", "game-format.md"), encoding="utf-8") as handle:
        text = handle.read()
    assert "## Limits" in text
    for name in LIMITS:
        assert f"SOLVE_{name}" in text, name


def test_payoffs_that_cannot_be_scaled_together(tmp_path):
    """Each payoff is in range, but 1e15 and 1e-300 over a common denominator need integers past
    1e300, which the exact methods build and the float methods convert (an OverflowError found
    by the fuzzer in enumeration, components and the polynomial solver)."""
    text = NORMAL.format(x="1e-300").replace("b2: [1, 1]", "b2: [1e15, 1]")
    one_line_error(run("solve", write(tmp_path, text)), "span too many orders of magnitude")
    text = 'NFG 1 R "t" { "A" "B" }\n{ 2 1 }\n1e15 1 1e-300 1\n'
    one_line_error(run("validate", write(tmp_path, text, "s.nfg")), "span too many orders of magnitude")
    path = write(tmp_path, NORMAL.format(x="x").replace("players:", "parameters: {x: 1}\nplayers:").replace("b2: [1, 1]", "b2: [1e15, 1]"))
    assert run("validate", path).exit_code == 0
    one_line_error(run("solve", path, "--set", "x=1e-300"), "span too many orders of magnitude")


def test_known_fuzz_failures_say_why():
    path = os.path.join(os.path.dirname(__file__), "data", "fuzz_regressions", "known_failures.txt")
    with open(path, encoding="utf-8") as handle:
        entries = [line for line in handle if line.strip() and not line.startswith("#")]
    for entry in entries:
        signature, _, reason = entry.partition("#")
        assert "@" in signature and len(reason.strip()) > 20, entry


def test_a_file_not_named_as_a_game_is_never_quoted(tmp_path):
    secret = tmp_path / "notes.txt"
    secret.write_text("password: hunter2: x\nother: [\n")
    line = one_line_error(run("validate", str(secret)), "does not read as a game file")
    assert "hunter2" not in line and "password" not in line
    if os.path.exists("/etc/passwd"):
        assert "root" not in one_line_error(run("validate", "/etc/passwd"))


def test_reduced_strategies_of_a_deep_tree_need_no_recursion():
    """A 300-deep alternating chain under a recursion limit of 200: the reduced strategies are
    found by an explicit stack (one per "stop" of the player's, plus never stopping: 151)."""
    import sys
    from solver.model.reduce import reduced_strategies
    from solver.model.tree import Decision, Terminal, build_tree
    node = Terminal((0, 0))
    for k in range(300):
        node = Decision("A" if k % 2 else "B", {"stop": Terminal((k, -k)), "go": node}, infoset=f"h{k}")
    tree = build_tree(["A", "B"], node).evaluated()
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        strategies = reduced_strategies(tree, 0)
    finally:
        sys.setrecursionlimit(old)
    assert len(strategies) == 151
