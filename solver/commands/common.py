"""What every command shares: reading a game file, ``--set`` values, writing text or a picture, and
one-line errors.

Errors follow the contract: one line on stderr, ``Error: FILE:LINE: KEY.PATH: message``, exit
status 2, no traceback, nothing written.

Every output file is written to a temporary file in the same directory and renamed when complete
(:func:`atomic_path`), so an interrupted run leaves neither a half-written file nor the temporary
one. ``--timeout`` and ``--max-memory`` (:func:`limited`) run a command in a child process that is
stopped at the deadline or when it runs out of memory.
"""
from __future__ import annotations

import functools
import glob
import inspect
import math
import os
import sys
import time
from contextlib import contextmanager

import click

from solver.api import SolveError, load_game, parameter_values
from solver.core import isolate
from solver.io.located import undefined_error
from solver.io.yamlfile import GameFileError
from solver.model.expr import ExpressionError, UndefinedValue
from solver.present.draw import picture_format, save_figure


GAME = "solver.game"


#: The longest message line printed, the longest piece of the user's own text quoted in one, and
#: the longest file name quoted.
MAX_MESSAGE, MAX_QUOTE, MAX_PATH = 1000, 80, 300


def shown(text, limit: int = MAX_QUOTE) -> str:
    """User text as a message may quote it: one line (control characters and lone surrogates
    escaped as in Python) and at most ``limit`` characters.

    >>> shown("a\\nb\\x1b[31m"), shown("x" * 100, 10)
    ('a\\\\nb\\\\x1b[31m', 'xxxxxxxxxx…')
    """
    text = str(text)
    cut = text[:limit]
    escaped = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in cut)
    return escaped + ("…" if len(text) > limit else "")


class UserError(click.ClickException):
    """A one-line error that exits with status 2."""
    exit_code = 2

    def show(self, file=None):
        click.echo(f"Error: {shown(self.message, MAX_MESSAGE)}", err=True)


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


INCLUDE = "solver.include"


def read_game(path: str):
    """Load a game file; missing files and directories are one-line errors. The game is kept for
    error messages (an undefined payoff is named where the file wrote it). Folders given with
    ``--include`` are passed to the loader (``extends`` may read from them)."""
    if not os.path.exists(path):
        raise UserError(f"{shown(path, MAX_PATH)}: no such file")
    if os.path.isdir(path):
        raise UserError(f"{shown(path, MAX_PATH)}: is a directory; expected a game file (.yaml, .nfg or .efg)")
    context = click.get_current_context(silent=True)
    include = tuple(context.find_root().meta.get(INCLUDE, ())) if context is not None else ()
    game = load_game(path, include=include)
    if context is not None:
        context.meta[GAME] = game
    return game


def parse_settings(settings: tuple[str, ...], path: str = "") -> dict[str, str]:
    """``("a=1", "b=2/3")`` → ``{"a": "1", "b": "2/3"}``; values are parsed later, exactly."""
    values = {}
    for item in settings:
        if "=" not in item:
            raise UserError(f"{path + ': ' if path else ''}--set {shown(item)}: expected NAME=VALUE, e.g. --set ammo_gain=6.5")
        name, value = item.split("=", 1)
        name, value = name.strip(), value.strip()
        if not name or not value:
            raise UserError(f"{path + ': ' if path else ''}--set {shown(item)}: expected NAME=VALUE, e.g. --set ammo_gain=6.5")
        values[name] = value
    return values


def refuse_weak_with_concept(weak: bool, concept: str | None) -> None:
    """``--weak`` shapes the usual explanation only; with ``--concept`` it would be ignored."""
    if weak and concept:
        raise click.BadOptionUsage("weak", "--weak applies to the usual explanation, not to one with --concept")


set_option = click.option(
    "--set", "settings", multiple=True, metavar="NAME=VALUE",
    help="Override a parameter for this run (repeatable), e.g. --set ammo_gain=6.5 or --set p=1/3.")
game_argument = click.argument("game_file", metavar="FILE", type=click.Path(dir_okay=True, path_type=str))


# ---- writing files: whole or not at all -----------------------------------------------------
TEMPORARY = ".{pid}.tmp.{name}"


@contextmanager
def atomic_path(path: str):
    """A temporary path next to ``path`` (same directory, same extension) that is renamed to
    ``path`` when the block succeeds and removed when it fails in any way. A device or FIFO
    (``/dev/stdout``, ``/dev/full``) is written in place: it cannot be replaced by renaming."""
    if os.path.exists(path) and not os.path.isfile(path):
        yield path
        return
    directory, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(directory, TEMPORARY.format(pid=os.getpid(), name=name))
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str):
    try:
        os.remove(path)
    except OSError:
        pass


def remove_leftovers(path: str):
    """Remove the temporary files of ``path`` left by processes that no longer run (a child killed
    at the deadline cannot clean up after itself)."""
    directory, name = os.path.split(os.path.abspath(path))
    for leftover in glob.glob(os.path.join(glob.escape(directory), TEMPORARY.format(pid="*", name=glob.escape(name)))):
        pid = os.path.basename(leftover).split(".")[1]
        if pid.isdigit() and not _running(int(pid)):
            _remove(leftover)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def write_output(text: str, output: str | None, what: str = "the output"):
    """Print, or write to a file (whole, or not at all) once everything has succeeded."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    try:
        with atomic_path(output) as temporary, open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise UserError(f"{shown(output, MAX_PATH)}: cannot write {what} ({error.strerror or error})") from None
    click.echo(f"wrote {output}", err=True)


def write_file(save, path: str, what: str = "the picture"):
    """Call ``save(temporary_path)`` and rename the file to ``path`` when it succeeds."""
    try:
        with atomic_path(path) as temporary:
            save(temporary)
    except OSError as error:
        raise UserError(f"{shown(path, MAX_PATH)}: cannot write {what} ({error.strerror or error})") from None
    click.echo(f"wrote {path}", err=True)


def check_picture_path(path: str | None):
    """A picture file's extension must name a format we write (checked before any work is done)."""
    if path is None:
        return
    try:
        picture_format(path)
    except ValueError as error:
        raise UserError(f"{path}: {error}") from None


def write_picture(figure, path: str):
    write_file(lambda temporary: save_figure(figure, temporary), path)


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


# ---- limits: --timeout and --max-memory --------------------------------------------------------
#: Seconds a command may run past its deadline before its process is stopped: methods stop at the
#: deadline (their own child processes 0.3 s after it) and the rest is writing what they found.
COMMAND_GRACE = 0.8
#: Seconds a command is given at least before it is stopped, even when its limit is shorter or
#: starting Python took most of it: time to read the game and report that the deadline has passed
#: (methods stop at the deadline itself, so a short limit still gives a quick, incomplete answer).
LEAST_COMMAND_TIME = 2.5
#: The smallest --max-memory accepted (MB): less cannot even hold a small game's arrays.
MIN_MEMORY = 64
#: Options that name files a command writes (checked before any work, cleaned after a kill).
OUTPUT_OPTIONS = ("output", "plot_file", "csv_file")


class PositiveNumber(click.ParamType):
    """A positive, finite number (``nan``, ``inf``, 0 and negatives are refused), at most ``largest``."""

    def __init__(self, name: str = "number", largest: float = math.inf):
        self.name, self.largest = name, largest

    def convert(self, value, param, ctx):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                self.fail(f"expected a {self.name} such as 5 or 0.5, got '{shown(value)}'", param, ctx)
        if not math.isfinite(number) or number <= 0:
            self.fail(f"expected a positive, finite {self.name}, got '{shown(value)}'", param, ctx)
        if number > self.largest:
            self.fail(f"expected a {self.name} of at most {self.largest:g}, got '{shown(value)}'", param, ctx)
        return number


def Seconds() -> PositiveNumber:
    return PositiveNumber("number of seconds")


timeout_option = click.option(
    "--timeout", type=Seconds(), default=None, metavar="SECONDS",
    help="Stop this many seconds after the command starts: solvers report what they found (marked not complete); "
         "other work stops with a one-line error. The run ends within about a second of the limit.")
memory_option = click.option(
    "--max-memory", type=click.IntRange(min=MIN_MEMORY), default=None, metavar="MB",
    help=f"Stop cleanly when the work needs more than this much memory (default: the {isolate.MEMORY_ENV} "
         f"environment variable, else half of the machine's memory).")


def limited(command):
    """Give a command ``--timeout`` and ``--max-memory`` and hold them.

    With either set, the command runs in a child process (solver/core/isolate.py) stopped
    ``COMMAND_GRACE`` seconds after the deadline or when it runs out of memory, with a one-line
    error; a method that cannot be asked to stop runs in a child of its own, so ``solve`` still
    reports what it found. The command receives ``timeout`` if it takes it. Output paths in
    missing directories are refused before any work is done. ``--include DIR`` (folders
    ``extends`` may read from) comes with them, as every command that loads a game is limited."""
    takes_timeout = "timeout" in inspect.signature(command).parameters

    @functools.wraps(command)
    def wrapper(*args, timeout=None, max_memory=None, include=(), **kwargs):
        remember_include(include)
        for name in OUTPUT_OPTIONS:
            check_output_directory(kwargs.get(name))
        if takes_timeout:
            kwargs["timeout"] = timeout
        deadline = command_deadline(timeout)
        if (deadline is None and max_memory is None) or isolate.inside_child() or not isolate.can_fork():
            return command(*args, **kwargs)
        previous = isolate.set_memory_limit(max_memory) if max_memory else None
        try:
            grace = COMMAND_GRACE if deadline is None else max(COMMAND_GRACE, time.monotonic() + LEAST_COMMAND_TIME - deadline)
            outcome = isolate.call(command, *args, deadline=deadline, grace=grace, **kwargs)
        finally:
            if max_memory:
                isolate.set_memory_limit(previous)
        if outcome.status == isolate.DONE:
            return outcome.value
        for name in OUTPUT_OPTIONS:
            if kwargs.get(name) not in (None, "-"):
                remove_leftovers(kwargs[name])
        path = kwargs.get("game_file") or ""
        writes = any(name in kwargs for name in OUTPUT_OPTIONS)
        raise UserError(f"{shown(path, MAX_PATH) + ': ' if path else ''}{limit_message(outcome, timeout)}"
                        + ("; nothing was written" if writes else ""))

    return timeout_option(memory_option(include_option(wrapper)))


include_option = click.option(
    "--include", multiple=True, metavar="DIR", type=click.Path(file_okay=False, path_type=str),
    help="A folder whose game files 'extends' may read, besides the game's own folder (repeatable; also the "
         "SOLVE_INCLUDE environment variable).")


def remember_include(include):
    """Keep ``--include`` folders for :func:`read_game`."""
    context = click.get_current_context(silent=True)
    if context is not None and include:
        context.find_root().meta[INCLUDE] = tuple(include)


def limit_message(outcome, timeout: float | None) -> str:
    """The words for a command stopped by a limit."""
    if outcome.status == isolate.DEADLINE:
        return f"stopped by the time limit (--timeout {timeout:g} s)"
    if outcome.status == isolate.MEMORY:
        return (f"stopped: {outcome.message}; raise it with --max-memory MB or the environment variable "
                f"{isolate.MEMORY_ENV}")
    return f"stopped: {outcome.message} (it may have run out of memory: see --max-memory)"


def check_output_directory(path: str | None):
    """An output file's directory must exist (checked before any work is done)."""
    if path is None or path == "-":
        return
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise UserError(f"{shown(path, MAX_PATH)}: cannot write there: no such directory {shown(directory, MAX_PATH)}")
