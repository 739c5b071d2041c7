"""The ``solve`` command line: a thin click layer over ``solver.api``; no game logic here.

``solve FILE`` runs the default command; ``solve COMMAND ...`` runs a named one.

Errors: a mistake in the input or the command line is one line on stderr and exit status 2
(usage errors too: one line naming the option, with where to find help). A bug is one line asking
for a report and exit status 70 (``EX_SOFTWARE``); ``--debug`` (anywhere on the command line) or
``SOLVE_DEBUG=1`` shows its traceback instead.
"""
from __future__ import annotations

import os
import sys
import traceback

import click

from solver.core.deadline import command_started
from solver.commands.common import MAX_MESSAGE, STARTED, UserError, shown
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
from solver.commands.serve import serve_command
from solver.commands.robustness import robustness_command

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
    robustness_command,
    convert_command,
    serve_command,
]

DEFAULT_COMMAND = "solve"
DEBUG_FLAG, DEBUG_ENV, DEBUG = "--debug", "SOLVE_DEBUG", "solver.debug"
#: The exit status of an internal error (a bug): EX_SOFTWARE from sysexits.h.
INTERNAL_ERROR_STATUS = 70
REPORT_TO = "the project's issue tracker"


class InternalError(click.ClickException):
    """A bug: one line asking for a report (the traceback only with --debug)."""
    exit_code = INTERNAL_ERROR_STATUS

    def show(self, file=None):
        click.echo(f"Error: internal error ({shown(self.message, 200)}). This is a bug in the solver: please report it "
                   f"to {REPORT_TO} with the command and the game file; run again with --debug for the traceback.",
                   err=True)


class OneLineUsageError(click.UsageError):
    """A usage error on one line, with where to find help (click prints three)."""

    def show(self, file=None):
        words = ["solve", *(self.ctx.command_path.split()[1:] if self.ctx is not None else [])]
        path = " ".join(words[:1] if words[1:] == [DEFAULT_COMMAND] else words)
        click.echo(f"Error: {shown(self.format_message(), MAX_MESSAGE)} (see '{path} --help')", err=True)


def debugging(ctx=None) -> bool:
    meta = ctx.find_root().meta if ctx is not None else {}
    return bool(meta.get(DEBUG)) or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


class DefaultGroup(click.Group):
    """A group whose first argument may be a game file instead of a command name; ``--debug`` may
    appear anywhere before ``--``; errors are one line (see the module's docstring)."""

    as_program = False          # True when run as the program (``__call__``), not through ``main.main``

    def parse_args(self, ctx, args):
        cut = args.index("--") if "--" in args else len(args)
        if DEBUG_FLAG in args[:cut]:
            ctx.meta[DEBUG] = True
            args = [a for a in args[:cut] if a != DEBUG_FLAG] + args[cut:]
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [DEFAULT_COMMAND, *args]
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            raise _one_line(error) from None

    def __call__(self, *args, **kwargs):
        """Run as the program (the ``solve`` script): exit without Python's teardown of every
        imported module, which took about a second here, after the command (and ``--timeout``) is
        done. Tests call ``main.main`` (through click's runner) and are not affected."""
        self.as_program = True
        try:
            self.main(*args, **kwargs)
            code = 0
        except SystemExit as exit:
            code = exit.code
        if code is not None and not isinstance(code, int):
            click.echo(code, err=True)
            code = 1
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code or 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as error:
            raise _one_line(error) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except MemoryError:
            raise UserError("out of memory: the run needs more memory than is available; try --max-memory MB with "
                            "--timeout, or a smaller game") from None
        except BrokenPipeError:
            _discard_stdout()                      # the reader has gone (e.g. `| head`): nothing more to say
            raise click.exceptions.Exit(1) from None
        except Exception as error:
            if debugging(ctx):
                click.echo(getattr(error, "child_traceback", "") or traceback.format_exc(), err=True, nl=False)
            raise InternalError(f"{type(error).__name__}: {error}") from None


def _discard_stdout():
    """Point stdout at /dev/null so that flushing it on the way out cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _one_line(error: click.UsageError) -> click.UsageError:
    if isinstance(error, OneLineUsageError):
        return error
    return OneLineUsageError(error.format_message(), error.ctx)

    def list_commands(self, ctx):
        return list(self.commands)     # in the order of COMMANDS, not alphabetical

    def format_usage(self, ctx, formatter):
        formatter.write_usage("solve", "FILE [OPTIONS]  |  solve COMMAND [ARGS]...")


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="strategy-solver", prog_name="solve")
@click.option("--debug", is_flag=True, hidden=True, expose_value=False,
              help="Show the traceback of an internal error (also SOLVE_DEBUG=1); may appear anywhere.")
def main():
    """Find the equilibria of strategic scenarios written as game files, see how they change with
    the payoff assumptions, and explain the reasoning.

    \b
    Examples:
      solve games/tech_transfer.yaml                  the subgame-perfect equilibria
      solve games/tech_transfer.yaml --concept nash   every pure Nash equilibrium
      solve games/tech_transfer.yaml --format json    the same as JSON
      solve methods                                   the algorithms available

    Run 'solve COMMAND --help' for the options of each command. --debug (anywhere) shows the
    traceback of an internal error.
    """
    context = click.get_current_context()
    # --timeout counts from here: the start of the process when it runs as the program
    context.meta[STARTED] = command_started(getattr(context.command, "as_program", False))


for command in COMMANDS:
    main.add_command(command)

if __name__ == "__main__":
    main()
