"""Every sentence about what a list of equilibria covers is true (issue 10, items 1, 2, 7 and 8).

Every command that prints a solution runs on every shipped game and on degenerate, tied and
continuum games in ``tests/data/``; each report's completeness sentence is checked against the
structured result (``Solution.completeness``, its families, components and notes): nowhere does a
report say "every one" where the game has a continuum of equilibria. Then one test per claim of
the issue, each failing on the old wording, and the Python API for notebooks.
"""
from __future__ import annotations

import dataclasses
import html
import json
import pathlib
import re
from fractions import Fraction

import numpy as np
import pytest
from click.testing import CliRunner

from solver.api import load_game, solve
from solver.cli import main
from solver.equilibria.registry import method_summaries
from solver.equilibria.result import TIES, Family
from solver.equilibria.subgames import is_nash_behaviour, proper_subgame_roots
from solver.present.markdown import render as markdown_render
from solver.present.text import render as text_render
from solver.present.words import MAX_LISTED, completeness_sentence, headline
from solver.results import (COMPLETENESS, COMPONENTS, FAMILIES, FINITE, PURE_ONLY, PURE_WITH_TIES, SUBGAME_EXTREMES,
                            Solution)

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
CONTINUUM_GAMES = ["degenerate_5x5.yaml", "tied_tree.yaml", "signalling_interval.yaml", "three_player_continuum.yaml"]
GAMES = [f"games/{p.name}" for p in sorted((ROOT / "games").glob("*.yaml"))] + [f"tests/data/{g}" for g in CONTINUUM_GAMES]
#: What the old reports said of every complete list, finite or not.
OLD_CLAIM = re.compile(r"every one|this is every", re.I)
#: The words only a finite, complete list earns.
FINITE_WORDS = re.compile(r"of the game's (Nash|subgame-perfect) equilibria\.|the game's only (Nash|subgame-perfect)")


def cli(*args) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


_SOLUTIONS: dict[str, Solution] = {}


def solution_of(path: str) -> Solution:
    if path not in _SOLUTIONS:
        _SOLUTIONS[path] = solve(load_game(ROOT / path))
    return _SOLUTIONS[path]


def check_against_structure(solution: Solution):
    """The classification follows the structured result, never the words."""
    code = solution.completeness
    assert code in COMPLETENESS
    continuum = (solution.families or solution.components or solution.mixtures or solution.has_note(TIES)
                 or solution.extremes_only)
    if code == FINITE:
        assert solution.complete and not continuum
    if continuum and solution.complete:
        assert code != FINITE
    if solution.families or solution.mixtures:
        assert code == FAMILIES
    if not solution.complete:
        assert code not in (FINITE, COMPONENTS, FAMILIES, PURE_WITH_TIES, SUBGAME_EXTREMES)


def check_words(output: str, solution: Solution):
    assert not OLD_CLAIM.search(output)
    if not solution.is_finite:
        assert not FINITE_WORDS.search(output)


# ---- every command on every game ------------------------------------------------------------
@pytest.mark.parametrize("path", GAMES)
def test_solve_text_markdown_and_json_say_what_the_list_covers(path):
    solution = solution_of(path)
    check_against_structure(solution)
    sentence = completeness_sentence(solution)
    text = cli(path)
    markdown = cli(path, "--format", "markdown")
    data = json.loads(cli(path, "--format", "json"))
    assert headline(solution) in text and flat(sentence) in flat(text)
    assert sentence in markdown
    assert data["completeness"] == solution.completeness and data["complete"] == solution.complete
    for output in (text, markdown):
        check_words(output, solution)
    for component in data.get("components", []):
        assert len(component["equilibria"]) > 1 and component["numbers"] == [i + 1 for i in component["equilibria"]]


@pytest.mark.parametrize("path", GAMES)
def test_html_report_says_the_same(path):
    solution = solution_of(path)
    page = cli("report", path, "--sweep-points", "0")
    assert html.escape(completeness_sentence(solution), quote=True) in page
    check_words(html.unescape(re.sub(r"<[^>]+>", " ", page)), solution)


@pytest.mark.parametrize("path", GAMES)
def test_explain_never_claims_every_equilibrium_of_a_continuum(path):
    check_words(cli("explain", path), solution_of(path))


@pytest.mark.parametrize("path", GAMES)
def test_the_method_printed_is_one_method_accepts(path):
    solution = solution_of(path)
    name = headline(solution).split(" found by ", 1)[1].split(" ")[0]
    assert name in method_summaries() and name == solution.method_name
    assert json.loads(cli(path, "--format", "json"))["method_name"] == solution.method_name


# ---- the claims, one by one ---------------------------------------------------------
def test_degenerate_5x5_report_and_markdown_keep_the_components():
    path = "tests/data/degenerate_5x5.yaml"
    markdown = cli(path, "--format", "markdown")
    page = cli("report", path, "--sweep-points", "0")
    for output in (markdown, html.unescape(page)):
        assert "Component 1: equilibria 1–3 and every mixture of them (Row plays r1; Column mixes c1, c2, c3" in output
        assert "Component 2: equilibria 4–6, the union of 2 convex sets" in output
        assert "All 15 extreme Nash equilibria are listed; the game has infinitely many more" in output
        assert not OLD_CLAIM.search(output)


def test_signalling_tree_with_an_interval_is_not_every_one():
    path = "tests/data/signalling_interval.yaml"
    solution = solution_of(path)
    text = cli(path)
    assert solution.completeness == FAMILIES and solution.mixtures == ((0, 2),)
    assert "Not every subgame-perfect equilibrium is listed: the game has infinitely many." in flat(text)
    assert "Equilibria 1 and 3 differ only in the move of Responder at loud heard" in text
    # and it is true: fighting after loud with probability 3/4 is subgame perfect and not listed
    tree = solution.game
    first, third = (dict(_behaviour(tree, e)) for e in (solution.equilibria[0], solution.equilibria[2]))
    mixed = {h: tuple(Fraction(1, 2) * (a + b) for a, b in zip(first[h], third[h])) for h in first}
    assert all(is_nash_behaviour(tree, mixed, root) for root in proper_subgame_roots(tree))
    assert all(dict(_behaviour(tree, e)) != mixed for e in solution.equilibria)


def _behaviour(tree, equilibrium):
    """An equilibrium's strategies as an index-based behaviour profile."""
    out = {}
    for h, info in enumerate(tree.infosets):
        moves = equilibrium.strategies[tree.players[info.player]][info.label]
        out[h] = tuple(Fraction(moves[m]) for m in info.moves)
    return out.items()


def test_tree_with_all_payoffs_tied_lists_the_pure_ones_only():
    path = "tests/data/tied_tree.yaml"
    solution = solution_of(path)
    text = cli(path)
    assert solution.completeness == PURE_WITH_TIES
    assert "Subgame-perfect equilibria: 8 found by backward-induction\n" in text
    assert ("All 8 pure subgame-perfect equilibria are listed; a player is indifferent somewhere, so mixing between "
            "the tied moves gives infinitely many more.") in flat(text)
    assert "all are listed" not in text       # the old note said so of the mixtures too
    assert "all are listed" not in cli(path, "--format", "json")


def test_seltens_horse_headline_agrees_with_its_continua():
    text = cli("games/selten_horse.yaml")
    heading = text.split("Subgame-perfect equilibria: 2 found by subgames", 1)[1].split("Equilibrium 1", 1)[0]
    assert "Not every subgame-perfect equilibrium is listed" in flat(heading)
    assert "2 continua of equilibria" in flat(heading)


def test_polynomial_lists_maximal_continua_only():
    path = "tests/data/three_player_continuum.yaml"
    data = json.loads(cli(path, "--method", "polynomial", "--format", "json"))
    assert data["completeness"] == FAMILIES and "components" not in data
    # the triangle only: its three edges (Carol mixing two strategies) are its faces
    assert [(f["dimension"], f["support"]["Carol"]) for f in data["families"]] == [(2, ["c1", "c2", "c3"])]
    assert data["families"][0]["numbers"] == [1, 2, 3]
    text = cli(path, "--method", "polynomial")
    assert text.count("a continuum of equilibria") == 1 and not OLD_CLAIM.search(text)


def test_components_are_every_mixture_of_a_convex_set_not_only_its_edges():
    solution = solution_of("tests/data/degenerate_5x5.yaml")
    game = solution.game
    text = cli("tests/data/degenerate_5x5.yaml")
    assert "along the edges" not in text
    vectors = [[np.array([Fraction(v) for v in e.strategies[p].values()], dtype=object) for p in game.players]
               for e in solution.equilibria]
    for subsets in solution.component_subsets:
        for subset in subsets:             # the centre of each convex set (inside the triangle) is an equilibrium
            centre = [sum(vectors[k][i] for k in subset) / len(subset) for i in range(2)]
            assert game.is_nash(centre)
    # equilibria 4 and 6 are in one component but not one convex set: their mixture is no equilibrium
    assert not game.is_nash([(vectors[3][i] + vectors[5][i]) / 2 for i in range(2)])
    assert "(a mixture across two of them need not be one)" in text


def test_json_numbers_components_from_one_like_the_text():
    data = json.loads(cli("tests/data/degenerate_5x5.yaml", "--format", "json"))
    first = data["components"][0]
    assert first["number"] == 1 and first["equilibria"] == [0, 1, 2] and first["numbers"] == [1, 2, 3]
    assert first["description"].startswith("equilibria 1–3 and every mixture of them")
    assert [s["numbers"] for s in data["components"][1]["maximal_nash_subsets"]] == [[4, 5], [5, 6]]


@pytest.mark.parametrize("path", GAMES)
def test_an_isolated_equilibrium_is_never_a_continuum(path):
    for component in json.loads(cli(path, "--format", "json", "--concept", "nash", "--method", "pure")
                                if path.startswith("games/tech_transfer.") else
                                cli(path, "--format", "json")).get("components", []):
        assert len(component["numbers"]) > 1 and "continuum of equilibria spanned by equilibria" not in component["description"]


def _many_families(count: int) -> Solution:
    base = solution_of("tests/data/three_player_continuum.yaml")
    family = base.families[0]
    families = tuple(dataclasses.replace(family, dimension=1 + k % 3, members=()) for k in range(count))
    return dataclasses.replace(base, families=families)


def test_a_large_set_of_continua_is_summarised_and_verbose_lists_it():
    solution = _many_families(1457)
    for render in (lambda v: text_render(solution, verbose=v), lambda v: markdown_render(solution, verbose=v)):
        brief = render(False)
        assert len(brief) < 6000 and max(len(line) for line in brief.splitlines()) < 400
        assert "1,457 continua of equilibria (485 of dimension 3, 486 of dimension 2, 486 of dimension 1)" in brief
        assert brief.count("a continuum of equilibria of dimension") == MAX_LISTED
        assert render(True).count("a continuum of equilibria of dimension") == 1457


def test_verbose_option():
    assert cli("tests/data/degenerate_5x5.yaml", "--verbose") == cli("tests/data/degenerate_5x5.yaml")
    assert "--verbose" in cli("--help") or "--verbose" in cli("solve", "--help")


# ---- plurals and numbers --------------------------------------------------------------------
def test_one_player_is_singular():
    path = "games/oil_drilling.yaml"
    assert "· 1 player: Firm" in cli(path)
    assert "with 1 player: Firm." in cli(path, "--format", "markdown")
    assert "· 1 player: Firm" in cli("report", path, "--sweep-points", "0")


def test_markdown_payoffs_are_written_like_the_text_report():
    markdown = cli("games/battle_of_the_sexes.yaml", "--format", "markdown")
    assert "| 3 | Bach 2/3, Stravinsky 1/3 | Bach 1/3, Stravinsky 2/3 | (2/3 (≈0.667), 2/3 (≈0.667)) |" in markdown
    assert "0.6667" not in markdown


# ---- the Python API -------------------------------------------------------------------------
def test_repr_is_one_short_line():
    text = repr(solution_of("games/chicken.yaml"))
    assert text == "<Solution 'Chicken': 3 Nash equilibria by enumerate; finite-complete>"
    assert repr(solution_of("games/prisoners_dilemma.yaml")).endswith(": 1 Nash equilibrium by enumerate; finite-complete>")


def test_notebook_view_is_the_markdown_report_rendered():
    solution = solution_of("tests/data/degenerate_5x5.yaml")
    page = solution._repr_html_()
    assert page.startswith('<div class="solver-solution"><h1>A degenerate 5×5 game with continua of equilibria</h1>')
    assert "<h2>Nash equilibria</h2>" in page and "<h2>Components</h2>" in page
    assert "<td data-label=\"Row\">r1 1/3, r4 2/3</td>" in page
    assert "<ul><li>Component 1: equilibria 1–3 and every mixture of them" in page
    assert html.escape(completeness_sentence(solution), quote=True) in page
    assert "|" not in re.sub(r"<[^>]+>", "", page)          # every table became a table


def test_to_json_is_the_json_of_the_command():
    solution = solution_of("games/battle_of_the_sexes.yaml")
    assert json.loads(solution.to_json(exact=True)) == json.loads(cli("games/battle_of_the_sexes.yaml", "--format", "json",
                                                                      "--exact"))


def test_to_frame_has_a_row_per_equilibrium():
    pytest.importorskip("pandas")
    frame = solution_of("games/chicken.yaml").to_frame()
    assert list(frame.index) == [1, 2, 3] and frame.index.name == "equilibrium"
    assert frame.loc[3, "Row: Swerve"] == 0.9 and frame.loc[3, "payoff: Column"] == -0.1
    assert frame["pure"].tolist() == [True, True, False]
    exact = solution_of("games/chicken.yaml").to_frame(exact=True)
    assert exact.loc[3, "Row: Swerve"] == Fraction(9, 10)
    tree = solution_of("games/entry_deterrence.yaml").to_frame()
    assert tree.loc[1, "Incumbent: In: Accommodate"] == 1.0


def test_to_frame_without_pandas_says_how_to_get_it(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"needs pandas: pip install pandas"):
        solution_of("games/chicken.yaml").to_frame()


def test_a_python_float_is_the_number_it_prints_and_fractions_stay_exact(tmp_path):
    game = load_game(ROOT / "games/chicken.yaml")
    original = (ROOT / "games/chicken.yaml").read_text()
    typed = original.replace("crash_cost: {value: 10,", "crash_cost: {value: 0.3333333333333333,")
    assert typed != original
    path = tmp_path / "chicken.yaml"
    path.write_text(typed)
    from_file = solve(load_game(path)).parameters["crash_cost"]
    from_float = solve(game, parameters={"crash_cost": 1 / 3}).parameters["crash_cost"]
    assert from_float == from_file == Fraction(3333333333333333, 10 ** 16)
    assert solve(game, parameters={"crash_cost": Fraction(1, 3)}).parameters["crash_cost"] == Fraction(1, 3)
    assert solve(game, parameters={"crash_cost": "1/3"}).parameters["crash_cost"] == Fraction(1, 3)


def test_pure_only_and_incomplete_words():
    pure = solve(load_game(ROOT / "games/tech_transfer.yaml"), concept="nash", method="pure")
    assert pure.completeness == PURE_ONLY
    assert completeness_sentence(pure) == ("Only pure equilibria were searched: all 22 pure Nash equilibria are listed; "
                                           "mixed ones may exist.")
    one = solve(load_game(ROOT / "games/chicken.yaml"), method="lemke-howson")
    assert completeness_sentence(one).startswith("NOT complete: ")


def test_family_supports_with_separators_are_bracketed():
    solution = _many_families(1)
    names = (("a",), ("b",), ("x: y; z", "c2", "c3"))
    from solver.present.text import family_text
    family = Family(((0,), (0,), (0, 1, 2)), (2,), dimension=2)
    assert "Carol mixes (x: y; z), c2, c3" in family_text(family, solution.players, names)


def test_the_subgame_route_says_every_equilibrium_only_when_it_is_proved():
    # one proper subgame (the game itself), two players, no component: finitely many
    assert solution_of("games/covert_transfer.yaml").completeness == FINITE
    # a nested subgame solved by vertex enumeration: the route does not report a subgame's
    # continuum, so the list is every combination of extreme equilibria, and says so
    outside = solution_of("games/outside_option_bos.yaml")
    assert outside.completeness == SUBGAME_EXTREMES
    assert completeness_sentence(outside).startswith("Listed: every subgame-perfect equilibrium built from extreme "
                                                     "equilibria of the subgames (3)")
