"""``solve validate FILE...``: check game files without solving them."""
from __future__ import annotations

import click

from solver.api import SolveError, evaluate_game, parameter_values
from solver.commands.robustness import file_distributions
from solver.commands.common import MAX_MESSAGE, UserError, error_message, limited, read_game, shown
from solver.io.yamlfile import GameFileError
from solver.model.expr import ExpressionError
from solver.model.tree import ExtensiveGame


@click.command("validate")
@click.argument("game_files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=str))
@limited
def validate_command(game_files):
    """Check that each game file reads and its payoffs (and chance probabilities) evaluate at the
    default parameters. Every file is checked: one line per file (errors on stderr), then a summary
    when there are several; the exit status is 2 if any file failed.

    \b
    Example:
      solve validate games/*.yaml
    """
    failed = 0
    for path in game_files:
        problem = check_file(path)
        if problem is None:
            continue
        failed += 1
        click.echo(f"Error: {shown(problem, MAX_MESSAGE)}", err=True)
    if len(game_files) > 1:
        click.echo(f"{len(game_files)} files checked: {len(game_files) - failed} ok, {failed} with errors")
    if failed:
        click.get_current_context().exit(2)


def check_file(path: str) -> str | None:
    """Read and evaluate one file; print its ``ok`` line, or return the error's line."""
    game = None
    try:
        game = read_game(path)
        evaluate_game(game, parameter_values(game))
        file_distributions(game)
    except UserError as error:
        return error.message
    except (GameFileError, SolveError, ExpressionError, TimeoutError) as error:
        return error_message(error, path, game)
    kind = "sequential" if isinstance(game, ExtensiveGame) else "normal form"
    click.echo(f"{path}: ok ({kind}, {len(game.players)} players)")
    return None
