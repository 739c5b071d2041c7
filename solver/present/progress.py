"""A progress bar on stderr for long work: one line per stage, redrawn in place.

The analysis reports progress as ``report(what, done, total)`` calls
(``solver.analysis.batched.ProgressReport``); a ``ProgressBar`` is such a callable. Commands ask
``progress_bar(quiet)`` for one: a bar when stderr is a terminal, ``None`` (no reports at all)
otherwise, so output redirected to a file or a pipe never holds progress lines. Work that ends
within ``DELAY_SECONDS`` of the bar's creation draws nothing, so quick commands stay quiet.

>>> import io
>>> class Terminal(io.StringIO):
...     def isatty(self):
...         return True
>>> progress_bar(stream=io.StringIO()) is None, progress_bar(quiet=True, stream=Terminal()) is None
(True, True)
>>> screen = Terminal()
>>> bar = ProgressBar(stream=screen)
>>> bar("sweeping", 10, 10)
>>> "sweeping [" + "#" * 30 + "] 10/10 100.0%" in screen.getvalue()
True
"""
from __future__ import annotations

import sys
import time

WIDTH = 30
REDRAW_SECONDS = 0.1
#: Nothing is drawn before this many seconds have passed since the bar was made.
DELAY_SECONDS = 0.5


def progress_bar(quiet: bool = False, stream=None) -> "ProgressBar | None":
    """A bar drawing on ``stream`` (default: stderr) when it is a terminal and not ``quiet``;
    otherwise ``None``, and the work reports nothing."""
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    if quiet or isatty is None or not isatty():
        return None
    return ProgressBar(stream=stream, delay=DELAY_SECONDS)


class ProgressBar:
    """Draws ``what [#####     ] done/total share elapsed`` on ``stream`` (default: stderr at the
    time of drawing), at most every 0.1 s, and ends the line when a stage it drew is done.
    Draws nothing when not ``enabled``, or until ``delay`` seconds have passed since it was made."""

    def __init__(self, enabled: bool = True, stream=None, delay: float = 0.0):
        self.enabled = enabled
        self.stream = stream
        self.created = time.monotonic()
        self.delay = delay
        self.stage: str | None = None
        self.started = self.created
        self.shown = 0.0
        self.drawn = False

    def __call__(self, what: str, done: int, total: int):
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if what != self.stage:
            self.stage, self.started, self.shown, self.drawn = what, now, 0.0, False
        finished = done >= total
        if now - self.created < self.delay and not (finished and self.drawn):
            if finished:
                self.stage = None
            return
        if now - self.shown < REDRAW_SECONDS and not finished:
            return
        self.shown, self.drawn = now, True
        share = done / total
        bar = "#" * int(WIDTH * share)
        stream = self.stream if self.stream is not None else sys.stderr
        stream.write(f"\r{what} [{bar:<{WIDTH}}] {done}/{total} {share:5.1%} {now - self.started:6.1f}s")
        if finished:
            stream.write("\n")
            self.stage = None
        stream.flush()
