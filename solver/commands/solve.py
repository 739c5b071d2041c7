"""``solve FILE``: the equilibria of a game, as a report, Markdown or JSON."""
from __future__ import annotations

import sys

import click

from solver.analysis.pictures import picture
from solver.api import solve
from solver.commands.common import (command_deadline, game_argument, limited, parse_settings, read_game, reports_errors,
                                    set_option, warn, write_output)
from solver.equilibria.registry import method_summaries
from solver.present import markdown, text
from solver.present.progress import progress_bar


@click.command("solve")
@game_argument
@set_option
@click.option("--concept", type=click.Choice(["nash", "spe", "pbe", "sequential"]), default=None,
              help="Sequential games: subgame-perfect (spe, the default) or every Nash equilibrium (nash), "
                   "marking which are subgame-perfect; perfect Bayesian equilibria with their beliefs (pbe), or "
                   "those with consistent beliefs (sequential).")
@click.option("--method", type=click.Choice(list(method_summaries())), default="auto", show_default=True,
              help="Algorithm; 'solve methods' lists them and when each applies.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="Report for people, JSON (the documented contract), or Markdown.")
@click.option("--exact", is_flag=True, help="Write probabilities and payoffs as exact fractions (\"2/3\") in JSON.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of stdout.")
@click.option("-v", "--verbose", is_flag=True,
              help="List every component, convex set and continuum of equilibria (by default a report lists the "
                   "largest few and counts the rest; JSON always has them all).")
@click.option("--quiet", is_flag=True, help="No progress bar (one is drawn on stderr only when it is a terminal).")
@limited
@reports_errors
def solve_command(game_file, settings, concept, method, output_format, exact, timeout, output, verbose, quiet):
    """Find the equilibria of the game in FILE (.yaml, .nfg or .efg).

    \b
    Examples:
      solve games/tech_transfer.yaml
      solve games/tech_transfer.yaml --set ammo_gain=6.5
      solve games/tech_transfer.yaml --concept nash
      solve games/battle_of_the_sexes.yaml --format json --exact
      solve games/tech_transfer.yaml --concept nash --method polynomial --verbose
      solve games/beer_quiche.yaml --concept pbe
    """
    game = read_game(game_file)
    solution = solve(game, parse_settings(settings, game_file), concept=concept, method=method,
                     deadline=command_deadline(timeout), progress=progress_bar(quiet, sys.stderr))
    if not solution.complete:
        warn(f"the list of equilibria is not complete ({solution.method_title}).")
    if output_format == "json":
        report = solution.to_json(exact=exact) + "\n"
    elif output_format == "markdown":
        report = markdown.render(solution, game_file, verbose=verbose)
    else:
        report = text.render(solution, game_file, picture(solution.game, solution), verbose=verbose)
    write_output(report, output, "the report")
