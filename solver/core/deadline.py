"""Deadlines: a ``time.monotonic()`` value, or ``None`` for no limit.

Every algorithm takes one. When it passes, the algorithm stops and returns what it has found,
marked incomplete; :class:`DeadlinePassed` is only a signal inside an algorithm and never
reaches its caller.
"""
from __future__ import annotations

import time


class DeadlinePassed(Exception):
    """Raised inside an algorithm when its deadline passes; caught by the same algorithm."""


def deadline_after(seconds: float | None) -> float | None:
    return None if seconds is None else time.monotonic() + seconds


def expired(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline


def check(deadline: float | None) -> None:
    """Raise :class:`DeadlinePassed` once ``deadline`` has passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise DeadlinePassed


def remaining(deadline: float | None) -> float:
    return float("inf") if deadline is None else deadline - time.monotonic()
