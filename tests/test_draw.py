"""Pictures: SVG/PNG files are valid, labels are real text in the SVG, and the plain-text pictures
match hand-drawn expectations."""
import itertools
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from solver.analysis.pictures import marked_matrix, played_tree
from solver.api import evaluate_game, load_game, parameter_values, solve
from solver.cli import main
from solver.model.tree import Decision, Terminal, build_tree
from solver.present.ascii import render_matrix, render_tree
from solver.present.draw import matrix_figure, save_figure, svg_markup, tree_figure, tree_layout

SVG = "{http://www.w3.org/2000/svg}"


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def svg_texts(path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def png_size(path) -> tuple[int, int]:
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return width, height


def test_tech_transfer_svg_has_labels_as_text(tmp_path):
    out = tmp_path / "tree.svg"
    result = invoke("draw", "games/tech_transfer.yaml", "-o", str(out))
    assert result.exit_code == 0, result.output
    texts = svg_texts(out)
    for label in ["Russia", "China", "US", "Transfer", "Withhold", "Restrain", "Enable", "Engage", "Deter"]:
        assert label in texts
    # payoffs at the leaves (Russia, China, US), worked out from the formulas in docs/scenarios.md
    for payoffs in ["(0, 0, 0)", "(2, −9, −7)", "(−2, −5, −4)", "(4, −3, −8)"]:
        assert payoffs in texts
    assert sum(t == "US" for t in texts) == 4 and sum(t == "China" for t in texts) == 2
    assert any("equilibrium moves" in t for t in texts)


def test_png_output_is_a_valid_image(tmp_path):
    out = tmp_path / "tree.png"
    result = invoke("draw", "games/tech_transfer.yaml", "-o", str(out))
    assert result.exit_code == 0
    width, height = png_size(out)
    assert width > 400 and height > 200


def test_chance_probabilities_and_information_sets(tmp_path):
    oil = tmp_path / "oil.svg"
    assert invoke("draw", "games/oil_drilling.yaml", "-o", str(oil)).exit_code == 0
    texts = svg_texts(oil)
    assert "Oil (3/10)" in texts and "Dry (7/10)" in texts and "Chance" in texts
    hidden = tmp_path / "hidden.svg"
    assert invoke("draw", "examples/classroom/games/hidden_move.yaml", "-o", str(hidden)).exit_code == 0
    texts = svg_texts(hidden)
    assert "cup" in texts                          # the information set's label beside its dashed bracket
    assert "GuessHeads [1/2]" in texts             # a mixed equilibrium move with its probability
    assert any("stroke-dasharray" in line for line in open(hidden).read().splitlines())


def test_matrix_svg(tmp_path):
    out = tmp_path / "pd.svg"
    assert invoke("draw", "games/prisoners_dilemma.yaml", "-o", str(out)).exit_code == 0
    texts = svg_texts(out)
    assert texts.count("Cooperate") == 2 and texts.count("Defect") == 2
    assert "Row ╲ Column" in texts
    assert any("Boxed: a best response" in t for t in texts)


def test_three_player_matrix_has_one_table_per_strategy_of_the_third(tmp_path):
    out = tmp_path / "tts.svg"
    assert invoke("draw", "games/tech_transfer_simultaneous.yaml", "-o", str(out)).exit_code == 0
    texts = svg_texts(out)
    assert "When US plays Engage" in texts and "When US plays Deter" in texts


def sixty_four_leaves():
    """Six binary decisions (players A, B, C in turn); leaf k pays (k, 63 − k, k mod 7)."""
    counter = itertools.count()

    def node(depth):
        if depth == 6:
            k = next(counter)
            return Terminal((k, 63 - k, k % 7))
        return Decision("ABC"[depth % 3], {f"m{depth}a": node(depth + 1), f"m{depth}b": node(depth + 1)})
    return build_tree(["A", "B", "C"], node(0))


def test_sixty_four_leaves_readable(tmp_path):
    tree = sixty_four_leaves().evaluated()
    x, y, leaves = tree_layout(tree)
    assert len(leaves) == 64
    assert sorted(y[leaf] for leaf in leaves) == list(range(64))     # one row per leaf, no overlap
    solution = solve(tree)
    figure = tree_figure(played_tree(tree, solution))
    game = load_game("games/tech_transfer.yaml")
    small = tree_figure(played_tree(game.evaluated(parameter_values(game))))
    assert figure.get_size_inches()[1] > 3 * small.get_size_inches()[1]   # grows with the leaves
    out = tmp_path / "big.svg"
    save_figure(figure, str(out))
    texts = svg_texts(out)
    assert "(0, 63, 0)" in texts and "(63, 0, 0)" in texts
    assert sum(1 for t in texts if re.fullmatch(r"\(\d+, \d+, \d\)", t)) == 64


def test_svg_markup_is_inline_svg():
    game = load_game("games/battle_of_the_sexes.yaml")
    markup = svg_markup(matrix_figure(marked_matrix(evaluate_game(game, parameter_values(game)))))
    assert markup.startswith("<svg") and "<?xml" not in markup
    assert ">Stravinsky<" in markup


def test_bad_extension_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "tree.txt"
    result = invoke("draw", "games/tech_transfer.yaml", "-o", str(out))
    assert result.exit_code == 2
    assert "unknown picture format '.txt'" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


def test_text_matrix_marks_best_responses():
    game = load_game("games/battle_of_the_sexes.yaml")
    # Row's best replies: Bach (2) to Bach, Stravinsky (1) to Stravinsky; Column's likewise.
    assert render_matrix(marked_matrix(evaluate_game(game, parameter_values(game)))) == (
        "Row ╲ Column │ Bach   │ Stravinsky\n"
        "─────────────┼────────┼───────────\n"
        "Bach         │ 2*, 1* │ 0, 0\n"
        "Stravinsky   │ 0, 0   │ 1*, 2*\n"
        "* marks a best response to the other players' strategies (Row's payoff first).\n")


def test_text_tree_marks_the_equilibrium_moves():
    game = load_game("games/entry_deterrence.yaml")
    solution = solve(game)
    assert render_tree(played_tree(solution.game, solution)) == (
        "Entrant\n"
        "├── Out: (1, 2)  Entrant stays out\n"
        "└━▶ In: Incumbent\n"
        "    ├── Fight: (0, 0)  Price war\n"
        "    └━▶ Accommodate: (2, 1)  Shared market\n"
        "Payoffs in the order Entrant, Incumbent. ━▶ marks the equilibrium moves.\n")


def test_text_tree_of_tech_transfer_via_cli():
    result = invoke("draw", "games/tech_transfer.yaml")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Russia"
    assert "│       └━▶ Deter: (2, -9, -7)" in lines[:8]       # the US deters after Transfer → Enable
    assert "        ├━▶ Engage: (0, 0, 0)" in lines           # the path ends at (0, 0, 0)
    assert "└━▶ Withhold: China" in lines


def test_chance_in_text_tree():
    game = load_game("games/oil_drilling.yaml")
    solution = solve(game)
    text = render_tree(played_tree(solution.game, solution))
    assert "│   ├── Oil (3/10): Firm" in text
    assert "    ├━▶ Drill: Chance" in text


@pytest.mark.parametrize("extension", [".svg", ".png", ".pdf"])
def test_dynamics_and_draw_share_formats(tmp_path, extension):
    out = tmp_path / f"pd{extension}"
    assert invoke("draw", "games/prisoners_dilemma.yaml", "-o", str(out)).exit_code == 0
    assert out.stat().st_size > 1000
