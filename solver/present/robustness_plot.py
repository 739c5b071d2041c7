"""Pictures of a robustness analysis: the outcome probabilities with their 95% intervals, each
player's payoff histogram, and a tornado per player (each parameter from its 5th to its 95th
percentile, the others at their medians). A ``matplotlib.figure.Figure`` on the Agg canvas, in the
Okabe–Ito palette as the sweep plots.
"""
from __future__ import annotations

import textwrap

import numpy as np

from solver.analysis.robustness import RobustnessResult
from solver.present.sweep_plot import OKABE_ITO, plot_format

#: Parameters shown in each tornado, the widest first.
TORNADO_BARS = 10


def robustness_figure(result: RobustnessResult):
    """The figure: outcome probabilities on top, then one row per player (histogram, tornado)."""
    from matplotlib.figure import Figure     # matplotlib is slow to import: only when a plot is asked for
    players = list(result.game.players)
    rows = 1 + len(players)
    figure = Figure(figsize=(10.0, 2.6 * rows), layout="constrained")
    grid = figure.add_gridspec(rows, 2)
    _outcomes(figure.add_subplot(grid[0, :]), result)
    for i, player in enumerate(players):
        _histogram(figure.add_subplot(grid[1 + i, 0]), result, i)
        _tornado(figure.add_subplot(grid[1 + i, 1]), result, i, player)
    figure.suptitle(f"{result.game.info.title or result.game_path}: {result.samples:,} samples (seed {result.seed})",
                    fontsize=10)
    return figure


def _outcomes(axes, result: RobustnessResult):
    shares = result.outcomes
    y = np.arange(len(shares))[::-1]
    p = np.array([s.probability for s in shares])
    errors = np.array([[s.probability - s.low for s in shares], [s.high - s.probability for s in shares]])
    axes.barh(y, p, color=[OKABE_ITO[k % len(OKABE_ITO)] for k in range(len(shares))], xerr=errors, capsize=3)
    axes.set_yticks(y, ["\n".join(textwrap.wrap(s.label, 60)) for s in shares], fontsize=8)
    axes.set_xlim(0, 1)
    axes.set_xlabel("probability (95% Wilson interval)")
    for yy, share in zip(y, shares):
        axes.text(min(share.high + 0.01, 0.93), yy, f"{100 * share.probability:.1f}%", va="center", fontsize=8)


def _histogram(axes, result: RobustnessResult, i: int):
    summary = result.payoffs[i]
    if not summary.counts:
        axes.set_axis_off()
        return
    edges = np.asarray(summary.edges)
    axes.bar(edges[:-1], summary.counts, width=np.diff(edges), align="edge", color=OKABE_ITO[i % len(OKABE_ITO)],
             edgecolor="white")
    axes.axvline(summary.mean, color="black", linestyle="--", linewidth=1, label=f"mean {summary.mean:.3g}")
    axes.set_title(f"{summary.player}: equilibrium payoff", fontsize=9)
    axes.set_ylabel("samples")
    axes.legend(fontsize=8)


def _tornado(axes, result: RobustnessResult, i: int, player: str):
    bars = [b for b in result.tornado if np.isfinite(b.low_payoffs[i]) and np.isfinite(b.high_payoffs[i])]
    bars = sorted(bars, key=lambda b: -abs(b.high_payoffs[i] - b.low_payoffs[i]))[:TORNADO_BARS]
    if not bars:
        axes.set_axis_off()
        return
    base = bars[0].base_payoffs[i] if bars[0].base_payoffs else float("nan")
    centre = float(base) if np.isfinite(base) else float(np.median([b.low_payoffs[i] for b in bars] + [b.high_payoffs[i] for b in bars]))
    y = np.arange(len(bars))[::-1]
    for yy, bar in zip(y, bars):
        low, high = bar.low_payoffs[i], bar.high_payoffs[i]
        axes.barh(yy, low - centre, left=centre, color=OKABE_ITO[0], label="5th percentile" if yy == y[0] else None)
        axes.barh(yy, high - centre, left=centre, color=OKABE_ITO[1], label="95th percentile" if yy == y[0] else None)
    axes.axvline(centre, color="black", linewidth=0.8)
    axes.set_yticks(y, [b.parameter for b in bars], fontsize=8)
    axes.set_title(f"{player}: each parameter at its 5th / 95th percentile", fontsize=9)
    axes.set_xlabel("payoff (the line: every parameter at its median)", fontsize=8)
    values = [centre] + [b.low_payoffs[i] for b in bars] + [b.high_payoffs[i] for b in bars]
    pad = 0.08 * max(1e-9, max(values) - min(values))
    axes.set_xlim(min(values) - pad, max(values) + pad)
    axes.legend(fontsize=7, loc="lower right")


def plot_robustness(result: RobustnessResult, path: str) -> str:
    """Draw the figure into ``path`` (.png, .svg or .pdf); returns the format."""
    fmt = plot_format(path)
    figure = robustness_figure(result)
    figure.savefig(path, format=fmt, dpi=150 if fmt == "png" else None, bbox_inches="tight")
    return fmt
