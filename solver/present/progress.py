"""A progress bar on stderr for long sweeps: one line per stage of work, redrawn in place.

The analysis reports progress as ``report(what, done, total)`` calls
(``solver.analysis.batched.ProgressReport``); a ``ProgressBar`` is such a callable.
"""
from __future__ import annotations

import sys
import time

WIDTH = 30
REDRAW_SECONDS = 0.1


class ProgressBar:
    """Draws ``what [#####     ] done/total share elapsed`` on stderr, at most every 0.1 s, and ends
    the line when a stage is done. Draws nothing when not ``enabled``."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.stage: str | None = None
        self.started = time.monotonic()
        self.shown = 0.0

    def __call__(self, what: str, done: int, total: int):
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if what != self.stage:
            self.stage, self.started, self.shown = what, now, 0.0
        if now - self.shown < REDRAW_SECONDS and done < total:
            return
        self.shown = now
        share = done / total
        bar = "#" * int(WIDTH * share)
        sys.stderr.write(f"\r{what} [{bar:<{WIDTH}}] {done}/{total} {share:5.1%} {now - self.started:6.1f}s")
        if done >= total:
            sys.stderr.write("\n")
            self.stage = None
        sys.stderr.flush()
