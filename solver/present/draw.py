"""Pictures of games with matplotlib: a sequential game as a tree, a normal-form game as a matrix.

- Tree: laid out left to right (root at the left, leaves one per row in the order of the moves),
  so that it stays readable at 64 leaves; the figure grows with the number of leaves. Decision
  nodes carry the mover's name, edges the move (chance moves with their probability), leaves the
  payoffs in the players' order. Nodes of one information set are joined by a dashed line. The
  moves of the first equilibrium are drawn thick and red (mixed moves with their probability).
- Matrix: one table per profile of the third and later players; each cell lists the payoffs, a
  payoff in a box when that strategy is a best response; pure equilibrium cells are shaded.

Both draw what :mod:`solver.analysis.pictures` marked. SVG output keeps text as ``<text>``
elements (``svg.fonttype = none``), so labels can be searched and the browser renders them with
its own fonts. Everything works on ``matplotlib.figure.Figure`` directly (no pyplot state), and
matplotlib is imported only when a picture is drawn.
"""
from __future__ import annotations

import io
import os
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from solver.analysis.pictures import MarkedMatrix, PlayedTree
from solver.model.tree import CHANCE, TERMINAL, ExtensiveGame
from solver.present.table import MINUS, matrix_pages, number
from solver.present.words import CONCEPT_WORDS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

HIGHLIGHT = "#d35400"
EDGE = "#7f8c8d"
PLAYER_COLOURS = ["#1f5fa8", "#7d3c98", "#1e8449", "#a93226", "#117a65", "#5d6d7e"]
FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
TEXT_AS_TEXT = {"svg.fonttype": "none"}


def picture_format(path: str) -> str:
    """The format of a picture file from its extension; ValueError names the ones there are."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in FORMATS:
        raise ValueError(f"unknown picture format '{extension or '(none)'}'; use .svg, .png or .pdf")
    return FORMATS[extension]


def _number(value) -> str:
    return number(value, MINUS)


# ---- trees --------------------------------------------------------------------------------------
def tree_layout(tree: ExtensiveGame) -> tuple[dict[int, float], dict[int, float], list[int]]:
    """x (depth) and y (leaf order, top = 0) of every node, and the leaves in drawing order."""
    leaves: list[int] = []
    y: dict[int, float] = {}
    x: dict[int, float] = {}
    stack = [(0, False)]
    while stack:                      # iterative post-order: children before their parent
        node, done = stack.pop()
        kids = list(tree.children(node))
        if not kids:
            y[node] = float(len(leaves))
            leaves.append(node)
        elif done:
            y[node] = (y[kids[0]] + y[kids[-1]]) / 2
        else:
            stack.append((node, True))
            stack.extend((c, False) for c in reversed(kids))
        x[node] = float(tree.depth[node])
    return x, y, leaves


def tree_figure(played: PlayedTree, title: str | None = None) -> Figure:
    """The game tree, with the equilibrium moves of ``played`` highlighted."""
    from matplotlib.figure import Figure  # heavy: imported only when a picture is drawn
    tree = played.tree
    x, y, leaves = tree_layout(tree)
    n_leaves = max(1, len(leaves))
    depth = int(max(tree.depth)) if tree.num_nodes else 0
    font = 9 if n_leaves <= 16 else 7.5 if n_leaves <= 40 else 6.5
    payoff_width = 0.09 * max(len(_payoff_text(tree, leaf)) for leaf in leaves) * font / 9 + 0.3
    width = max(5.5, 1.9 * depth + 1.2 + payoff_width)
    height = max(2.6, 0.30 * n_leaves * font / 9 + 1.2)
    legend = tree_legend(played)
    extra = legend.count("\n") * font * 1.5 / 72           # inches for the legend's further lines
    height += extra
    fig = Figure(figsize=(width, height))
    bottom = 0.07 + extra / height
    ax = fig.add_axes([0.02, bottom, 0.96, 0.93 - bottom])
    ax.set_axis_off()
    ax.set_xlim(-0.3, depth + payoff_width / 1.9 + 0.3)
    ax.set_ylim(n_leaves - 0.4, -0.9)
    labels: list[_MoveLabel] = []
    for node in range(tree.num_nodes):
        labels += _draw_edges(ax, played, node, x, y, font)
        _draw_node(ax, tree, node, x, y, font)
    for node, belief in played.beliefs.items():       # under the node; the mover's name is above it
        ax.text(x[node] + 0.05, y[node] + 0.1, f"μ = {_number(belief)}", fontsize=font * 0.85, ha="left", va="top",
                color=HIGHLIGHT, zorder=3, gid=f"belief-{node}",
                bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85))
    _draw_information_sets(ax, tree, x, y, font, labels)
    fig.suptitle(title if title is not None else (tree.info.title or ""), fontsize=font + 2, y=0.985)
    fig.text(0.02, 0.015, legend, fontsize=font, ha="left", va="bottom", color="#333333")
    return fig


def tree_legend(played: PlayedTree) -> str:
    """The line under a tree: the payoff order, and which equilibrium is drawn in orange."""
    legend = f"Payoffs: ({', '.join(played.tree.players)})"
    if played.behaviour:
        legend += "   ·   orange: equilibrium moves, thickest on the path of play"
        if played.concept == "nash":
            first = "the first " if played.equilibrium_count > 1 else ""
            legend += f" ({first}Nash equilibrium" + (", of the reduced normal form: no perfect recall)" if played.note else ")")
        elif played.equilibrium_count > 1:
            legend += f" (first {CONCEPT_WORDS[played.concept]} equilibrium)"
        if played.beliefs:
            legend += "\nμ: the belief at each node of an information set" + (
                "; off the path one choice that supports the equilibrium: " + "; ".join(played.off_path)
                if played.off_path else " (Bayes' rule)")
    elif played.note:
        legend += "   ·   no equilibrium is marked: the game could not be solved"
    return legend


class _MoveLabel(NamedTuple):
    """A move's label and the edge it sits on, from (x0, y0) to (x1, y1)."""
    text: object
    x0: float
    y0: float
    x1: float
    y1: float


def _draw_edges(ax, played: PlayedTree, node: int, x, y, font: float) -> list[_MoveLabel]:
    """The moves out of ``node`` with their labels; equilibrium moves highlighted."""
    tree = played.tree
    kind = int(tree.node_player[node])
    kids = list(tree.children(node))
    h = int(tree.node_infoset[node]) if kind >= 0 else -1
    labels = []
    for k, child in enumerate(kids):
        probability = played.behaviour.get(h, [None] * len(kids))[k] if kind >= 0 else None
        chosen = probability is not None and probability != 0
        ax.plot([x[node], x[child]], [y[node], y[child]], color=HIGHLIGHT if chosen else EDGE,
                linewidth=(3.2 if child in played.reached else 1.9) if chosen else 1.0, zorder=1,
                solid_capstyle="round")
        label = tree.node_moves[node][k]
        if kind == CHANCE:
            label += f" ({_number(tree.chance_probs[child])})"
        elif chosen and probability != 1:
            label += f" [{_number(probability)}]"
        mx, my = (x[node] + x[child]) / 2, (y[node] + y[child]) / 2
        text = ax.text(mx, my - LABEL_LIFT, label, fontsize=font * 0.92, ha="center", va="bottom", zorder=3,
                       color=HIGHLIGHT if chosen else "#222222", fontweight="bold" if chosen else "normal",
                       bbox=dict(boxstyle="round,pad=0.12", facecolor="white", edgecolor="none", alpha=0.85),
                       gid=f"move-{node}-{k}")
        labels.append(_MoveLabel(text, x[node], y[node], x[child], y[child]))
    return labels


def _draw_node(ax, tree: ExtensiveGame, node: int, x, y, font: float) -> None:
    kind = int(tree.node_player[node])
    if kind == TERMINAL:
        ax.plot([x[node]], [y[node]], marker="o", markersize=3, color="#34495e", zorder=2)
        ax.text(x[node] + 0.08, y[node], _payoff_text(tree, node), fontsize=font, ha="left", va="center",
                family="monospace", zorder=3)
    elif kind == CHANCE:
        ax.plot([x[node]], [y[node]], marker="D", markersize=7, color="#f1c40f", markeredgecolor="#7d6608", zorder=2)
        ax.text(x[node], y[node] - 0.22, "Chance", fontsize=font, ha="center", va="bottom", zorder=3, style="italic")
    else:
        colour = PLAYER_COLOURS[kind % len(PLAYER_COLOURS)]
        ax.plot([x[node]], [y[node]], marker="o", markersize=8, color=colour, zorder=2)
        ax.text(x[node], y[node] - 0.22, tree.players[kind], fontsize=font, ha="center", va="bottom",
                color=colour, fontweight="bold", zorder=3)


def _draw_information_sets(ax, tree: ExtensiveGame, x, y, font: float, labels: list[_MoveLabel]) -> None:
    """A dashed bracket to the left of the nodes of each information set, clear of the move labels:
    placed where no label is in the way (near the nodes, one lane per set at each depth), or else
    the labels in the way slide along their edges towards the parent."""
    boxes = _LabelBoxes(ax, labels)
    placed: list[tuple[float, float, float, float]] = []           # column, x, top, bottom
    for h, info in enumerate(tree.infosets):
        if len(info.nodes) < 2:
            continue
        nodes = sorted(info.nodes, key=lambda n: y[n])
        column = min(x[n] for n in nodes)
        top, bottom = y[nodes[0]], y[nodes[-1]]
        lane = sum(1 for c, _, t, b in placed if c == column and t <= bottom and b >= top)
        segments = partial(_bracket_segments, points=[(x[n], y[n]) for n in nodes])
        taken = [xp for c, xp, t, b in placed if c == column and t <= bottom + 0.5 and b >= top - 0.5]
        xb = _clear_bracket_x(column, lane, taken, segments, boxes)
        if xb is None:
            xb = column - BRACKET_GAP - BRACKET_LANE * lane
            boxes.slide_off(segments(xb))
        placed.append((column, xb, top, bottom))
        boxes.avoid(segments(xb))
        dashed = dict(linestyle=(0, (4, 3)), color="#555555", linewidth=1.2, zorder=1.5)
        for k, ((x0, y0), (x1, y1)) in enumerate(segments(xb)):
            ax.plot([x0, x1], [y0, y1], gid=f"infoset-{h}-{k}", **dashed)
        name = ax.text(xb - 0.025, (top + bottom) / 2, info.label, fontsize=font * 0.85, rotation=90,
                       ha="right", va="center", color="#555555", style="italic", zorder=3,
                       bbox=dict(boxstyle="round,pad=0.1", facecolor="white", edgecolor="none", alpha=0.85),
                       gid=f"infoset-name-{h}")
        boxes.place_name(name, [y[n] for n in nodes])


LABEL_LIFT = 0.08          # a move label sits this far above its edge's midpoint (leaf rows)
BRACKET_GAP = 0.13         # an information set's bracket sits this far left of its nodes (depths) ...
BRACKET_LANE = 0.11        # ... one lane further left per other set at the same depth
BRACKET_FARTHEST = 0.45    # brackets go no further left than this; labels move instead


def _bracket_segments(xb: float, points) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The bracket at ``xb``: its vertical line, and a tick to each node."""
    ys = [py for _, py in points]
    return [((xb, min(ys)), (xb, max(ys)))] + [((xb, py), (px, py)) for px, py in points]


def _clear_bracket_x(column: float, lane: int, taken, segments, boxes: "_LabelBoxes") -> float | None:
    """The x nearest the set's usual lane where the bracket crosses no label and stays clear of the
    other brackets at that depth; None when there is none."""
    usual = column - BRACKET_GAP - BRACKET_LANE * lane
    steps = int(round((BRACKET_FARTHEST - 0.09) / 0.01))
    candidates = sorted((column - 0.09 - 0.01 * k for k in range(steps + 1)), key=lambda xb: abs(xb - usual))
    for xb in candidates:
        if all(abs(xb - other) >= 0.08 for other in taken) and not boxes.crossed(segments(xb)):
            return xb
    return None


class _LabelBoxes:
    """The move labels' boxes in data coordinates (from the renderer's extents, with a margin)."""

    MARGIN = 3.0           # pixels around each label's box

    def __init__(self, ax, labels: list[_MoveLabel]):
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # heavy: only when a tree is drawn
        self.ax, self.labels = ax, labels
        canvas = ax.figure.canvas if isinstance(ax.figure.canvas, FigureCanvasAgg) else FigureCanvasAgg(ax.figure)
        self.renderer = canvas.get_renderer()
        self.boxes = [self._box(label.text) for label in labels]
        self.brackets: list = []

    def _box(self, text) -> tuple[float, float, float, float]:
        patch = text.get_bbox_patch()
        text.update_bbox_position_size(self.renderer)
        own = text.get_window_extent(self.renderer)
        extent = type(own).union([own, patch.get_window_extent(self.renderer)])
        corners = self.ax.transData.inverted().transform(extent.padded(self.MARGIN).get_points())
        (xa, ya), (xb, yb) = corners
        return min(xa, xb), max(xa, xb), min(ya, yb), max(ya, yb)

    def crossed(self, segments) -> bool:
        return any(_hits(segment, box) for segment in segments for box in self.boxes)

    def avoid(self, segments) -> None:
        self.brackets.extend(segments)

    def slide_off(self, segments) -> None:
        """Move each label crossed by ``segments`` along its edge towards the parent until it is clear
        of every bracket placed so far and of these."""
        blocking = self.brackets + list(segments)
        for k, label in enumerate(self.labels):
            if not any(_hits(segment, self.boxes[k]) for segment in segments):
                continue
            for share in (0.4, 0.3, 0.22, 0.15, 0.6, 0.7):
                text = label.text
                text.set_position((label.x0 + share * (label.x1 - label.x0),
                                   label.y0 + share * (label.y1 - label.y0) - LABEL_LIFT))
                self.boxes[k] = self._box(text)
                if not any(_hits(segment, self.boxes[k]) for segment in blocking):
                    break


    def place_name(self, text, ys) -> None:
        """Slide an information set's name along its bracket (left of it, else right of it) to the
        first spot clear of the move labels, trying the middle first; else leave it in the middle."""
        x = text.get_position()[0]
        top, bottom = ys[0], ys[-1]
        spots = [top + (bottom - top) * k / 8 for k in (4, 3, 5, 2, 6, 1, 7, 0, 8)]
        for side, left in ((x, "right"), (x + 0.05, "left")):
            text.set_horizontalalignment(left)
            for spot in spots:
                text.set_position((side, spot))
                x0, x1, y0, y1 = self._box(text)
                if not any(_hits(((x0, y0), (x1, y1)), box) for box in self.boxes):
                    return
        text.set_horizontalalignment("right")
        text.set_position((x, (top + bottom) / 2))


def _hits(segment, box) -> bool:
    """Whether an axis-parallel segment (or the box it spans) meets a box (x0, x1, y0, y1)."""
    (xa, ya), (xb, yb) = segment
    x0, x1, y0, y1 = box
    return min(xa, xb) <= x1 and max(xa, xb) >= x0 and min(ya, yb) <= y1 and max(ya, yb) >= y0


def _payoff_text(tree: ExtensiveGame, leaf: int) -> str:
    return "(" + ", ".join(_number(v) for v in tree.leaf_payoffs[leaf]) + ")"


# ---- matrices -----------------------------------------------------------------------------------
class _Grid:
    """A payoff tensor as rows × columns (× pages): a one-player game is one column of payoffs."""

    def __init__(self, matrix: MarkedMatrix, max_pages: int):
        game = matrix.game
        self.players, self.single = game.players, game.num_players == 1
        self.rows = game.strategies[0]
        self.payoffs, self.best, self.equilibrium = game.payoffs, matrix.best, matrix.equilibrium
        if self.single:
            self.cols = ("",)
            self.payoffs = game.payoffs.reshape((1, -1, 1))
            self.best = matrix.best.reshape((1, -1, 1))
            self.equilibrium = np.zeros((len(self.rows), 1), dtype=bool)     # nothing to shade
            self.pages = [()]
        else:
            self.cols = game.strategies[1]
            self.pages = matrix_pages(game.shape)[:max_pages]
        self.strategies = game.strategies
        self.count = self.payoffs.shape[0]


def matrix_figure(matrix: MarkedMatrix, title: str | None = None, max_pages: int = 8) -> Figure:
    """The payoff matrix (one per profile of players 3..N, at most ``max_pages``), best responses boxed."""
    from matplotlib.figure import Figure  # heavy: imported only when a picture is drawn
    grid = _Grid(matrix, max_pages)
    font = 10 if len(grid.cols) <= 6 else 8
    char = 0.0078 * font                           # inches per character, roughly
    longest = max(len(_number(v)) for v in grid.payoffs.flat)
    cell_w = max(1.3, grid.count * (char * longest + 0.32) + 0.2, char * max(len(c) for c in grid.cols) + 0.4)
    head_w = max(1.2, char * max(len(s) for s in grid.rows) + 0.4)
    heading = title if title is not None else (matrix.game.info.title or "")
    title_h = 0.5 if heading else 0.1
    caption_h = 0.35 if grid.pages[0] else 0.0
    header_h, row_h, gap, legend_h = 0.45, 0.55, 0.25, 0.4
    page_h = caption_h + header_h + row_h * len(grid.rows) + gap
    width = max(4.0, head_w + cell_w * len(grid.cols) + 0.6)
    height = title_h + page_h * len(grid.pages) + legend_h
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    if heading:
        ax.text(width / 2, title_h / 2 + 0.05, heading, fontsize=font + 1, ha="center", va="center")
    sizes = dict(font=font, head_w=head_w, cell_w=cell_w, caption_h=caption_h, header_h=header_h, row_h=row_h)
    for k, page in enumerate(grid.pages):
        _draw_page(ax, grid, page, title_h + page_h * k, **sizes)
    order = ", ".join(grid.players[: grid.count])
    legend = "Boxed: the best strategy." if grid.single else \
        f"Payoffs: ({order}). Boxed: a best response. Shaded: a pure equilibrium."
    ax.text(0.1, height - legend_h / 2, legend, fontsize=font * 0.8, ha="left", va="center", color="#333333")
    return fig


def _draw_page(ax, grid: _Grid, page: tuple, top: float, *, font, head_w, cell_w, caption_h, header_h, row_h) -> None:
    """One table of the matrix: the caption naming the later players' strategies, the header, the cells."""
    from matplotlib.patches import Rectangle  # heavy: imported only when a picture is drawn
    x0 = 0.3
    if page:
        caption = "When " + ", ".join(f"{grid.players[2 + j]} plays {grid.strategies[2 + j][k]}" for j, k in enumerate(page))
        ax.text(x0, top + caption_h / 2, caption, fontsize=font, ha="left", va="center", style="italic")
    header_y = top + caption_h + header_h / 2
    corner = grid.players[0] if grid.single else f"{grid.players[0]} ╲ {grid.players[1]}"
    ax.text(x0 + head_w / 2, header_y, corner, fontsize=font * 0.9, ha="center", va="center", color="#555555")
    for c, name in enumerate(grid.cols):
        ax.text(x0 + head_w + cell_w * (c + 0.5), header_y, name, fontsize=font, ha="center", va="center",
                fontweight="bold", color=PLAYER_COLOURS[1])
    for r, name in enumerate(grid.rows):
        yr = top + caption_h + header_h + row_h * r
        ax.text(x0 + head_w - 0.1, yr + row_h / 2, name, fontsize=font, ha="right", va="center", fontweight="bold",
                color=PLAYER_COLOURS[0])
        for c in range(len(grid.cols)):
            profile = (r, c) + tuple(page)
            xc = x0 + head_w + cell_w * c
            ax.add_patch(Rectangle((xc, yr), cell_w, row_h, facecolor="#fdebd0" if grid.equilibrium[profile] else "white",
                                   edgecolor="#95a5a6", linewidth=0.8))
            for i in range(grid.count):
                colour = PLAYER_COLOURS[i % len(PLAYER_COLOURS)]
                box = dict(boxstyle="square,pad=0.18", facecolor="none", edgecolor=colour, linewidth=1.1)
                ax.text(xc + 0.1 + (cell_w - 0.2) * (i + 0.5) / grid.count, yr + row_h / 2,
                        _number(grid.payoffs[(i,) + profile]), fontsize=font, ha="center", va="center", color=colour,
                        bbox=box if grid.best[(i,) + profile] else None)


# ---- the entry points ---------------------------------------------------------------------------
def game_figure(picture: MarkedMatrix | PlayedTree, title: str | None = None) -> Figure:
    """A tree or a matrix, whichever was marked."""
    if isinstance(picture, PlayedTree):
        return tree_figure(picture, title)
    return matrix_figure(picture, title)


def save_figure(fig: Figure, path: str) -> None:
    import matplotlib  # heavy: imported only when a picture is written
    kind = picture_format(path)
    with matplotlib.rc_context(TEXT_AS_TEXT):
        fig.savefig(path, format=kind, dpi=150 if kind == "png" else None, bbox_inches="tight")


def svg_markup(fig: Figure) -> str:
    """The figure as an ``<svg>`` element (no XML prologue), for inline use in HTML."""
    import matplotlib  # heavy: imported only when a picture is written
    buffer = io.StringIO()
    with matplotlib.rc_context(TEXT_AS_TEXT):
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    start = text.find("<svg")
    return text[start:] if start >= 0 else text
