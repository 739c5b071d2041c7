"""Learning dynamics for people: the summary of a run (start, end and verdict, named after the
Nash equilibrium it is near) and the trajectories as a picture (probabilities over time, and for
2×2 games the phase plot with the replicator's vector field).

Both read a :class:`~solver.analysis.dynamics.DynamicsReport`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from solver.analysis.dynamics import DynamicsReport, vector_field_2x2
from solver.core.numbers import format_number
from solver.present.draw import HIGHLIGHT, PLAYER_COLOURS
from solver.present.text import describe_mixed

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Significant digits of the probabilities in the summary.
DIGITS = 3
OTHER_RUNS = "#5d6d7e"


def _what(report: DynamicsReport) -> str:
    return "Replicator dynamics" if report.method == "replicator" else "Fictitious play"


def summary(report: DynamicsReport) -> str:
    """Where the dynamics start and end, and the verdict."""
    run, v = report.runs[0], report.verdict

    def shares(pair) -> str:
        return "; ".join(f"{p} " + ", ".join(f"{s} {format_number(x, DIGITS)}" for s, x in zip(report.strategies[i], vector))
                         for i, (p, vector) in enumerate(zip(report.players, pair)))
    near = None
    if report.nearest is not None:
        strategies = report.equilibria[report.nearest][2]
        near = "(" + "; ".join(describe_mixed(strategies[p]) for p in report.players) + ")"
    span = (f"t = 0..{run.times[-1]:g}, {len(run.times)} time points; payoffs scaled to a range of 1"
            if report.method == "replicator" else f"{len(run.times)} rounds, seed {report.settings.get('seed', 0)}")
    lines = [f"{_what(report)} for {report.title} ({span})",
             f"Start:  {shares((run.row[0], run.column[0]))}",
             f"End:    {shares((run.row[-1], run.column[-1]))}"]
    if v.kind == "cycles":
        if report.method == "fictitious-play":
            text = ("Verdict: cycles — the empirical frequencies do not approach an equilibrium (the players' "
                    "regret against them does not shrink). ")
        else:
            text = (f"Verdict: cycles — the probabilities keep oscillating (they still move by up to {v.spread:.2f} "
                    f"in the last quarter of the run). ")
        text += f"Time average over the second half: {shares(v.average)}"
        lines.append(text + (f", close to the equilibrium {near}" if near else "") + ".")
    else:
        target = f"the Nash equilibrium {near}" if near else shares(v.limit)
        if v.kind == "converges":
            lines.append(f"Verdict: converges to {target}.")
        elif report.method == "fictitious-play":
            lines.append(f"Verdict: converges slowly towards {target} (the players' regret against the "
                         f"empirical frequencies keeps shrinking).")
        else:
            lines.append(f"Verdict: converges slowly towards {target} (the oscillations shrink; still moving "
                         f"by up to {v.spread:.2f} in the last quarter).")
    return "\n".join(lines) + "\n"


def dynamics_figure(report: DynamicsReport) -> Figure:
    """Strategy probabilities over time (both players); for 2×2 games also the phase plot."""
    from matplotlib.figure import Figure  # heavy: imported only when a picture is drawn
    run = report.runs[0]
    phase = report.A is not None and report.A.shape == (2, 2)
    fig = Figure(figsize=(11, 4.4) if phase else (8, 6))
    if phase:
        axes = [fig.add_axes([0.06, 0.56, 0.42, 0.36]), fig.add_axes([0.06, 0.11, 0.42, 0.36])]
    else:
        axes = [fig.add_axes([0.09, 0.57, 0.86, 0.36]), fig.add_axes([0.09, 0.09, 0.86, 0.36])]
    for i, (ax, data) in enumerate(zip(axes, (run.row, run.column))):
        for k, name in enumerate(report.strategies[i]):
            ax.plot(run.times, data[:, k], linewidth=1.6, label=name)
        ax.set_ylim(-0.03, 1.03)
        ax.set_ylabel(f"{report.players[i]}", fontsize=10, color=PLAYER_COLOURS[i])
        ax.legend(fontsize=8, loc="upper right", framealpha=0.8)
        ax.tick_params(labelsize=8)
        if report.method == "fictitious-play":
            ax.set_xscale("log")
    axes[1].set_xlabel("time" if report.method == "replicator" else "round", fontsize=10)
    what = "Replicator dynamics" if report.method == "replicator" else "Fictitious play (empirical frequencies)"
    axes[0].set_title(f"{what}: {report.title}", fontsize=10, loc="left")
    if phase:
        _phase_plot(fig.add_axes([0.58, 0.11, 0.38, 0.81]), report)
    return fig


def _phase_plot(ax, report: DynamicsReport) -> None:
    """P(row's first strategy) against P(column's first): the runs, the field, the equilibria."""
    if report.method == "replicator":
        X, Y, U, V = vector_field_2x2(report.A, report.B)
        ax.quiver(X, Y, U, V, color="#b0b7bd", angles="xy", width=0.003)
    for k, r in enumerate(report.runs):
        colour = HIGHLIGHT if k == 0 else OTHER_RUNS
        ax.plot(r.row[:, 0], r.column[:, 0], color=colour, linewidth=1.8 if k == 0 else 1.0, zorder=3 if k == 0 else 2)
        ax.plot([r.row[0, 0]], [r.column[0, 0]], marker="o", markersize=4, color=colour)
    for x, y, _ in report.equilibria:
        ax.plot([x[0]], [y[0]], marker="*", markersize=14, color="#1e8449", zorder=4, markeredgecolor="white")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_aspect("equal")
    ax.set_xlabel(f"P({report.players[0]} plays {report.strategies[0][0]})", fontsize=10)
    ax.set_ylabel(f"P({report.players[1]} plays {report.strategies[1][0]})", fontsize=10)
    ax.set_title("Phase plot (stars: Nash equilibria)", fontsize=10)
    ax.tick_params(labelsize=8)
