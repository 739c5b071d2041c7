"""Plots of parameter sweeps, for reports and papers.

1-D sweeps: the equilibrium payoffs (and, for mixed equilibria, the mixing probabilities) against
the parameter, with the outcome regions shaded and lettered and the boundaries marked. 2-D sweeps:
a map of the outcome regions with their boundary lines and any fitted straight boundary.

Figures are built with ``matplotlib.figure.Figure`` on the Agg canvas (no pyplot state, no
display needed). Colours are the Okabe–Ito palette, which stays distinguishable with the common
forms of colour blindness (Okabe & Ito 2008, "Color Universal Design"); regions also carry letters,
and lines differ in style as well as colour.
"""
from __future__ import annotations

import colorsys
import os
import string
import textwrap

import numpy as np

from solver.core.numbers import format_number
from solver.present.sweep_text import line_equation

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
LINE_STYLES = ["-", "--", ":", "-."]
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}


def plot_format(path: str) -> str:
    """The file format from the extension; ValueError for anything else."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in FORMATS:
        raise ValueError(f"cannot tell the plot format from '{path}': use a .png, .svg or .pdf file name")
    return FORMATS[extension]


def _letters(n: int) -> list[str]:
    letters = list(string.ascii_uppercase)
    return [letters[k] if k < 26 else f"{letters[k // 26 - 1]}{letters[k % 26]}" for k in range(n)]


def _description(game, name: str) -> str:
    for p in game.info.parameters:
        if p.name == name:
            return p.description
    return ""


def _axis_label(game, name: str, width: int = 70) -> str:
    description = _description(game, name)
    text = f"{name}: {description}" if description else name
    return "\n".join(textwrap.wrap(text, width))


def _wrap(text: str, width: int = 80) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


#: Pale shades for region backgrounds under lines (the report's sweep plots).
PALE = ["#d6eaf8", "#fad7a0", "#d1f2eb", "#e8daef", "#f9e79f", "#d5d8dc", "#f5b7b1", "#a9dfbf"]


def distinct_colour(k: int, palette=OKABE_ITO, pale: bool = False) -> str:
    """The ``k``-th colour: the palette's, then further hues spread by the golden angle, so that
    any number of outcomes get different colours.

    >>> distinct_colour(0), len({distinct_colour(k) for k in range(40)})
    ('#0072B2', 40)
    """
    if k < len(palette):
        return palette[k]
    extra = k - len(palette)
    hue = (0.11 + extra * 0.618033988749895) % 1.0
    saturation = (0.22 if pale else 0.65) + 0.1 * (extra // 7 % 3)
    value = (0.96 if pale else 0.72) - 0.05 * (extra % 2)
    red, green, blue = colorsys.hsv_to_rgb(hue, min(saturation, 1.0), value)
    return "#{:02x}{:02x}{:02x}".format(*(round(255 * c) for c in (red, green, blue)))


class OutcomeColours:
    """One colour per outcome label, shared by every plot it is handed to: an outcome keeps its
    colour from plot to plot, and a new outcome gets a colour no other outcome has.

    >>> shared = OutcomeColours(PALE, pale=True)
    >>> shared["A"], shared["B"], shared["A"], dict(shared.items())
    ('#d6eaf8', '#fad7a0', '#d6eaf8', {'A': '#d6eaf8', 'B': '#fad7a0'})
    """

    def __init__(self, palette=OKABE_ITO, pale: bool = False, labels=()):
        self.palette, self.pale = list(palette), pale
        self._colours: dict[str, str] = {}
        for label in labels:
            self[label]

    def __getitem__(self, label: str) -> str:
        if label not in self._colours:
            self._colours[label] = distinct_colour(len(self._colours), self.palette, self.pale)
        return self._colours[label]

    def items(self):
        return self._colours.items()


def _colours(result):
    """A colour and a letter per region outcome (largest first); tie-only outcomes are black."""
    regions = result.regions()
    real = [r for r in regions if not r.boundary]
    colour, letter = {}, {}
    for region, tag in zip(real, _letters(len(real))):
        if region.outcome.code not in colour:
            colour[region.outcome.code] = distinct_colour(len(colour))
            letter[region.outcome.code] = tag
    for region in regions:
        if region.outcome.code not in colour:
            colour[region.outcome.code] = "#000000"
    return regions, colour, letter


def plot_sweep(result, path: str, title: str | None = None) -> str:
    """Write the plot of ``result`` (a ``SweepResult``) to ``path``; returns the format."""
    fmt = plot_format(path)
    if len(result.axes) == 1:
        figure = _plot_1d(result, title)
    elif len(result.axes) == 2:
        figure = _plot_2d(result, title)
    else:
        raise ValueError("plots need 1 or 2 swept parameters")
    figure.savefig(path, format=fmt, dpi=200 if fmt == "png" else None, bbox_inches="tight")
    return fmt


def _new_figure(rows: int = 1, height: float = 4.6):
    from matplotlib.figure import Figure     # matplotlib is optional (the plot extra) and slow to import
    figure = Figure(figsize=(8.0, height + (2.2 if rows > 1 else 0)), layout="constrained")
    return figure


# ---- 1-D -----------------------------------------------------------------------------------------
def _plot_1d(result, title):
    game = result.game
    axis = result.axes[0]
    regions, colour, letter = _colours(result)
    series = _visible_series(result)
    mixed = {d: s for d, s in series.items() if any(len(part) > 1 for part in d)}
    figure = _new_figure(2 if mixed else 1)
    if mixed:
        top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 2])
    else:
        top, bottom = figure.subplots(1, 1), None
    panels = [top] + ([bottom] if bottom is not None else [])
    _shade_runs(result, top, panels, colour, letter)
    _plot_payoffs(result, top, series)
    if bottom is not None:
        _plot_probabilities(result, bottom, mixed)
    panels[-1].set_xlabel(_axis_label(game, axis.name))
    for ax in panels:
        ax.set_xlim(float(axis.lo), float(axis.hi))
        ax.grid(True, color="0.9", linewidth=0.6)
        ax.set_axisbelow(True)
    what = "subgame-perfect outcome" if result.concept == "subgame-perfect" else "equilibria"
    figure.suptitle(_wrap(title or f"{game.info.title}: {what} as {axis.name} varies", 75), fontsize=11)
    _region_key(figure, regions, colour, letter)
    return figure


def _shade_runs(result, top, panels, colour, letter):
    """Each region's run shaded and lettered; each boundary a dashed vertical line with its value."""
    axis = result.axes[0]
    x = axis.floats
    step = axis.step if axis.count > 1 else 1.0
    position = 0
    for region in result.runs():
        start, stop = position, position + region.points - 1
        position += region.points
        if region.boundary:
            continue
        lo = max(float(axis.lo), x[start] - step / 2)
        hi = min(float(axis.hi), x[stop] + step / 2)
        for ax in panels:
            ax.axvspan(lo, hi, color=colour[region.outcome.code], alpha=0.16, linewidth=0)
        top.text((lo + hi) / 2, 1.01, letter.get(region.outcome.code, ""), transform=top.get_xaxis_transform(),
                 ha="center", va="bottom", fontsize=10, fontweight="bold", color=colour[region.outcome.code])
    for boundary in result.boundaries():
        at = boundary.at
        value = at.get(axis.name, at.get("estimate"))
        if value is None:
            continue
        for ax in panels:
            ax.axvline(float(value), color="0.25", linestyle=(0, (4, 3)), linewidth=0.9)
        top.annotate(format_number(float(value)), (float(value), 0.02), xycoords=top.get_xaxis_transform(),
                     xytext=(3, 0), textcoords="offset points", fontsize=8, color="0.25", rotation=90, va="bottom")


def _plot_payoffs(result, top, series):
    """The payoffs against the parameter: per player, or per player and equilibrium (normal forms)."""
    game = result.game
    x = result.axes[0].floats
    players = list(game.players)
    handles = []
    if not series:
        for i, player in enumerate(players):
            line, = top.plot(x, result.payoffs[:, i], color=OKABE_ITO[i % len(OKABE_ITO)],
                             linestyle=LINE_STYLES[i % len(LINE_STYLES)], linewidth=_width(i, len(players)), label=player)
            handles.append(line)
        top.set_ylabel("subgame-perfect payoff" if result.concept == "subgame-perfect" else "equilibrium payoff")
    else:
        for k, (descriptor, (payoffs, _)) in enumerate(sorted(series.items(), key=lambda kv: _descriptor_order(kv[0]))):
            name = _descriptor_text(game, descriptor)
            for i, player in enumerate(players):
                line, = top.plot(x, payoffs[:, i], color=OKABE_ITO[i % len(OKABE_ITO)],
                                 linestyle=LINE_STYLES[k % len(LINE_STYLES)], linewidth=_width(i, len(players)),
                                 label=f"{player} in {name}")
                handles.append(line)
        top.set_ylabel("equilibrium payoff")
    top.legend(handles=handles, fontsize=8, loc="best", framealpha=0.9)


def _plot_probabilities(result, bottom, mixed):
    """The mixing probabilities of the mixed equilibria (a mixing player's first strategy)."""
    game = result.game
    x = result.axes[0].floats
    players = list(game.players)
    offsets = np.cumsum([0] + list(game.shape))
    for k, (descriptor, (_, probs)) in enumerate(sorted(mixed.items(), key=lambda kv: _descriptor_order(kv[0]))):
        for i, player in enumerate(players):
            support = descriptor[i]
            if len(support) < 2:
                continue
            s = support[0]
            bottom.plot(x, probs[:, offsets[i] + s], color=OKABE_ITO[i % len(OKABE_ITO)],
                        linestyle=LINE_STYLES[k % len(LINE_STYLES)], linewidth=_width(i, len(players)),
                        label=f"{player}: P({game.strategies[i][s]}) in {_descriptor_text(game, descriptor)}")
    bottom.set_ylim(-0.03, 1.03)
    bottom.set_ylabel("mixing probability")
    bottom.legend(fontsize=8, loc="best", framealpha=0.9)


def _width(i: int, n: int) -> float:
    """Earlier players drawn wider, so that equal curves (symmetric games) stay visible."""
    return 1.6 + 1.6 * (n - 1 - i) / max(1, n - 1)


def _descriptor_order(descriptor):
    return (sum(len(s) for s in descriptor), descriptor)


def _descriptor_text(game, descriptor) -> str:
    if all(len(s) == 1 for s in descriptor):
        return "(" + ", ".join(game.strategies[i][s[0]] for i, s in enumerate(descriptor)) + ")"
    if all(len(s) == len(game.strategies[i]) for i, s in enumerate(descriptor)):
        return "the completely mixed equilibrium"
    return "mixed (" + "; ".join("/".join(game.strategies[i][k] for k in s) for i, s in enumerate(descriptor)) + ")"


def _visible_series(result) -> dict:
    """Equilibria present at two or more grid points (those only at a tie point would be a dot)."""
    return {d: v for d, v in (result.series or {}).items() if np.count_nonzero(~np.isnan(v[0][:, 0])) >= 2}


def _region_key(figure, regions, colour, letter, ties: str = "line"):
    """Letters → outcomes, as a legend below the axes; ties as a dashed line (1-D) or dots (2-D)."""
    from matplotlib.patches import Patch     # matplotlib is optional (the plot extra)
    handles = []
    for region in regions:
        code = region.outcome.code
        if region.boundary:
            continue
        if any(h.get_label().startswith(f"{letter[code]}: ") for h in handles):
            continue
        handles.append(Patch(facecolor=colour[code], alpha=0.5 if len(regions) else 1, edgecolor="0.3",
                             label=f"{letter[code]}: {_wrap(region.outcome.label, 90)}"))
    thin = [r for r in regions if r.boundary]
    if thin:
        from matplotlib.lines import Line2D     # matplotlib is optional (the plot extra)
        if ties == "line":
            handles.append(Line2D([], [], color="0.25", linestyle=(0, (4, 3)), label="boundary (ties solved exactly)"))
        else:
            labels = sorted({r.outcome.label for r in thin})
            text = ("tie points, solved exactly: " + labels[0]) if len(labels) == 1 else \
                f"tie points, solved exactly ({len(labels)} kinds; see the text report)"
            handles.append(Line2D([], [], color="black", marker="o", markersize=3, linestyle="", label=_wrap(text, 90)))
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncols=1, fontsize=8, frameon=False,
                      title="Outcome regions", title_fontsize=9, alignment="left")


# ---- 2-D -----------------------------------------------------------------------------------------
def _draw_fitted_lines(ax, boundaries, x_name: str, y_name: str):
    """Each straight boundary, and each straight piece of a boundary, dashed and labelled with its equation."""
    for boundary in boundaries:
        line = boundary.line
        if line is None:
            continue
        for piece in (line,) if line.straight else line.pieces:
            if piece.solved_for == y_name:
                xs = np.array(piece.extent[x_name])
                ys = piece.slope * xs + piece.intercept
            else:
                ys = np.array(piece.extent[y_name])
                xs = piece.slope * ys + piece.intercept
            ax.plot(xs, ys, color="black", linestyle=(0, (5, 3)), linewidth=1.2)
            ax.annotate(line_equation(piece), ((xs[0] + xs[1]) / 2, (ys[0] + ys[1]) / 2), xytext=(6, -12),
                        textcoords="offset points", fontsize=8,
                        bbox=dict(boxstyle="round,pad=0.2", facecolor="white", edgecolor="0.6", alpha=0.9))


def _plot_2d(result, title):
    from matplotlib.colors import BoundaryNorm, ListedColormap     # matplotlib is optional (the plot extra)
    game = result.game
    ax_x, ax_y = result.axes
    x, y = ax_x.floats, ax_y.floats
    regions, colour, letter = _colours(result)
    codes = result.region_map
    figure = _new_figure(1, height=5.6)
    ax = figure.subplots(1, 1)
    palette = [colour.get(k, "#000000") for k in range(len(result.outcomes))]
    cmap = ListedColormap(palette)
    norm = BoundaryNorm(np.arange(len(palette) + 1) - 0.5, len(palette))
    dx = ax_x.step if ax_x.count > 1 else 1.0
    dy = ax_y.step if ax_y.count > 1 else 1.0
    extent = [x[0] - dx / 2, x[-1] + dx / 2, y[0] - dy / 2, y[-1] + dy / 2]
    ax.imshow(codes.T, origin="lower", extent=extent, aspect="auto", cmap=cmap, norm=norm,
              interpolation="nearest", alpha=0.55, rasterized=True)
    # boundary lines: the outline of every region
    if ax_x.count > 1 and ax_y.count > 1:
        X, Y = np.meshgrid(x, y, indexing="ij")
        for region in regions:
            if region.boundary:
                continue
            inside = (codes == region.outcome.code).astype(float)
            if inside.min() == inside.max():
                continue
            ax.contour(X, Y, inside, levels=[0.5], colors="0.15", linewidths=1.0)
    ties = np.zeros(codes.shape, dtype=bool)
    for region in regions:
        if region.boundary:
            ties |= codes == region.outcome.code
    if ties.any() and ties.sum() <= 20000:
        tx, ty = np.nonzero(ties)
        ax.scatter(x[tx], y[ty], s=1.5, color="black", linewidths=0, label="tie points (solved exactly)", zorder=3)
    _draw_fitted_lines(ax, result.boundaries(), ax_x.name, ax_y.name)
    # letters at the centre of each region's largest part
    from scipy import ndimage     # scipy is slow to import; only 2-D plots need it
    for region in regions:
        if region.boundary:
            continue
        inside = codes == region.outcome.code
        labels, count = ndimage.label(inside)
        if count == 0:
            continue
        sizes = ndimage.sum(inside, labels, range(1, count + 1))
        biggest = labels == (int(np.argmax(sizes)) + 1)
        cx, cy = ndimage.center_of_mass(biggest)
        if not biggest[int(round(cx)), int(round(cy))]:
            points = np.argwhere(biggest)
            cx, cy = points[len(points) // 2]
        ax.text(np.interp(cx, np.arange(len(x)), x), np.interp(cy, np.arange(len(y)), y), letter[region.outcome.code],
                ha="center", va="center", fontsize=14, fontweight="bold", color="black",
                bbox=dict(boxstyle="circle,pad=0.3", facecolor="white", edgecolor=colour[region.outcome.code], linewidth=2))
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel(_axis_label(game, ax_x.name))
    ax.set_ylabel(_axis_label(game, ax_y.name, 50))
    what = "subgame-perfect outcome" if result.concept == "subgame-perfect" else "equilibria"
    figure.suptitle(_wrap(title or f"{game.info.title}: {what} over {ax_x.name} × {ax_y.name}", 75), fontsize=11)
    _region_key(figure, regions, colour, letter, "points")
    return figure
