"""Every method in the registry, on every shipped game it applies to: a time limit that has passed
gives a clean incomplete answer (exit 0, ``complete: false``), and a generous one gives the same
equilibria the solver gave before the algorithm contract was introduced.

``tests/data/method_answers.json`` holds those earlier answers: each method on each game, from
``solve GAME --method M --concept C --format json --exact --timeout 60`` at commit 684d45b (the
last commit before the redesign), with the time each took.
"""
from __future__ import annotations

import json
import pathlib
import time

import pytest
from click.testing import CliRunner

from solver.api import evaluate_game, load_game, parameter_values, solve
from solver.cli import main
from solver.equilibria import registry
from solver.model.reduce import reduced_normal_form
from solver.model.tree import ExtensiveGame

ROOT = pathlib.Path(__file__).resolve().parent.parent
GAMES = sorted((ROOT / "games").glob("*.yaml"))
ANSWERS = json.loads((ROOT / "tests" / "data" / "method_answers.json").read_text())
#: Answers that took longer than this before (a whole command, on a loaded machine) are not re-checked.
QUICK_SECONDS = 20.0


def _applicable():
    """(game file, method, concept) for every method that applies to the game as that concept."""
    out = []
    for path in GAMES:
        game = load_game(path)
        numeric = evaluate_game(game, parameter_values(game))
        forms = [("nash", numeric)]
        if isinstance(numeric, ExtensiveGame):
            forms = [("spe", numeric), ("nash", reduced_normal_form(numeric).game)]
        for concept, model in forms:
            for method in registry.METHODS:
                if method.problem(model) is None:
                    out.append((path.name, method.name, concept))
    return out


APPLICABLE = _applicable()


def test_every_method_applies_to_some_game():
    assert {m for _, m, _ in APPLICABLE} == {m.name for m in registry.METHODS}


@pytest.mark.parametrize("game,method,concept", APPLICABLE, ids=["|".join(c) for c in APPLICABLE])
def test_a_passed_time_limit_gives_an_incomplete_answer(game, method, concept):
    result = CliRunner().invoke(main, [f"games/{game}", "--method", method, "--concept", concept, "--format", "json",
                                       "--timeout", "0.001"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["complete"] is False


@pytest.mark.parametrize("game,method,concept", APPLICABLE, ids=["|".join(c) for c in APPLICABLE])
def test_an_expired_deadline_never_raises(game, method, concept):
    solution = solve(load_game(ROOT / "games" / game), method=method, concept=concept, deadline=time.monotonic())
    assert solution.complete is False
    assert any(n.code == "deadline" for n in solution.notes)


def _equilibria(data: dict) -> list:
    return sorted(json.dumps({"strategies": e["strategies"], "payoffs": e["payoffs"]}, sort_keys=True)
                  for e in data["equilibria"])


def _root_renamed(recorded: dict, now: dict) -> dict:
    """The recorded answer with its first decision called "root", as it has been since issue 10
    (staged games used to name it after the first stage)."""
    current = {player: set(infosets) for e in now["equilibria"] for player, infosets in e["strategies"].items()}

    def rename(player, infosets):
        if "root" not in current.get(player, ()) or not isinstance(infosets, dict):
            return infosets
        return {("root" if key not in current[player] else key): value for key, value in infosets.items()}
    equilibria = [{**e, "strategies": {p: rename(p, s) for p, s in e["strategies"].items()}}
                  for e in recorded["equilibria"]]
    return {**recorded, "equilibria": equilibria}


QUICK = [key for key, answer in sorted(ANSWERS.items())
         if answer.get("status") == 0 and answer.get("seconds", 99) < QUICK_SECONDS]


@pytest.mark.parametrize("key", QUICK)
def test_a_generous_time_limit_gives_the_earlier_answer(key):
    game, method, concept = key.split("|")
    solution = solve(load_game(ROOT / "games" / game), method=method, concept=concept, timeout=60)
    data = solution.to_dict(exact=True)
    assert data["complete"] == ANSWERS[key]["complete"]
    if method == "homotopy":       # now polished to an exact equilibrium where the old one was a float
        assert len(data["equilibria"]) == len(ANSWERS[key]["equilibria"])
    else:
        assert _equilibria(data) == _equilibria(_root_renamed(ANSWERS[key], data))
