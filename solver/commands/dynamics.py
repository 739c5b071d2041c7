"""``solve dynamics FILE``: replicator dynamics or fictitious play on a 2-player game."""
from __future__ import annotations

import click

from solver.analysis.dynamics import MAX_HORIZON, MAX_STEPS, METHODS, run_dynamics
from solver.commands.common import (PositiveNumber, check_picture_path, game_argument, limited, parse_settings, read_game,
                                    reports_errors, set_option, write_output, write_picture)
from solver.present.dynamics import dynamics_figure, summary


@click.command("dynamics")
@game_argument
@set_option
@click.option("--method", type=click.Choice(METHODS), default="replicator", show_default=True,
              help="Replicator dynamics (two populations) or fictitious play (best replies to past frequencies).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, metavar="PICTURE",
              help="Also plot the trajectories (.png, .svg or .pdf): probabilities over time, and for 2×2 games a phase plot.")
@click.option("--steps", type=click.IntRange(min=10, max=MAX_STEPS), default=2000, show_default=True,
              help="Time points (replicator) or rounds (fictitious play).")
@click.option("--horizon", type=PositiveNumber("time", MAX_HORIZON), default=60.0, show_default=True,
              help="Replicator: the end time (payoffs scaled to a range of 1).")
@click.option("--seed", type=int, default=0, show_default=True, help="Fictitious play: the seed for breaking ties.")
@limited
@reports_errors
def dynamics_command(game_file, settings, method, output, steps, horizon, seed):
    """Run learning dynamics on the 2-player game in FILE and say where they lead.

    A sequential 2-player game is first turned into its reduced normal form. The summary gives the
    start and end points and a verdict: converges (to which equilibrium), converges slowly, or
    cycles (with the time average, which in zero-sum games is near the mixed equilibrium).

    \b
    Examples:
      solve dynamics games/matching_pennies.yaml
      solve dynamics games/battle_of_the_sexes.yaml --method fictitious-play --steps 5000
      solve dynamics games/stag_hunt.yaml -o stag_hunt_dynamics.png
    """
    check_picture_path(output)
    game = read_game(game_file)
    report = run_dynamics(game, method, parse_settings(settings, game_file), steps=steps, horizon=horizon, seed=seed)
    write_output(summary(report), None)
    if output is not None:
        write_picture(dynamics_figure(report), output)
