"""Deadlines: a ``time.monotonic()`` value, or ``None`` for no limit.

Every algorithm takes one. When it passes, the algorithm stops and returns what it has found,
marked incomplete; :class:`DeadlinePassed` is only a signal inside an algorithm and never
reaches its caller.
"""
from __future__ import annotations

import os
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


def process_age() -> float:
    """Seconds since this process started (Linux ``/proc``; 0 where unknown)."""
    try:
        with open("/proc/self/stat") as handle:
            started_ticks = int(handle.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as handle:
            uptime = float(handle.read().split()[0])
        return max(0.0, uptime - started_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def command_started(whole_process: bool) -> float:
    """When a command started, as a ``time.monotonic()`` value: the start of the process when it
    was started for this command (``whole_process``: starting Python and importing count against
    ``--timeout``), otherwise now (a test runner or a server calling the command)."""
    now = time.monotonic()
    return now - process_age() if whole_process else now
