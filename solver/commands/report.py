"""``solve report FILE -o report.html``: one self-contained HTML page about the game."""
from __future__ import annotations

import click

from solver.analysis.report import SWEEP_POINTS, build_report
from solver.commands.common import (game_argument, limited, parse_settings, read_game, report_destination,
                                    refuse_weak_with_concept, reports_errors, set_option, write_output)
from solver.present.html import render_report
from solver.present.progress import progress_bar


@click.command("report")
@game_argument
@set_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, metavar="HTML",
              help="Write the report to this .html file, or - for stdout (default: stdout when it is piped or "
                   "redirected, else GAME.html in the current directory, named after FILE).")
@click.option("--sweep-points", type=click.IntRange(min=0), default=SWEEP_POINTS, show_default=True, metavar="N",
              help="Points per sweep plot (one plot per parameter with a range); 0 leaves the sweeps out.")
@click.option("--weak", is_flag=True, help="Also eliminate weakly dominated strategies in the explanation.")
@click.option("--concept", type=click.Choice(["pbe", "sequential"]), default=None,
              help="Report on the perfect Bayesian (or sequential) equilibria of a sequential game: beliefs in the "
                   "list, the picture and the explanation, and each ranged parameter's exact thresholds instead of "
                   "its sweep (--sweep-points 0 leaves them out).")
@click.option("-v", "--verbose", is_flag=True,
              help="List every component, convex set and continuum of equilibria (by default the largest few).")
@click.option("--quiet", is_flag=True, help="No progress bar (one is drawn on stderr only when it is a terminal).")
@limited
@reports_errors
def report_command(game_file, settings, output, sweep_points, weak, concept, verbose, quiet):
    """Write ONE self-contained HTML report on the game in FILE.

    The page holds the description, the parameters with their sources, the tree or matrix as a
    picture, every equilibrium, the step-by-step explanation, and for each parameter with a range a
    plot of how the equilibrium changes across it. CSS and pictures are inline: it works offline
    and reads well on a laptop or a phone. With --concept pbe (or sequential), the equilibria are
    perfect Bayesian (or sequential) ones, with their beliefs.

    \b
    Examples:
      solve report games/tech_transfer.yaml -o tech_transfer.html
      solve report games/battle_of_the_sexes.yaml -o bos.html
      solve report games/tech_transfer.yaml --set ammo_gain=6.5 --sweep-points 21 -o transfer.html
      solve report games/china_restraint_signal.yaml --concept pbe -o signal.html
    """
    refuse_weak_with_concept(weak, concept)
    output = report_destination(output, game_file)       # checked before any work is done
    game = read_game(game_file)
    report = build_report(game, parse_settings(settings, game_file), sweep_points=sweep_points, weak=weak,
                          progress=progress_bar(quiet), concept=concept)
    write_output(render_report(report, source_path=game_file, verbose=verbose), output, "the report")
