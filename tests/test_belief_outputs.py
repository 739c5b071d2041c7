"""Beliefs in every output of ``--concept pbe``/``sequential``: the drawn tree, the Markdown
heading, and ``solve report``; and the one-line refusal where beliefs make no sense.

The numbers are Beer–Quiche's (Cho & Kreps 1987, prior 9/10 strong), worked out by hand: in the
pooling equilibrium on Beer the receiver's belief after Beer is the prior (9/10 strong, 1/10
weak); after Quiche it duels iff μ(weak) ≥ μ(strong) (duel pays it 1 against weak, decline 1
against strong), so the supporting beliefs are μ(strong | Quiche) ≤ 1/2. Pooling needs the
receiver to decline on the path, μ(strong) = prior ≥ 1/2, so the set of equilibria changes at a
prior of 1/2.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from fractions import Fraction

import pytest
from click.testing import CliRunner

from solver import load_game, solve
from solver.analysis.pictures import belief_picture
from solver.cli import main
from solver.equilibria.refinements import node_labels

SVG = "{http://www.w3.org/2000/svg}"
REFUSAL = ("Error: games/chicken.yaml: --concept: this is a normal-form game: it has no information sets to hold "
           "beliefs, and its {kind} equilibria are its Nash equilibria (leave --concept out)")


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def _belief_texts(path) -> dict[int, str]:
    """Node → the text drawn in its ``belief-N`` group."""
    root = ET.parse(path).getroot()
    found = {}
    for group in root.iter(f"{SVG}g"):
        ident = group.get("id", "")
        if ident.startswith("belief-"):
            found[int(ident.removeprefix("belief-"))] = "".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))
    return found


def _named(tree, node: int) -> tuple[str, str]:
    """(information set label, the node's name in it) for a node of a set of several."""
    info = tree.infosets[int(tree.node_infoset[node])]
    return info.label, dict(zip((int(x) for x in info.nodes), node_labels(tree, info.nodes)))[node]


@pytest.mark.parametrize("concept,kind", [("pbe", "perfect Bayesian"), ("sequential", "sequential")])
def test_the_drawn_tree_shows_each_belief_and_names_the_concept(tmp_path, concept, kind):
    out = tmp_path / "bq.svg"
    result = invoke("draw", "games/beer_quiche.yaml", "--concept", concept, "-o", str(out))
    assert result.exit_code == 0, result.output
    played = belief_picture(load_game("games/beer_quiche.yaml"), concept=concept)
    drawn = _belief_texts(out)
    beliefs = {_named(played.tree, node): text.removeprefix("μ = ") for node, text in drawn.items()}
    assert set(beliefs) == {("Beer", "strong"), ("Beer", "weak"), ("Quiche", "strong"), ("Quiche", "weak")}
    assert beliefs[("Beer", "strong")] == "9/10" and beliefs[("Beer", "weak")] == "1/10"     # Bayes' rule: the prior
    off_strong, off_weak = Fraction(beliefs[("Quiche", "strong")]), Fraction(beliefs[("Quiche", "weak")])
    assert off_strong + off_weak == 1 and off_strong <= Fraction(1, 2)                        # supports Duel after Quiche
    texts = ["".join(t.itertext()) for t in ET.parse(out).getroot().iter(f"{SVG}text")]
    legend = next(t for t in texts if "equilibrium moves" in t)
    assert f"(first {kind} equilibrium)" in legend and "subgame-perfect" not in legend
    assert any(t.startswith("μ: the belief at each node") and t.endswith("μ(strong | Quiche) ≤ 1/2") for t in texts)


def test_an_ordinary_drawing_has_no_beliefs(tmp_path):
    out = tmp_path / "bq.svg"
    assert invoke("draw", "games/beer_quiche.yaml", "-o", str(out)).exit_code == 0
    assert _belief_texts(out) == {}
    assert not any("μ" in "".join(t.itertext()) for t in ET.parse(out).getroot().iter(f"{SVG}text"))


@pytest.mark.parametrize("command", ["explain", "draw", "report"])
@pytest.mark.parametrize("concept,kind", [("pbe", "perfect Bayesian"), ("sequential", "sequential")])
def test_beliefs_in_a_normal_form_game_are_a_one_line_error(tmp_path, command, concept, kind):
    out = tmp_path / "never.html"
    result = invoke(command, "games/chicken.yaml", "--concept", concept, *(["-o", str(out)] if command == "report" else []))
    assert result.exit_code == 2
    assert result.stderr.strip() == REFUSAL.format(kind=kind)
    assert not out.exists()


@pytest.mark.parametrize("command", ["explain", "report"])
def test_weak_with_a_concept_is_refused(command):
    result = invoke(command, "games/beer_quiche.yaml", "--concept", "pbe", "--weak")
    assert result.exit_code == 2
    assert "--weak applies to the usual explanation, not to one with --concept" in result.stderr


@pytest.mark.parametrize("game,concept,heading", [
    ("games/beer_quiche.yaml", "pbe", "## Perfect Bayesian equilibria"),
    ("games/beer_quiche.yaml", "sequential", "## Sequential equilibria"),
    ("games/tech_transfer.yaml", "spe", "## Subgame-perfect equilibria"),
    ("games/chicken.yaml", "nash", "## Nash equilibria"),
])
def test_the_markdown_heading_names_the_concept_listed(game, concept, heading):
    result = invoke(game, "--concept", concept, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if line.endswith(" equilibria") and line.startswith("## ")] == [heading]


def test_the_report_on_perfect_bayesian_equilibria(tmp_path):
    out = tmp_path / "bq.html"
    result = invoke("report", "games/beer_quiche.yaml", "--concept", "pbe", "-o", str(out))
    assert result.exit_code == 0, result.output
    page = out.read_text()
    solution = solve(load_game("games/beer_quiche.yaml"), concept="pbe")
    assert "<h2>Perfect Bayesian equilibria</h2>" in page and "Nash equilibria" not in page
    assert "Orange: the moves of the (first) perfect Bayesian equilibrium" in page
    # the walk of `solve explain --concept pbe`, one part per equilibrium, with Bayes' rule's numbers
    assert page.count("<h3>Equilibrium ") == 2 * len(solution.equilibria)    # in the list and in the walk
    assert "μ(strong) = 9/10·1 / (9/10·1 + 1/10·1) = 9/10" in page
    assert "Receiver at Beer given μ(strong) = 1/4, μ(weak) = 3/4: plays Duel: Duel 3/4 ≥ Decline 1/4." in page
    # the prior's threshold, by hand 1/2, instead of a sweep plot; no robustness (of the other concept)
    assert "<code>prior_strong</code> from 0 to 1: 1 threshold (1/2)</h3>" in page
    assert 'id="sweeps"' not in page and 'id="robustness"' not in page
    assert "0 &lt; prior_strong &lt; 1/2" in page and "1/2 &lt; prior_strong &lt; 1" in page


def test_the_report_without_thresholds_and_the_usual_report_are_unchanged(tmp_path):
    plain, without = tmp_path / "plain.html", tmp_path / "without.html"
    assert invoke("report", "games/beer_quiche.yaml", "--sweep-points", "0", "-o", str(plain)).exit_code == 0
    assert invoke("report", "games/beer_quiche.yaml", "--concept", "sequential", "--sweep-points", "0",
                  "-o", str(without)).exit_code == 0
    assert 'id="thresholds"' not in without.read_text() and "<h2>Sequential equilibria</h2>" in without.read_text()
    text = plain.read_text()
    assert "<h2>Subgame-perfect equilibria</h2>" in text and "μ(strong) = 9/10·1" not in text
