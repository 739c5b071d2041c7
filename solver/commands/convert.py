"""``solve convert FILE --to yaml|efg|nfg``: write a game in another format."""
from __future__ import annotations

import click

from solver.api import evaluate_game, parameter_values
from solver.commands.common import (game_argument, limited, parse_settings, read_game, reports_errors, set_option,
                                    warn, write_output)
from solver.io.gambit_write import holds_floats, write_efg, write_nfg
from solver.io.yamlwrite import write_yaml
from solver.model.normal import NormalFormGame
from solver.model.tree import ExtensiveGame
from solver.model.reduce import reduced_normal_form, tree_of_normal_form


@click.command("convert")
@game_argument
@click.option("--to", "target", type=click.Choice(["yaml", "efg", "nfg"]), required=True,
              help="yaml keeps parameters as expressions; Gambit's formats need numbers, so parameters take their values.")
@set_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of stdout.")
@limited
@reports_errors
def convert_command(game_file, target, settings, output):
    """Write the game in FILE as YAML, Gambit .efg (a tree) or Gambit .nfg (a normal form).

    A tree written as .nfg becomes its reduced normal form; a normal form written as .efg becomes a
    tree in which nobody sees the earlier moves. Gambit reads the files back as the same game (irrational
    numbers, which Gambit files cannot hold, are rounded, with a warning).

    \b
    Examples:
      solve convert games/tech_transfer.yaml --to efg -o tech_transfer.efg
      solve convert tests/data/gambit/doc/poker.efg --to yaml
    """
    game = read_game(game_file)
    overrides = parse_settings(settings, game_file)
    numeric = evaluate_game(game, parameter_values(game, overrides))
    if target == "yaml":
        text = write_yaml(numeric if overrides else game)
    else:
        if game.info.parameters:
            warn("Gambit files have no parameters: writing the payoffs at the values in use.")
        if holds_floats(numeric):
            warn("The game has irrational numbers, which Gambit files cannot hold: its numbers are written rounded to "
                 "about 17 significant digits" + (" (each chance node's probabilities still sum to exactly 1)."
                                                 if isinstance(numeric, ExtensiveGame) else "."))
        if target == "nfg":
            normal = numeric if isinstance(numeric, NormalFormGame) else reduced_normal_form(numeric).game
            text = write_nfg(normal)
        else:
            tree = tree_of_normal_form(numeric) if isinstance(numeric, NormalFormGame) else numeric
            text = write_efg(tree)
    write_output(text, output)
