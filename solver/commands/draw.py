"""``solve draw FILE -o picture.svg``: the game as a picture (tree or matrix), or as text."""
from __future__ import annotations

import click

from solver.analysis.pictures import belief_picture, game_picture
from solver.commands.common import (check_picture_path, game_argument, limited, parse_settings, read_game,
                                    reports_errors, set_option, write_output, write_picture)
from solver.present.ascii import render_picture
from solver.present.beliefs import annotate_tree
from solver.present.draw import game_figure


@click.command("draw")
@game_argument
@set_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None, metavar="PICTURE",
              help="Write the picture here: .svg, .png or .pdf. Without it, print a plain-text picture.")
@click.option("--concept", type=click.Choice(["pbe", "sequential"]), default=None,
              help="Mark the first perfect Bayesian (or sequential) equilibrium and write each belief beside "
                   "its node (sequential games).")
@limited
@reports_errors
def draw_command(game_file, settings, output, concept):
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
      solve draw games/beer_quiche.yaml --concept pbe
    """
    game = read_game(game_file)
    check_picture_path(output)
    if concept:
        picture = belief_picture(game, parse_settings(settings, game_file), concept)
    else:
        picture = game_picture(game, parse_settings(settings, game_file))
    if output is None:
        text = render_picture(picture)
        write_output(annotate_tree(text, picture) if concept else text, None)
        return
    write_picture(game_figure(picture, game.info.title), output)
