"""``solve thresholds FILE --param NAME``: exact parameter values where the outcome changes."""
from __future__ import annotations

import json

import click

from solver.analysis.pbe_thresholds import pbe_thresholds
from solver.analysis.thresholds import find_thresholds, parse_range
from solver.commands.common import (game_argument, limited, parse_settings, read_game, reports_errors, set_option,
                                    write_output)
from solver.present.beliefs import thresholds_record as pbe_thresholds_json
from solver.present.beliefs import thresholds_text as pbe_thresholds_text
from solver.present.progress import progress_bar
from solver.present.thresholds_text import thresholds_json, thresholds_text


@click.command("thresholds")
@game_argument
@click.option("--param", "parameter", required=True, metavar="NAME", help="The parameter to analyse.")
@set_option
@click.option("--symbolic", is_flag=True,
              help="Write each condition as an inequality over the other parameters (kept as symbols) where sympy can.")
@click.option("--range", "value_range", default=None, metavar="LO:HI",
              help="Search this interval instead of the parameter's declared range.")
@click.option("--by", type=click.Choice(["path", "profile"]), default="path", show_default=True,
              help="Sequential games: a change of the path of play, or of any subgame-perfect choice.")
@click.option("--concept", type=click.Choice(["pbe", "sequential"]), default=None,
              help="Games with information sets: where the set of perfect Bayesian (or sequential) equilibria changes.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="A report for people, or JSON (thresholds, conditions and intervals).")
@click.option("--no-check", is_flag=True, help="Skip the cross-check against a sweep of the range.")
@click.option("--quiet", is_flag=True, help="No progress bar (one is drawn on stderr only when it is a terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of stdout.")
@limited
@reports_errors
def thresholds_command(game_file, parameter, settings, symbolic, value_range, by, concept, output_format, no_check, quiet,
                       output):
    """The exact values of one parameter at which the equilibrium outcome of the game in FILE
    changes, with the other parameters at their values, the comparison that flips at each, and the
    outcome on every interval between them.

    Candidates are the roots (found with sympy) of the payoff differences that decide the
    equilibrium; the outcome on each interval is computed exactly with the single-point solver.

    \b
    Examples:
      solve thresholds games/tech_transfer.yaml --param ammo_gain
      solve thresholds games/tech_transfer.yaml --param deter_cost --symbolic
      solve thresholds games/peninsula_stability.yaml --param stability_gain
      solve thresholds games/tech_transfer.yaml --param ammo_gain --set china_squeeze=8
      solve thresholds games/china_restraint_signal.yaml --param prior_committed --concept pbe
    """
    game = read_game(game_file)
    if concept:
        report = pbe_thresholds(game, parameter, parse_settings(settings, game_file), concept=concept,
                                domain=parse_range(value_range))
        text = (json.dumps(pbe_thresholds_json(report), indent=2, ensure_ascii=False) + "\n" if output_format == "json"
                else pbe_thresholds_text(report))
        write_output(text, output)
        return
    report = find_thresholds(game, parameter, parse_settings(settings, game_file), by=by,
                             domain=parse_range(value_range), check=not no_check, game_path=game_file,
                             progress=progress_bar(quiet))
    if output_format == "json":
        text = json.dumps(thresholds_json(report, symbolic), indent=2, ensure_ascii=False) + "\n"
    else:
        text = thresholds_text(report, symbolic)
    write_output(text, output)
