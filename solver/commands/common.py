"""What every command shares: reading a game file, ``--set`` values, writing text or a picture, and
one-line errors.

Errors follow the contract: one line on stderr, ``Error: FILE:LINE: KEY.PATH: message``, exit
status 2, no traceback, nothing written.
"""
from __future__ import annotations

import functools
import os
import sys
import time

import click

from solver.api import SolveError, load_game, parameter_values
from solver.io.located import undefined_error
from solver.io.yamlfile import GameFileError
from solver.model.expr import ExpressionError, UndefinedValue
from solver.present.draw import picture_format, save_figure


GAME = "solver.game"


class UserError(click.ClickException):
    """A one-line error that exits with status 2."""
    exit_code = 2

    def show(self, file=None):
        click.echo(f"Error: {self.message}", err=True)


def reports_errors(function):
    """Turn the library's errors into one-line ``UserError``s."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (GameFileError, SolveError, ExpressionError, TimeoutError) as error:
            path = kwargs.get("game_file") or ""
            game = click.get_current_context().meta.get(GAME)
            raise UserError(error_message(error, path, game, kwargs.get("settings") or ())) from None
    return wrapper


def error_message(error: Exception, path: str = "", game=None, settings=()) -> str:
    """The one line (after ``Error: ``) for a library error about the game file at ``path``.

    An undefined payoff or probability (``1/k`` at ``k = 0``) is named where the file wrote it,
    with the parameter values, when ``game`` (as loaded) is known."""
    undefined = _undefined(error)
    if undefined is not None and game is not None:
        located = undefined_error(game.info, {**_values(game, settings), **undefined.values}, _set_names(settings))
        if located is not None:
            return str(located)
    if isinstance(error, GameFileError):
        return str(error)
    if isinstance(error, TimeoutError):
        return f"time limit reached: {error}"
    prefix = f"{path}: " if path else ""
    option = f"{error.option}: " if getattr(error, "option", "") else ""
    if isinstance(error, SolveError) or undefined is None:
        return f"{prefix}{option}{error}"
    return f"{prefix}cannot evaluate the payoffs: {error}"


def _undefined(error: BaseException | None) -> UndefinedValue | None:
    """The undefined value behind ``error`` (itself, or the error it was raised from)."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, UndefinedValue):
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None


def _values(game, settings) -> dict:
    """The parameter values in use (those that can be read from ``settings``)."""
    try:
        return parameter_values(game, parse_settings(settings))
    except (SolveError, UserError):
        return parameter_values(game)


def _set_names(settings) -> set[str]:
    return {item.split("=", 1)[0].strip() for item in settings if "=" in item}


def read_game(path: str):
    """Load a game file; missing files and directories are one-line errors. The game is kept for
    error messages (an undefined payoff is named where the file wrote it)."""
    if not os.path.exists(path):
        raise UserError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UserError(f"{path}: is a directory; expected a game file (.yaml, .nfg or .efg)")
    game = load_game(path)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.meta[GAME] = game
    return game


def parse_settings(settings: tuple[str, ...], path: str = "") -> dict[str, str]:
    """``("a=1", "b=2/3")`` → ``{"a": "1", "b": "2/3"}``; values are parsed later, exactly."""
    values = {}
    for item in settings:
        if "=" not in item:
            raise UserError(f"{path + ': ' if path else ''}--set {item}: expected NAME=VALUE, e.g. --set ammo_gain=6.5")
        name, value = item.split("=", 1)
        name, value = name.strip(), value.strip()
        if not name or not value:
            raise UserError(f"{path + ': ' if path else ''}--set {item}: expected NAME=VALUE, e.g. --set ammo_gain=6.5")
        values[name] = value
    return values


set_option = click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE",
    help="Override a parameter for this run (repeatable), e.g. --set ammo_gain=6.5 or --set p=1/3.")
game_argument = click.argument("game_file", metavar="FILE", type=click.Path(dir_okay=True, path_type=str))


def write_output(text: str, output: str | None, what: str = "the output"):
    """Print, or write to a file only once everything has succeeded."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise UserError(f"{output}: cannot write {what} ({error.strerror or error})") from None
    click.echo(f"wrote {output}", err=True)


def check_picture_path(path: str | None):
    """A picture file's extension must name a format we write (checked before any work is done)."""
    if path is None:
        return
    try:
        picture_format(path)
    except ValueError as error:
        raise UserError(f"{path}: {error}") from None


def write_picture(figure, path: str):
    try:
        save_figure(figure, path)
    except OSError as error:
        raise UserError(f"{path}: cannot write the picture ({error.strerror or error})") from None
    click.echo(f"wrote {path}", err=True)


#: The file names ``solve report`` writes: the report is HTML.
REPORT_SUFFIXES = (".html", ".htm")


def report_destination(output: str | None, game_file: str) -> str | None:
    """Where ``solve report`` writes (``None``: stdout), checked before any work is done.

    ``-o`` must name an .html (or .htm) file, or be ``-`` for stdout. Without ``-o``, the report
    goes to stdout when it is piped or redirected, and to a file named after the game in the
    current directory (``tech_transfer.html``) when stdout is a terminal."""
    if output == "-":
        return None
    if output is not None:
        suffix = os.path.splitext(output)[1].lower()
        if suffix not in REPORT_SUFFIXES:
            named = f"'{suffix}'" if suffix else "no suffix"
            raise UserError(f"{game_file}: -o {output}: a report is HTML, and this file name has {named}; "
                            f"expected a name ending in .html (e.g. -o {default_report_name(game_file)}), or -o - for stdout")
        return output
    return default_report_name(game_file) if stdout_is_terminal() else None


def default_report_name(game_file: str) -> str:
    """``games/tech_transfer.yaml`` → ``tech_transfer.html`` (in the current directory)."""
    return os.path.splitext(os.path.basename(game_file))[0] + ".html"


def warn(message: str):
    click.echo(f"Warning: {message}", err=True)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


STARTED = "solver.started"


def command_deadline(timeout: float | None) -> float | None:
    """The deadline for ``--timeout``, counted from the start of the command (so reading and
    evaluating the game count too), as a ``time.monotonic()`` value."""
    if timeout is None:
        return None
    context = click.get_current_context(silent=True)
    started = context.find_root().meta.setdefault(STARTED, time.monotonic()) if context else time.monotonic()
    return started + timeout
