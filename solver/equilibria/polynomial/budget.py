"""Time budgets for computer algebra on one support system.

A sympy call cannot be asked to stop, so each exact support system runs under a budget of its own
(at most :data:`SYSTEM_BUDGET` seconds, never past the caller's deadline): in the main thread a
``SIGALRM`` timer interrupts it, elsewhere it runs in a forked child process that is killed when
the budget is spent. Either way the caller sees :class:`~solver.core.deadline.DeadlinePassed`;
the deadline itself is checked with :mod:`solver.core.deadline`.
"""
from __future__ import annotations

import multiprocessing
import signal
import threading
from contextlib import contextmanager

from solver.core.deadline import DeadlinePassed, remaining

#: Seconds of computer algebra allowed for one support system before the numeric fallback.
SYSTEM_BUDGET = 8.0


class Unsolved(Exception):
    """The exact method could not finish this system (e.g. no shape position)."""


def budget_seconds(deadline: float | None, limit: float = SYSTEM_BUDGET) -> float:
    """Seconds one support system may take: ``limit``, or less when the deadline is nearer."""
    return min(limit, remaining(deadline))


def _can_alarm() -> bool:
    return (threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


@contextmanager
def _time_limit(seconds: float):
    """Raise :class:`DeadlinePassed` after ``seconds`` (the caller checked :func:`_can_alarm`)."""
    fired = []

    def handler(signum, frame):
        fired.append(True)
        raise DeadlinePassed()

    old = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-3))
    try:
        yield
    except Exception:
        # The alarm fired inside a C function (numpy's object loops calling Fraction code), which
        # reports the handler's exception as a SystemError not always chained to it, or as an
        # error of the half-finished operation (a TypeError was seen): once it has fired, any
        # error is the deadline.
        if fired:
            raise DeadlinePassed() from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _child_entry(conn, fn, args):
    try:
        conn.send(("ok", fn(*args)))
    except DeadlinePassed:
        conn.send(("deadline", None))
    except BaseException as exc:  # report anything else to the parent
        conn.send(("error", repr(exc)))
    finally:
        conn.close()


def guarded(fn, args, seconds: float):
    """``fn(*args)`` limited to ``seconds``: :class:`DeadlinePassed` when they run out,
    :class:`Unsolved` when the child process fails."""
    if seconds <= 0:
        raise DeadlinePassed()
    if _can_alarm():
        with _time_limit(seconds):
            return fn(*args)
    if "fork" not in multiprocessing.get_all_start_methods():
        return fn(*args)  # no way to interrupt: rely on the small systems being fast
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child_entry, args=(child, fn, args), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise DeadlinePassed()
        status, value = parent.recv()
    except EOFError:
        raise DeadlinePassed() from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        parent.close()
    if status == "deadline":
        raise DeadlinePassed()
    if status != "ok":
        raise Unsolved(value)
    return value
