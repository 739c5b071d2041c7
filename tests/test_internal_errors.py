"""Errors on the command side (issue 11, item 4): a bug is one line asking for a report, exit status
70, with the traceback only under --debug (or SOLVE_DEBUG=1); usage errors are one line; output
paths that cannot be written are one line, exit 2, for every command with -o; user text echoed in a
message is escaped and capped."""
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from solver.cli import INTERNAL_ERROR_STATUS, main
from solver.commands import common

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GAME = os.path.join(ROOT, "games", "prisoners_dilemma.yaml")
TREE = os.path.join(ROOT, "games", "tech_transfer.yaml")


def _bug(*args, **kwargs):
    raise ZeroDivisionError("a deliberate bug")


@pytest.fixture
def buggy_solve(monkeypatch):
    monkeypatch.setattr("solver.commands.solve.solve", _bug)
    monkeypatch.delenv("SOLVE_DEBUG", raising=False)


def _one_error_line(result):
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_a_bug_is_one_line_asking_for_a_report(buggy_solve):
    result = CliRunner().invoke(main, [GAME])
    assert result.exit_code == INTERNAL_ERROR_STATUS == 70
    line = _one_error_line(result)
    assert "internal error (ZeroDivisionError: a deliberate bug)" in line
    assert "please report it to the project's issue tracker" in line and "--debug" in line
    assert "Traceback" not in result.output


@pytest.mark.parametrize("where", ["first", "after the file", "at the end"])
def test_debug_shows_the_traceback_wherever_it_is_written(buggy_solve, where):
    args = {"first": ["--debug", GAME, "--format", "json"], "after the file": [GAME, "--debug", "--format", "json"],
            "at the end": [GAME, "--format", "json", "--debug"]}[where]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 70
    assert "Traceback (most recent call last)" in result.stderr and "_bug" in result.stderr


def test_the_environment_variable_also_shows_the_traceback(buggy_solve, monkeypatch):
    monkeypatch.setenv("SOLVE_DEBUG", "1")
    result = CliRunner().invoke(main, [GAME])
    assert result.exit_code == 70 and "Traceback" in result.stderr


def test_a_bug_inside_the_time_limited_child_is_reported_the_same_way(buggy_solve):
    result = CliRunner().invoke(main, [GAME, "--timeout", "30"])
    assert result.exit_code == 70 and "a deliberate bug" in _one_error_line(result)
    debug = CliRunner().invoke(main, [GAME, "--timeout", "30", "--debug"])
    assert debug.exit_code == 70 and "in _bug" in debug.stderr       # the child's traceback


def test_the_program_itself_exits_70_on_a_bug():
    code = ("import sys, solver.commands.solve as s\n"
            "def bug(*a, **k): raise KeyError('deliberate')\n"
            f"s.solve = bug; sys.argv = ['solve', {GAME!r}]\n"
            "from solver.cli import main; main()")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 70
    assert done.stderr.count("\n") == 1 and "internal error (KeyError" in done.stderr


@pytest.mark.parametrize("args,words", [
    ([GAME, "--no-such-option"], "No such option '--no-such-option'"),
    ([GAME, "--format", "yaml"], "Invalid value for '--format'"),
    (["sweep", GAME], "Missing option '--param'"),
    (["no-such-command-or-file.yaml"], "no such file"),
])
def test_usage_errors_are_one_line(args, words):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    line = _one_error_line(result)
    assert words in line


def test_a_usage_error_says_where_help_is():
    result = CliRunner().invoke(main, ["sweep", GAME, "--bogus"])
    assert _one_error_line(result).endswith("(see 'solve sweep --help')")
    result = CliRunner().invoke(main, [GAME, "--bogus"])
    assert _one_error_line(result).endswith("(see 'solve --help')")


#: Every command with -o, writing into a directory that does not exist.
WRITERS = [
    ["solve", GAME], ["explain", GAME], ["convert", GAME, "--to", "nfg"], ["thresholds", TREE, "--param", "ammo_gain"],
    ["sweep", TREE, "--param", "ammo_gain=0:10:11"], ["draw", GAME], ["report", GAME], ["dynamics", GAME],
]


@pytest.mark.parametrize("args", WRITERS, ids=[a[0] for a in WRITERS])
def test_an_output_in_a_missing_directory_is_one_line_exit_2(args, tmp_path):
    suffix = {"draw": ".svg", "dynamics": ".svg", "report": ".html"}.get(args[0], ".txt")
    target = str(tmp_path / "nodir" / f"x{suffix}")
    result = CliRunner().invoke(main, args + ["-o", target])
    assert result.exit_code == 2
    assert _one_error_line(result) == f"Error: {target}: cannot write there: no such directory {tmp_path / 'nodir'}"


@pytest.mark.parametrize("args", [a for a in WRITERS if a[0] not in ("draw", "dynamics", "report")],
                         ids=[a[0] for a in WRITERS if a[0] not in ("draw", "dynamics", "report")])
def test_a_full_disk_is_one_line_exit_2(args):
    result = CliRunner().invoke(main, args + ["-o", "/dev/full"])
    assert result.exit_code == 2
    assert "/dev/full: cannot write" in _one_error_line(result) and "No space left on device" in result.stderr


def test_user_text_in_a_message_is_escaped_and_capped():
    result = CliRunner().invoke(main, [GAME, "--set", "bad\nline\x1b[31m"])
    line = _one_error_line(result)
    assert "bad\\nline\\x1b[31m" in line and "\x1b" not in line
    long = CliRunner().invoke(main, [GAME, "--set", "x" * 5000])
    line = _one_error_line(long)
    assert len(line) < 300 and "x" * common.MAX_QUOTE + "…" in line


def test_a_lone_surrogate_is_escaped():
    assert common.shown("a\udc80b") == "a\\udc80b"


def test_every_message_line_is_capped():
    error = common.UserError("y" * 10_000)
    assert len(common.shown(error.message, common.MAX_MESSAGE)) == common.MAX_MESSAGE + 1


def test_validate_escapes_what_it_echoes(tmp_path):
    path = tmp_path / "bad\x1bname.yaml"
    path.write_text("players: [A\n")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "\\x1b" in result.stderr


def _extending_game(tmp_path):
    """A game in one folder that extends tech_transfer.yaml copied into another."""
    shared, own = tmp_path / "library", tmp_path / "own"
    shared.mkdir()
    own.mkdir()
    (shared / "base.yaml").write_text(open(TREE, encoding="utf-8").read(), encoding="utf-8")
    (own / "game.yaml").write_text("extends: ../library/base.yaml\nparameters:\n  ammo_gain: 7\n", encoding="utf-8")
    return str(own / "game.yaml"), str(shared)


@pytest.mark.parametrize("command", [["solve"], ["explain"], ["validate"], ["convert", "--to", "yaml"]])
def test_include_lets_extends_read_another_folder(command, tmp_path):
    game, shared = _extending_game(tmp_path)
    refused = CliRunner().invoke(main, [*command[:1], game, *command[1:]])
    assert refused.exit_code == 2 and _one_error_line(refused)
    allowed = CliRunner().invoke(main, [*command[:1], game, *command[1:], "--include", shared])
    assert allowed.exit_code == 0, allowed.output
