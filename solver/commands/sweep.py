"""``solve sweep FILE --param NAME=LO:HI:N ...``: the equilibrium outcome over a parameter grid."""
from __future__ import annotations

import json
import os

import click

from solver.analysis.sweep import parse_axis, sweep
from solver.commands.common import (UserError, game_argument, limited, parse_settings, read_game, reports_errors,
                                    set_option, write_file, write_output)
from solver.present.progress import progress_bar
from solver.present.sweep_plot import plot_format, plot_sweep
from solver.present.sweep_text import sweep_csv, sweep_json, sweep_text


@click.command("sweep")
@game_argument
@click.option("--param", "params", multiple=True, required=True, metavar="NAME=LO:HI:N",
              help="A parameter to sweep: N ≥ 2 evenly spaced values from LO to HI (repeat for a 2-D or larger grid).")
@set_option
@click.option("--format", "output_format", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True,
              help="Regions and boundaries for people (text), every grid point (csv), or both as JSON "
                   "(points included up to 10000).")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False, writable=True), default=None, metavar="FILE",
              help="Also draw the sweep (1 or 2 parameters) to FILE.png, FILE.svg or FILE.pdf.")
@click.option("--by", type=click.Choice(["path", "profile"]), default="path", show_default=True,
              help="Sequential games: regions by the path of play, or by the whole subgame-perfect strategy profile.")
@click.option("--processes", type=click.IntRange(min=1), default=None, metavar="K",
              help="Worker processes for points solved one by one (default: one per CPU).")
@click.option("--pointwise", is_flag=True,
              help="Solve every point with the full single-point solver (e.g. mixed equilibria of 3+ player games).")
@click.option("--quiet", is_flag=True, help="No progress bar (one is drawn on stderr only when it is a terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the table/CSV/JSON to this file instead of stdout.")
@limited
@reports_errors
def sweep_command(game_file, params, settings, output_format, plot_file, by, processes, pointwise, quiet, output):
    """Solve the game in FILE at every point of a grid of parameter values, merge points with the
    same outcome into regions, and report the regions and the boundaries between them.

    Sequential games: the subgame-perfect path of play and payoffs. Normal forms: the pure
    equilibria and, for 2-player games, the mixed ones. Points where a player is indifferent are
    solved again exactly, at the exact grid value, with the single-point solver.

    \b
    Examples:
      solve sweep games/tech_transfer.yaml --param ammo_gain=0:10:101
      solve sweep games/tech_transfer.yaml --param ammo_gain=0:10:1001 \\
            --param china_squeeze=0:10:1001 --plot transfer_map.png
      solve sweep games/buffer_discipline.yaml --param enforce_cost=0:5:51 --format csv
      solve sweep games/tech_transfer.yaml --param deter_cost=0:10:201 --set ammo_gain=7
    """
    game = read_game(game_file)
    axes = [parse_axis(p) for p in params]
    if plot_file is not None:
        try:
            plot_format(plot_file)
        except ValueError as error:
            raise UserError(f"--plot {plot_file}: {error}") from None
        if len(axes) > 2:
            raise UserError(f"--plot {plot_file}: plots need 1 or 2 swept parameters, got {len(axes)}")
        directory = os.path.dirname(os.path.abspath(plot_file))
        if not os.path.isdir(directory):
            raise UserError(f"--plot {plot_file}: no such directory: {directory}")
    progress = progress_bar(quiet)
    result = sweep(game, axes, parse_settings(settings, game_file), by=by, processes=processes, progress=progress,
                   pointwise=pointwise, game_path=game_file)
    if output_format == "json":
        text = json.dumps(sweep_json(result), indent=2, ensure_ascii=False) + "\n"
    elif output_format == "csv":
        text = sweep_csv(result, progress)
    else:
        text = sweep_text(result)
    if plot_file is not None:
        write_file(lambda temporary: plot_sweep(result, temporary), plot_file, "the plot")
    write_output(text, output)
