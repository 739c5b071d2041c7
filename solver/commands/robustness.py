"""``solve robustness FILE --dist NAME=FAMILY(ARGS) ...``: outcome probabilities over beliefs about
the parameters, what drives them, locally or on a Dask cluster."""
from __future__ import annotations

import json

import click

from solver.analysis.distributions import Beliefs, check_formulas, parse_correlation, parse_distribution
from solver.analysis.robustness import DEFAULT_SAMPLES, robustness
from solver.api import SolveError
from solver.commands.common import (UserError, game_argument, limited, parse_settings, read_game, reports_errors, set_option,
                                    write_file, write_output)
from solver.io.located import GameFileError
from solver.present.progress import progress_bar
from solver.present.robustness_plot import plot_robustness
from solver.present.robustness_text import robustness_csv, robustness_json, robustness_text
from solver.present.sweep_plot import plot_format


def file_distributions(game) -> dict:
    """The ``distribution:`` each parameter declares in the game file, parsed; a bad one is the
    one-line error naming the file, line and key."""
    names = [p.name for p in game.info.parameters]
    found = {}
    for parameter in game.info.parameters:
        if parameter.distribution:
            try:
                found[parameter.name] = parse_distribution(parameter.distribution, parameter.name, names)
            except SolveError as error:
                raise GameFileError(game.info.path or "", parameter.distribution_line or None,
                                    f"parameters.{parameter.name}.distribution", str(error)) from None
    return found


def parse_beliefs(game, dists: tuple[str, ...], correlations: tuple[str, ...]) -> Beliefs:
    """``--dist`` and ``--correlate`` options → Beliefs (fixed values are filled in later)."""
    names = [p.name for p in game.info.parameters]
    distributions = {}
    for item in dists:
        if "=" not in item:
            raise SolveError("expected NAME=FAMILY(ARGUMENTS), e.g. --dist ammo_gain=triangular(2,4,8)", f"--dist {item}")
        name, text = (part.strip() for part in item.split("=", 1))
        if name not in names:
            known = ", ".join(names) or "this game has no parameters"
            raise SolveError(f"unknown parameter '{name}' (parameters: {known})", f"--dist {item}")
        if name in distributions:
            raise SolveError(f"'{name}' has two distributions", f"--dist {item}")
        try:
            distributions[name] = parse_distribution(text, name, names)
        except SolveError as error:
            raise SolveError(str(error), f"--dist {name}={text}") from None
    for name, distribution in file_distributions(game).items():      # the game file's own beliefs
        distributions.setdefault(name, distribution)
    if not distributions:
        raise SolveError("give at least one parameter a distribution, e.g. --dist ammo_gain=uniform(0,10)", "--dist")
    pairs = dict(parse_correlation(c) for c in correlations)
    beliefs = Beliefs({}, distributions, pairs)
    check_formulas(beliefs)
    return beliefs


@click.command("robustness")
@game_argument
@click.option("--dist", "dists", multiple=True, metavar="NAME=FAMILY(ARGS)",
              help="A belief about a parameter: uniform(lo,hi), triangular(lo,mode,hi), normal(mean,sd[,lo,hi]), "
                   "lognormal(mu,sigma[,lo,hi]), beta(a,b[,lo,hi]), discrete([values][,[probabilities]]), fixed(v) or "
                   "formula(expression). Repeatable.")
@click.option("--correlate", "correlations", multiple=True, metavar="NAME1,NAME2=RHO",
              help="A Spearman rank correlation between two sampled parameters (Gaussian copula). Repeatable.")
@set_option
@click.option("--samples", type=click.IntRange(min=1), default=DEFAULT_SAMPLES, show_default=True, metavar="N",
              help="How many parameter points to draw.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, metavar="S",
              help="Fixes every sample, whatever the number of workers.")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="K",
              help="Local worker processes (default: one per CPU).")
@click.option("--scheduler", default=None, envvar="DASK_SCHEDULER_ADDRESS", metavar="tcp://HOST:PORT",
              help="Run the chunks on this Dask distributed scheduler (default: $DASK_SCHEDULER_ADDRESS, else locally).")
@click.option("--sample-timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Games solved sample by sample: the time limit for each sample (timed-out samples are counted). "
                   "--timeout limits the whole command.")
@click.option("--sobol-samples", "sobol_base", type=click.IntRange(min=0), default=None, metavar="N",
              help="Base rows of the Sobol design (N·(D+2) runs; 0: no Sobol indices; default 4096, none for games "
                   "solved sample by sample).")
@click.option("--no-thresholds", is_flag=True, help="Skip matching the outcomes to the exact threshold surfaces.")
@click.option("--pointwise", is_flag=True, help="Solve every sample with the full single-point solver.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="The report for people (text) or as JSON.")
@click.option("--csv", "csv_file", type=click.Path(dir_okay=False, writable=True), default=None, metavar="FILE",
              help="Also write every sample (parameters, outcome, payoffs) to FILE as CSV.")
@click.option("--plot", "plot_file", type=click.Path(dir_okay=False, writable=True), default=None, metavar="FILE",
              help="Also draw the outcome probabilities, payoff histograms and tornados to FILE.png, .svg or .pdf.")
@click.option("--quiet", is_flag=True, help="No progress bar (one is drawn on stderr only when it is a terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the report to this file instead of stdout.")
@limited
@reports_errors
def robustness_command(game_file, dists, correlations, settings, samples, seed, workers, scheduler, sample_timeout, sobol_base,
                       no_thresholds, pointwise, output_format, csv_file, plot_file, quiet, output):
    """Draw the parameters from what is believed about them, solve the game at every sample and
    report how likely each equilibrium outcome is (with 95% intervals), each player's payoff
    distribution, what drives the outcome (tornado, Sobol indices) and the exact threshold
    surfaces that explain it. The same --seed gives the same answer with any number of workers.

    \b
    Examples:
      solve robustness games/tech_transfer.yaml --dist 'ammo_gain=uniform(0,10)' --seed 1
      solve robustness games/tech_transfer.yaml --dist 'ammo_gain=triangular(2,4,8)' \\
            --dist 'china_squeeze=normal(6,1)' --correlate ammo_gain,china_squeeze=0.3 --plot beliefs.png
      solve robustness games/tech_transfer.yaml --dist 'deter_cost=uniform(0,10)' --scheduler tcp://10.0.0.5:8786
    """
    game = read_game(game_file)
    beliefs = parse_beliefs(game, dists, correlations)
    if plot_file is not None:
        try:
            plot_format(plot_file)
        except ValueError as error:
            raise UserError(f"--plot {plot_file}: {error}") from None
    result = robustness(game, beliefs, parse_settings(settings, game_file), samples=samples, seed=seed, workers=workers,
                        scheduler=scheduler or None, timeout=sample_timeout, sobol_base=sobol_base, thresholds=not no_thresholds,
                        pointwise=pointwise, progress=progress_bar(quiet), game_path=game_file, keep_samples=csv_file is not None)
    text = json.dumps(robustness_json(result), indent=2, ensure_ascii=False) + "\n" if output_format == "json" else robustness_text(result)
    if csv_file is not None:
        write_file(lambda temporary: _write_csv(result, temporary), csv_file, "the samples")
    if plot_file is not None:
        write_file(lambda temporary: plot_robustness(result, temporary), plot_file, "the plot")
    write_output(text, output)


def _write_csv(result, path: str):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        robustness_csv(result, handle)
