"""Pictures read well: information-set brackets clear of move labels in every tree, one colour per
outcome across a report's sweep plots, and a progress bar for ``solve report`` on a terminal."""
import glob
import io
import re

import pytest
from click.testing import CliRunner

from solver.analysis.pictures import PlayedTree, game_picture, played_tree
from solver.analysis.report import SWEEPING, build_report
from solver.analysis.sweep import Axis, sweep
from solver.api import load_game
from solver.cli import main
from solver.commands import report as report_command
from solver.model.tree import Decision, Terminal, build_tree
from solver.present import progress
from solver.present.draw import tree_figure
from solver.present.html import report_colours, sweep_figure, sweeps_html
from solver.present.sweep_plot import OKABE_ITO, PALE, OutcomeColours, _colours, distinct_colour

TREES = sorted(glob.glob("games/*.yaml") + glob.glob("examples/classroom/games/*.yaml"))


def _long_labels():
    """A crafted tree whose long move labels run into the information sets' usual bracket lanes."""
    def guess(tag):
        return Decision("B", {"Left": Terminal((1, 0)), "Middle": Terminal((0, 1)), "Right": Terminal((0, 0))},
                        infoset=tag)
    def second(name):
        return Decision("A", {f"{name} then a very long move": guess("h"), f"{name} quietly": guess("h"),
                              f"{name} and wait for news": guess("g")}, infoset=name)
    tree = build_tree(["A", "B"], Decision("A", {"Go": second("x"), "Stay": second("y")}))
    return played_tree(tree)


def _trees():
    for path in TREES:
        picture = game_picture(load_game(path))
        if isinstance(picture, PlayedTree):
            yield path, picture
    yield "crafted long labels", _long_labels()


def _meets(segment, box) -> bool:
    """Whether a straight segment (display coordinates) meets a box (Liang–Barsky clipping)."""
    (xa, ya), (xb, yb) = segment
    low, high = 0.0, 1.0
    for p, q in ((xa - xb, xa - box.x0), (xb - xa, box.x1 - xa), (ya - yb, ya - box.y0), (yb - ya, box.y1 - ya)):
        if p == 0:
            if q < 0:
                return False
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    return low <= high


@pytest.mark.parametrize("path,picture", list(_trees()), ids=lambda v: v if isinstance(v, str) else "")
def test_brackets_clear_of_move_labels(path, picture):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = tree_figure(picture)
    ax = fig.axes[0]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    labels = [t for t in ax.texts if (t.get_gid() or "").startswith("move-")]
    assert len(labels) == sum(len(moves) for moves in picture.tree.node_moves if moves)
    boxes = [(t.get_text(), t.get_bbox_patch().get_window_extent(renderer)) for t in labels]
    brackets = [ax.transData.transform(line.get_xydata()) for line in ax.lines
                if (line.get_gid() or "").startswith("infoset-")]
    if any(len(info.nodes) > 1 for info in picture.tree.infosets):
        assert brackets
    crossed = [(name, tuple(map(tuple, seg))) for name, box in boxes for seg in brackets if _meets(seg, box)]
    assert not crossed, f"{path}: brackets cross move labels {crossed}"
    names = [t.get_bbox_patch().get_window_extent(renderer) for t in ax.texts
             if (t.get_gid() or "").startswith("infoset-name-")]
    assert not [(n, b) for n in names for _, b in boxes if n.overlaps(b)], f"{path}: a set's name covers a move label"


def test_some_tree_has_brackets():
    assert sum(any(len(i.nodes) > 1 for i in p.tree.infosets) for _, p in _trees()) >= 4


# ---- one colour per outcome ---------------------------------------------------------------------
def test_distinct_colours_beyond_the_palette():
    assert [distinct_colour(k) for k in range(len(OKABE_ITO))] == OKABE_ITO
    assert len({distinct_colour(k) for k in range(60)}) == 60
    assert len({distinct_colour(k, PALE, pale=True) for k in range(60)}) == 60
    shared = OutcomeColours(PALE, pale=True, labels=["a", "b", "a"])
    assert shared["a"] == PALE[0] and shared["b"] == PALE[1] and shared["c"] == PALE[2]


@pytest.fixture(scope="module")
def tech_transfer_report():
    return build_report(load_game("games/tech_transfer.yaml"), sweep_points=9)


def test_report_sweeps_share_outcome_colours(tech_transfer_report):
    report = tech_transfer_report
    page = sweeps_html(report)
    seen: dict[str, str] = {}
    figures = page.split('<figure class="sweep"')[1:]
    assert len(figures) == len([s for s in report.sweeps if not s.error])
    for figure in figures:
        for colour, label in re.findall(r'<span class="swatch" style="background:(#[0-9a-fA-F]{6})"></span>([^<]*)</li>',
                                        figure):
            assert seen.setdefault(label, colour) == colour, f"{label} changes colour between plots"
    labels = {label for series in report.sweeps for label in series.labels}
    assert set(seen) == labels and len(labels) >= 2
    assert len(set(seen.values())) == len(seen), "two outcomes share a colour"


def test_sweep_figure_shades_in_the_shared_colours(tech_transfer_report):
    from matplotlib.colors import to_hex
    report = tech_transfer_report
    colour_of = report_colours(report)
    for series in report.sweeps:
        if series.error:
            continue
        fig = sweep_figure(report.game.players, series, colour_of=colour_of)
        shades = {to_hex(p.get_facecolor()) for p in fig.axes[0].patches}
        assert shades == {colour_of[label].lower() for label in series.labels}


def test_sweep_plot_colours_outcomes_apart():
    game = load_game("games/tech_transfer.yaml")
    result = sweep(game, [Axis("ammo_gain", 0, 10, 21), Axis("deter_cost", 0, 10, 21)], processes=1)
    regions, colour, _ = _colours(result)
    real = {r.outcome.code for r in regions if not r.boundary}
    assert len(real) >= 2
    assert len({colour[code] for code in real}) == len(real)


# ---- progress ------------------------------------------------------------------------------------
class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_report_progress_on_a_terminal(monkeypatch, tmp_path):
    screen = FakeTerminal()
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    monkeypatch.setattr(report_command, "progress_bar", lambda quiet: progress.progress_bar(quiet, stream=screen))
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["report", "games/chicken.yaml", "--sweep-points", "5", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{SWEEPING} [" in screen.getvalue() and screen.getvalue().endswith("\n")
    assert "\r" not in result.stderr                      # the bar went to the terminal only
    quiet = FakeTerminal()
    monkeypatch.setattr(report_command, "progress_bar", lambda q: progress.progress_bar(q, stream=quiet))
    result = CliRunner().invoke(main, ["report", "games/chicken.yaml", "--sweep-points", "5", "--quiet", "-o", str(out)])
    assert result.exit_code == 0 and quiet.getvalue() == ""


def test_build_report_counts_its_sweeps():
    calls = []
    game = load_game("games/tech_transfer.yaml")
    report = build_report(game, sweep_points=3, progress=lambda what, done, total: calls.append((what, done, total)))
    n = len(report.sweeps)
    assert n >= 2 and calls == [(SWEEPING, k, n) for k in range(n + 1)]
