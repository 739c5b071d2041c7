"""``solve draw FILE -o picture.svg``: the game as a picture (tree or matrix), or as text."""
from __future__ import annotations

import os

import click

from solver.commands.common import UserError, game_argument, parse_settings, read_game, reports_errors, set_option


@click.command("draw")
@game_argument
@set_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, metavar="PICTURE",
              help="Write the picture here: .svg, .png or .pdf. Without it, print a plain-text picture.")
@reports_errors
def draw_command(game_file, settings, output):
    """Draw the game in FILE: a sequential game as a tree, a normal-form game as a payoff matrix.

    The tree shows the movers, the moves (chance moves with their probabilities), information
    sets as dashed brackets, payoffs at the leaves, and the moves of the (first) subgame-perfect
    equilibrium in orange. The matrix boxes each best response and shades pure equilibria.
    Without -o, a plain-text picture is printed.

    \b
    Examples:
      solve draw games/tech_transfer.yaml -o tech_transfer.svg
      solve draw games/prisoners_dilemma.yaml -o pd.png
      solve draw games/tech_transfer.yaml --set ammo_gain=6.5 -o transfer.svg
      solve draw games/tech_transfer.yaml
    """
    from solver.api import evaluate_game, parameter_values, solve
    from solver.model.tree import ExtensiveGame
    game = read_game(game_file)
    values = parse_settings(settings, game_file)
    numeric = evaluate_game(game, parameter_values(game, values))
    solution = None
    if isinstance(numeric, ExtensiveGame):
        try:
            solution = solve(game, values)
        except ImportError:
            solution = None
    if output is None:
        from solver.present.ascii import render_matrix, render_tree
        text = render_tree(numeric, solution) if isinstance(numeric, ExtensiveGame) else render_matrix(numeric)
        click.echo(text, nl=False)
        return
    from solver.present.draw import FORMATS, game_figure, save_figure
    extension = os.path.splitext(output)[1].lower()
    if extension not in FORMATS:
        raise UserError(f"{output}: unknown picture format '{extension or '(none)'}'; use .svg, .png or .pdf")
    figure = game_figure(numeric, solution, game.info.title)
    try:
        save_figure(figure, output)
    except OSError as error:
        raise UserError(f"{output}: cannot write the picture ({error.strerror or error})") from None
    click.echo(f"wrote {output}", err=True)
