"""The ``solve`` command line: a thin click layer over ``solver.api``; no game logic here.

``solve FILE`` runs the default command; ``solve COMMAND ...`` runs a named one.
"""
from __future__ import annotations

import time

import click

from solver.commands.common import STARTED
from solver.commands.convert import convert_command
from solver.commands.methods import methods_command
from solver.commands.solve import solve_command
from solver.commands.validate import validate_command
from solver.commands.explain import explain_command
from solver.commands.draw import draw_command
from solver.commands.report import report_command
from solver.commands.dynamics import dynamics_command
from solver.commands.sweep import sweep_command
from solver.commands.thresholds import thresholds_command

# One line per command module, in the order `solve --help` lists them.
COMMANDS = [
    solve_command,
    methods_command,
    validate_command,
    explain_command,
    draw_command,
    report_command,
    dynamics_command,
    sweep_command,
    thresholds_command,
    convert_command,
]

DEFAULT_COMMAND = "solve"


class DefaultGroup(click.Group):
    """A group whose first argument may be a game file instead of a command name."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx):
        return list(self.commands)     # in the order of COMMANDS, not alphabetical

    def format_usage(self, ctx, formatter):
        formatter.write_usage("solve", "FILE [OPTIONS]  |  solve COMMAND [ARGS]...")


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="strategy-solver", prog_name="solve")
def main():
    """Find the equilibria of strategic scenarios written as game files, see how they change with
    the payoff assumptions, and explain the reasoning.

    \b
    Examples:
      solve games/tech_transfer.yaml                  the subgame-perfect equilibria
      solve games/tech_transfer.yaml --concept nash   every pure Nash equilibrium
      solve games/tech_transfer.yaml --format json    the same as JSON
      solve methods                                   the algorithms available

    Run 'solve COMMAND --help' for the options of each command.
    """
    click.get_current_context().meta[STARTED] = time.monotonic()    # --timeout counts from here


for command in COMMANDS:
    main.add_command(command)

if __name__ == "__main__":
    main()
