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

from solver.api import SolveError, load_game
from solver.io.yamlfile import GameFileError
from solver.present.draw import picture_format, save_figure


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
        except GameFileError as error:
            raise UserError(str(error)) from None
        except SolveError as error:
            path = kwargs.get("game_file") or ""
            prefix = f"{path}: " if path else ""
            option = f"{error.option}: " if error.option else ""
            raise UserError(f"{prefix}{option}{error}") from None
        except TimeoutError as error:
            raise UserError(f"time limit reached: {error}") from None
    return wrapper


def read_game(path: str):
    """Load a game file; missing files and directories are one-line errors."""
    if not os.path.exists(path):
        raise UserError(f"{path}: no such file")
    if os.path.isdir(path):
        raise UserError(f"{path}: is a directory; expected a game file (.yaml, .nfg or .efg)")
    return load_game(path)


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


def warn(message: str):
    click.echo(f"Warning: {message}", err=True)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


STARTED = "solver.started"


def command_deadline(timeout: float | None) -> float | None:
    """The deadline for ``--timeout``, counted from the start of the command (so reading and
    evaluating the game count too), as a ``time.monotonic()`` value."""
    if timeout is None:
        return None
    context = click.get_current_context(silent=True)
    started = context.find_root().meta.setdefault(STARTED, time.monotonic()) if context else time.monotonic()
    return started + timeout
