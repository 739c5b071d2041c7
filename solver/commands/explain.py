"""``solve explain FILE``: the reasoning behind the solution, step by step, in plain language."""
from __future__ import annotations

import click

from solver.analysis.explanation import explain_game
from solver.analysis.pbe_explanation import explain_pbe
from solver.commands.common import (game_argument, limited, parse_settings, read_game, refuse_weak_with_concept,
                                    reports_errors, set_option, write_output)
from solver.present.beliefs import explanation_text
from solver.present.explain import render


@click.command("explain")
@game_argument
@set_option
@click.option("--weak", is_flag=True,
              help="Also eliminate weakly dominated strategies (after the strictly dominated ones). "
                   "Weak elimination can remove equilibria; the account says so.")
@click.option("--concept", type=click.Choice(["pbe", "sequential"]), default=None,
              help="Walk through each perfect Bayesian (or sequential) equilibrium: beliefs by Bayes' rule with "
                   "their numbers, the beliefs off the path that support it, best responses, refinements.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the explanation to this file instead of stdout.")
@limited
@reports_errors
def explain_command(game_file, settings, weak, concept, output):
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
      solve explain games/beer_quiche.yaml --concept pbe
    """
    refuse_weak_with_concept(weak, concept)
    game = read_game(game_file)
    if concept:
        write_output(explanation_text(explain_pbe(game, parse_settings(settings, game_file), concept)), output,
                     "the explanation")
        return
    explanation = explain_game(game, parse_settings(settings, game_file), weak=weak)
    write_output(render(explanation), output, "the explanation")
