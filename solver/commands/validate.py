"""``solve validate FILE...``: check game files without solving them."""
from __future__ import annotations

import click

from solver.api import evaluate_game, parameter_values
from solver.commands.common import read_game, reports_errors
from solver.model.tree import ExtensiveGame


@click.command("validate")
@click.argument("game_files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=str))
@reports_errors
def validate_command(game_files):
    """Check that each game file reads and its payoffs evaluate at the default parameters.

    \b
    Example:
      solve validate games/*.yaml
    """
    for path in game_files:
        game = read_game(path)
        evaluate_game(game, parameter_values(game))
        kind = "sequential" if isinstance(game, ExtensiveGame) else "normal form"
        click.echo(f"{path}: ok ({kind}, {len(game.players)} players)")
