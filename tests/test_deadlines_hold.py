"""Deadlines and limits that hold (issue 11, item 3): ``--timeout`` stops every command within about
a second, inside library calls too; ``--max-memory`` stops a run cleanly; methods, sweeps, tied
trees and dynamics have stated limits with one-line refusals.

Timings here are loose bounds on subprocesses (the exact figures are in
benchmarks/bench_timeouts.py), never speed claims.
"""
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from click.testing import CliRunner

from solver.analysis.dynamics import MAX_STEPS, run_dynamics
from solver.analysis.grid import MAX_POINTS, Axis, check_axes, parse_axis
from solver.api import SolveError, load_game
from solver.cli import main
from solver.core import isolate
from solver.equilibria import registry
from solver.equilibria.backward import MAX_ENTRIES, backward_induction
from solver.equilibria.result import DEADLINE, LIMIT
from solver.io.gambit_write import write_efg, write_nfg
from solver.model.normal import NormalFormGame
from solver.model.random_games import random_normal_form, random_perfect_information_tree

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOLVE = [sys.executable, "-m", "solver.cli"]


def _stuck(*args, deadline=None, **kwargs):
    """A method caught in a library call that never checks the deadline."""
    while True:
        time.sleep(0.05)


def _greedy(*args, deadline=None, **kwargs):
    """A method that asks for far more memory than it may have."""
    return np.ones((1 << 40,), dtype=np.uint8)


def _method(entry):
    return registry.Method("stuck", "test", "normal", "nash", True, f"{__name__}:{entry}", "bimatrix", (2, 2))


def _bimatrix(rows=3, columns=3):
    return NormalFormGame.from_arrays(["A", "B"], [[f"r{i}" for i in range(rows)], [f"c{j}" for j in range(columns)]],
                                      np.zeros((2, rows, columns), dtype=int).tolist())


# ---- the child process ---------------------------------------------------------------------------
def test_a_stuck_call_is_stopped_at_the_deadline():
    outcome = isolate.call(time.sleep, 30, deadline=time.monotonic() + 0.2)
    assert outcome.status == isolate.DEADLINE


def _sleeping_grandchild(path):
    """Start a grandchild that would write ``path`` after 2 s, then hang."""
    subprocess.Popen([sys.executable, "-c", f"import time; time.sleep(2); open({path!r}, 'w').write('late')"])
    time.sleep(30)


def test_a_kill_reaches_what_the_child_started(tmp_path):
    late = str(tmp_path / "late")
    outcome = isolate.call(_sleeping_grandchild, late, deadline=time.monotonic() + 0.5)
    assert outcome.status == isolate.DEADLINE
    time.sleep(2.5)
    assert not os.path.exists(late)


def test_a_value_and_an_exception_come_back_from_the_child():
    assert isolate.call(math.comb, 10, 3).value == 120
    with pytest.raises(ValueError) as caught:
        isolate.call(int, "not a number")
    assert "int(" in caught.value.child_traceback or "invalid literal" in caught.value.child_traceback


def test_memory_beyond_the_limit_is_a_clean_outcome():
    outcome = isolate.call(_greedy, memory_mb=200)
    assert outcome.status == isolate.MEMORY and "200 MB" in outcome.message


def test_the_memory_limit_comes_from_the_option_then_the_environment_then_the_machine(monkeypatch):
    monkeypatch.delenv(isolate.MEMORY_ENV, raising=False)
    assert isolate.memory_limit_mb() == isolate.physical_memory_mb() // 2
    monkeypatch.setenv(isolate.MEMORY_ENV, "300")
    assert isolate.memory_limit_mb() == 300
    old = isolate.set_memory_limit(500)
    try:
        assert isolate.memory_limit_mb() == 500
    finally:
        isolate.set_memory_limit(old)
    assert isolate.memory_limit_mb() == 300


def test_a_memory_limit_below_the_least_useful_one_is_refused():
    result = CliRunner().invoke(main, [os.path.join(ROOT, "games", "prisoners_dilemma.yaml"), "--max-memory", "10"])
    assert result.exit_code == 2 and "Invalid value for '--max-memory'" in result.stderr


# ---- the registry ----------------------------------------------------------------------------------
def test_a_stuck_method_returns_incomplete_with_a_deadline_note():
    game = _bimatrix(7, 7).evaluated()                # above registry.TRIVIAL_SIZE
    result = registry.run(_method("_stuck"), game, deadline=time.monotonic() + 0.3)
    assert not result.complete and result.profiles == () and result.has_note(DEADLINE)


def test_a_method_out_of_memory_returns_incomplete_naming_the_option():
    game = _bimatrix(200, 60).evaluated()            # 12,000 profiles: always in a child process
    old = isolate.set_memory_limit(200)
    try:
        result = registry.run(_method("_greedy"), game)
    finally:
        isolate.set_memory_limit(old)
    assert not result.complete and result.has_note(LIMIT)
    assert "--max-memory" in " ".join(n.text() for n in result.notes)


def test_enumeration_of_a_300_by_300_game_is_refused_up_front_naming_the_limit():
    with pytest.raises(registry.MethodError, match="at most 40,000 strategy profiles; this 300×300 game has 90,000"):
        registry.resolve("enumerate", _bimatrix(300, 300).evaluated())


def test_small_games_run_in_this_process_and_give_the_same_answer():
    game = NormalFormGame.from_arrays(["A", "B"], [["C", "D"], ["C", "D"]], [[[3, 0], [5, 1]], [[3, 5], [0, 1]]]).evaluated()
    quick = registry.run("enumerate", game)
    isolated = registry.run("enumerate", game, deadline=time.monotonic() + 60)
    assert quick.profiles == isolated.profiles == (((0, 1), (0, 1)),)


def test_an_isolated_run_gives_the_same_equilibria_as_one_in_process():
    game = random_normal_form((7, 7), np.random.default_rng(3), integer_range=(0, 9)).evaluated()
    assert registry._isolated(registry.BY_NAME["enumerate"], game, time.monotonic() + 60)
    isolated = registry.run("enumerate", game, deadline=time.monotonic() + 60)
    direct = registry._execute(registry.BY_NAME["enumerate"], game, None, (), None, {})
    assert isolated.profiles == direct.profiles and isolated.complete == direct.complete


def test_inside_in_this_process_no_child_is_started():
    game = random_normal_form((7, 7), np.random.default_rng(3), integer_range=(0, 9)).evaluated()
    deadline = time.monotonic() + 60
    assert registry._isolated(registry.BY_NAME["enumerate"], game, deadline)
    with isolate.in_this_process():
        assert not registry._isolated(registry.BY_NAME["enumerate"], game, deadline)
    assert not registry._isolated(registry.BY_NAME["enumerate"], _bimatrix(6, 6).evaluated(), deadline)
    assert not registry._isolated(registry.BY_NAME["pure"], game, deadline)


# ---- tied trees -------------------------------------------------------------------------------------
def _tied_tree(leaves, seed=0):
    return random_perfect_information_tree(leaves, 2, np.random.default_rng(seed), chance_fraction=0.0,
                                           integer_payoffs=True, exact=True, payoff_range=(0, 0))


def test_in_a_fully_tied_tree_every_pure_profile_is_subgame_perfect():
    tree = _tied_tree(6).evaluated()
    deciders = np.flatnonzero(tree.node_player >= 0)
    expected = math.prod(int(tree.num_children[d]) for d in deciders)        # every choice at every node
    result = backward_induction(tree)
    assert result.complete and len(result.profiles) == expected
    assert len({tuple(sorted((h, tuple(p)) for h, p in b.items())) for b in result.profiles}) == expected


def test_a_large_tied_tree_lists_a_bounded_number_and_says_so():
    tree = _tied_tree(500).evaluated()
    deciders = len(np.flatnonzero(tree.node_player >= 0))
    result = backward_induction(tree)
    assert not result.complete and result.has_note(LIMIT)
    assert len(result.profiles) == MAX_ENTRIES // deciders


def test_a_tied_tree_checks_the_deadline():
    result = backward_induction(_tied_tree(500).evaluated(), deadline=time.monotonic() - 1)
    assert not result.complete and result.has_note(DEADLINE)


# ---- sweeps and dynamics ----------------------------------------------------------------------------
def test_a_grid_of_a_billion_points_is_refused_with_the_memory_it_would_take():
    game = load_game(os.path.join(ROOT, "games", "tech_transfer.yaml"))
    axes = [Axis("ammo_gain", 0, 1, 100_000), Axis("china_squeeze", 0, 1, 10_000)]
    with pytest.raises(SolveError, match=r"1,000,000,000 points, which would take at least [0-9.]+ GB"):
        check_axes(game, axes)


def test_a_grid_past_int64_is_refused_with_its_true_size():
    game = load_game(os.path.join(ROOT, "games", "tech_transfer.yaml"))
    axes = [Axis("ammo_gain", 0, 1, 50_000_000), Axis("china_squeeze", 0, 1, 50_000_000),
            Axis("deter_cost", 0, 1, 50_000_000)]
    with pytest.raises(SolveError, match="125,000,000,000,000,000,000,000 points"):
        check_axes(game, axes)


def test_an_axis_with_too_many_points_is_refused_before_anything_is_built():
    with pytest.raises(SolveError, match=f"at most {MAX_POINTS:,}, got a 30-digit number"):
        parse_axis("x=0:1:" + "9" * 30)


def test_dynamics_refuse_a_billion_steps_and_a_horizon_of_nan():
    game = load_game(os.path.join(ROOT, "games", "matching_pennies.yaml"))
    with pytest.raises(SolveError, match=f"1 to {MAX_STEPS:,} steps"):
        run_dynamics(game, steps=10**9)
    with pytest.raises(SolveError, match="positive, finite end time"):
        run_dynamics(game, horizon=float("nan"))
    for args in (["--steps", "1000000000"], ["--horizon", "nan"], ["--horizon", "-1"]):
        result = CliRunner().invoke(main, ["dynamics", "games/matching_pennies.yaml", *args])
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, args


# ---- the command line -------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["nan", "-1", "0", "inf", "soon"])
def test_a_timeout_that_is_not_a_positive_number_is_refused(value):
    result = CliRunner().invoke(main, [os.path.join(ROOT, "games", "prisoners_dilemma.yaml"), "--timeout", value])
    assert result.exit_code == 2 and result.stderr.startswith("Error: Invalid value for '--timeout'")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["explain", "draw", "report", "robustness"])
def test_explain_draw_report_and_robustness_stop_at_the_deadline(command, monkeypatch):
    from solver.commands import draw, explain, report, robustness
    module = {"explain": explain, "draw": draw, "report": report, "robustness": robustness}[command]
    function = {"explain": "explain_game", "draw": "game_picture", "report": "build_report", "robustness": "robustness"}[command]
    monkeypatch.setattr(module, function, _stuck)
    game = "chicken.yaml" if command == "robustness" else "prisoners_dilemma.yaml"
    args = [command, os.path.join(ROOT, "games", game), "--timeout", "0.5"]
    extra = {"report": ["-o", "-"], "robustness": ["--dist", "crash_cost=uniform(1,5)"]}.get(command, [])
    result = CliRunner().invoke(main, args + extra)
    assert result.exit_code == 2
    assert "stopped by the time limit (--timeout 0.5 s); nothing was written" in result.stderr
    assert result.stderr.count("\n") == 1


def test_validate_stops_at_the_deadline(monkeypatch):
    """validate takes --timeout too; it writes no file, so the message does not say so."""
    from solver.commands import validate
    monkeypatch.setattr(validate, "check_file", _stuck)
    result = CliRunner().invoke(main, ["validate", os.path.join(ROOT, "games", "prisoners_dilemma.yaml"), "--timeout", "0.5"])
    assert result.exit_code == 2
    assert result.stderr == "Error: stopped by the time limit (--timeout 0.5 s)\n"


def test_max_memory_stops_a_command_cleanly(monkeypatch):
    from solver.commands import explain
    monkeypatch.setattr(explain, "explain_game", _greedy)
    result = CliRunner().invoke(main, ["explain", os.path.join(ROOT, "games", "prisoners_dilemma.yaml"),
                                       "--max-memory", "200"])
    assert result.exit_code == 2 and "out of memory (the limit is 200 MB)" in result.stderr
    assert "--max-memory" in result.stderr and result.stderr.count("\n") == 1


def _slow_games(directory):
    """The slow cases: 3- and 4-player games under the polynomial method, and a fully tied tree."""
    paths = {}
    for shape in [(4, 4, 4), (3, 3, 3, 3)]:
        name = "x".join(map(str, shape))
        paths[name] = os.path.join(directory, f"random_{name}.nfg")
        with open(paths[name], "w") as handle:
            handle.write(write_nfg(random_normal_form(shape, np.random.default_rng(1), integer_range=(0, 9))))
    paths["tied"] = os.path.join(directory, "tied_500.efg")
    with open(paths["tied"], "w") as handle:
        handle.write(write_efg(_tied_tree(500)))
    return paths


@pytest.mark.parametrize("case,method", [("4x4x4", "polynomial"), ("3x3x3x3", "polynomial"), ("4x4x4", "homotopy"),
                                         ("tied", "auto")])
def test_solve_returns_incomplete_soon_after_the_deadline(case, method, tmp_path):
    path = _slow_games(str(tmp_path))[case]
    started = time.monotonic()
    done = subprocess.run(SOLVE + [path, "--method", method, "--timeout", "5", "--format", "json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["complete"] is False
    assert elapsed < 8.0, f"{case} {method}: {elapsed:.1f} s with --timeout 5 (a generous margin on a shared machine)"
