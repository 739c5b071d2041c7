"""``solve explain FILE``: the reasoning behind the solution, step by step, in plain language."""
from __future__ import annotations

import click

from solver.analysis.explanation import explain_game
from solver.commands.common import game_argument, parse_settings, read_game, reports_errors, set_option, write_output
from solver.present.explain import render


@click.command("explain")
@game_argument
@set_option
@click.option("--weak", is_flag=True,
              help="Also eliminate weakly dominated strategies (after the strictly dominated ones). "
                   "Weak elimination can remove equilibria; the account says so.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the explanation to this file instead of stdout.")
@reports_errors
def explain_command(game_file, settings, weak, output):
    """Explain how the game in FILE is solved, step by step, using the game's own names.

    Normal-form games: dominated strategies eliminated round by round (also by mixtures), each
    round naming the game it looks at (what the rounds before it left) and crossing out everything
    dominated there at once; the payoff matrix with best responses marked, the pure equilibria read
    off the marks, and the indifference equations of each mixed equilibrium solved exactly.
    Sequential games: backward induction node by node with the numbers compared, behaviour off the
    path, the equilibrium path, and the Nash equilibria of the reduced normal form that rest on
    threats that would not be carried out.

    \b
    Examples:
      solve explain games/tech_transfer.yaml
      solve explain games/prisoners_dilemma.yaml
      solve explain games/battle_of_the_sexes.yaml
      solve explain games/tech_transfer.yaml --set ammo_gain=6.5
    """
    game = read_game(game_file)
    explanation = explain_game(game, parse_settings(settings, game_file), weak=weak)
    write_output(render(explanation), output, "the explanation")
