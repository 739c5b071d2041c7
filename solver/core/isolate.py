"""Run one call in a forked child process that can be stopped: the deadline and the memory limit
for work that cannot be asked to stop itself (a Qhull call, a Gröbner basis, a sympy solve, a long
pivot sequence, a renderer).

The child runs ``function(*args)`` under ``RLIMIT_AS`` (its memory limit) and sends the result
back through a pipe (pickled); the parent waits until the deadline (plus ``grace``) and then kills
the child and everything it started (the outermost child leads a process group of its own). The
outcome is an :class:`Isolated`: ``done`` with the value, ``deadline``, ``memory`` (a
``MemoryError`` in the child) or ``crashed`` (the child died without an answer). An exception in
the child is raised again in the parent, with the child's traceback kept in ``child_traceback``.

Where ``fork`` is unavailable the call runs in this process: no limit can then stop it.

Text the child prints goes where it would have gone: to the same file descriptors when the
streams are real files, and otherwise (``sys.stdout`` replaced by an in-memory stream, as in
tests) captured and written by the parent.

>>> call(sum, [1, 2, 3]).value
6
>>> call(time.sleep, 5, deadline=time.monotonic() + 0.1).status
'deadline'
"""
from __future__ import annotations

import copyreg
import io
import os
import pickle
import select
import signal
import sys
import time
import traceback
import types
from contextlib import contextmanager
from dataclasses import dataclass

try:
    import resource
except ImportError:        # not POSIX: no memory limit can be set
    resource = None

DONE, DEADLINE, MEMORY, CRASHED = "done", "deadline", "memory", "crashed"
#: The environment variable that sets the memory limit (MB) when ``--max-memory`` is not given.
MEMORY_ENV = "SOLVE_MAX_MEMORY"
#: The default memory limit: this share of the machine's physical memory.
DEFAULT_MEMORY_SHARE = 0.5

# Read-only mappings (the model's and the results' ``data`` fields) travel back as dicts made read-only again.
def _read_only(mapping: dict) -> types.MappingProxyType:
    return types.MappingProxyType(mapping)


copyreg.pickle(types.MappingProxyType, lambda proxy: (_read_only, (dict(proxy),)))

_depth = 0                 # 0 in the main process, 1 in a child, 2 in a grandchild …
_held = 0                  # > 0 inside in_this_process()
_memory_override: int | None = None


@dataclass(frozen=True)
class Isolated:
    """The outcome of :func:`call`: ``status`` is ``done`` (``value`` holds the result),
    ``deadline``, ``memory`` or ``crashed`` (``message`` says how)."""
    status: str
    value: object = None
    message: str = ""
    elapsed: float = 0.0


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "emscripten"


def inside_child() -> bool:
    """Whether this process is a child of :func:`call` (an outer limit already holds), or the
    caller has asked for no more children (:func:`in_this_process`)."""
    return _depth > 0 or _held > 0


@contextmanager
def in_this_process():
    """Within this block, callers that ask :func:`inside_child` run their work here, without a
    child process: for loops that solve many small games under one limit of their own."""
    global _held
    _held += 1
    try:
        yield
    finally:
        _held -= 1


def physical_memory_mb() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (AttributeError, ValueError, OSError):
        return None


def memory_limit_mb() -> int | None:
    """The memory a child may allocate, in MB: ``--max-memory`` (see :func:`set_memory_limit`),
    else the ``SOLVE_MAX_MEMORY`` environment variable, else half of the machine's memory."""
    if _memory_override is not None:
        return _memory_override
    text = os.environ.get(MEMORY_ENV, "").strip()
    if text:
        try:
            value = int(float(text))
        except ValueError:
            value = 0
        if value > 0:
            return value
    total = physical_memory_mb()
    return None if total is None else int(total * DEFAULT_MEMORY_SHARE)


def set_memory_limit(megabytes: int | None) -> int | None:
    """Use ``megabytes`` as the memory limit (``None``: back to the default); returns the old override."""
    global _memory_override
    old, _memory_override = _memory_override, megabytes
    return old


def call(function, *args, deadline: float | None = None, grace: float = 0.0,
         memory_mb: int | None = None, **kwargs) -> Isolated:
    """``function(*args, **kwargs)`` in a child process, stopped at ``deadline + grace`` (a
    ``time.monotonic()`` value) and limited to ``memory_mb`` MB of new memory (default
    :func:`memory_limit_mb`)."""
    started = time.monotonic()
    if not can_fork():
        return Isolated(DONE, function(*args, **kwargs))
    if deadline is not None and time.monotonic() > deadline + grace:
        return Isolated(DEADLINE, message="the time limit passed before the work started")
    memory_mb = memory_limit_mb() if memory_mb is None else memory_mb
    for stream in (sys.stdout, sys.stderr):
        _flush(stream)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:                                              # the child: never returns
        os.close(read_end)
        _child(write_end, function, args, kwargs, memory_mb)
    os.close(write_end)
    if _depth == 0:
        try:
            os.setpgid(pid, pid)              # also here: no race with a kill before the child sets it
        except OSError:
            pass
    try:
        data = _read_until(read_end, None if deadline is None else deadline + grace)
    finally:
        os.close(read_end)
        stopped = _stop(pid)
    elapsed = time.monotonic() - started
    if data is None:
        return Isolated(DEADLINE, message="the time limit passed", elapsed=elapsed)
    if not data:
        return Isolated(CRASHED, message=f"the worker process stopped ({stopped})", elapsed=elapsed)
    status, value, message, out, err = pickle.loads(data)
    _replay(out, err)
    if status == "error":
        raise value
    return Isolated(status, value, message, elapsed)


def _child(write_end: int, function, args, kwargs, memory_mb: int | None):
    """Run in the forked child: compute, send ``(status, value, message, stdout, stderr)``, exit."""
    global _depth
    code = 1
    try:
        if _depth == 0:
            os.setpgid(0, 0)                  # one group: a kill reaches whatever the child starts
        _depth += 1
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        _limit_memory(memory_mb)
        captured = _capture_streams()
        try:
            payload = ("done", function(*args, **kwargs), "")
        except MemoryError:
            payload = (MEMORY, None, f"out of memory (the limit is {memory_mb} MB)")
        except BaseException as error:       # sent to the parent, which raises it again
            error.child_traceback = traceback.format_exc()
            payload = ("error", error, "")
        out, err = (stream.getvalue() if stream is not None else "" for stream in captured)
        try:
            data = pickle.dumps(payload + (out, err))
            pickle.loads(data)                # an exception that cannot be rebuilt is sent as text
        except MemoryError:
            data = pickle.dumps((MEMORY, None, f"out of memory (the limit is {memory_mb} MB)", out, err))
        except Exception as problem:
            what = payload[1] if payload[0] == "error" else problem
            failure = RuntimeError(f"{type(what).__name__}: {what}")
            failure.child_traceback = getattr(what, "child_traceback", "") or traceback.format_exc()
            data = pickle.dumps(("error", failure, "", out, err))
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view):]
        code = 0
    finally:
        for stream in (sys.__stdout__, sys.__stderr__):
            _flush(stream)
        os._exit(code)


def _limit_memory(memory_mb: int | None):
    """Cap the child's address space at what it has now plus ``memory_mb`` MB."""
    if not memory_mb or resource is None:
        return
    limit = _address_space() + memory_mb * 2**20
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _capture_streams():
    """Replace in-memory ``sys.stdout``/``sys.stderr`` by buffers sent back to the parent."""
    captured = []
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        try:
            stream.fileno()
            captured.append(None)
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            buffer = io.StringIO()
            setattr(sys, name, buffer)
            captured.append(buffer)
    return captured


def _replay(out: str, err: str):
    if out:
        sys.stdout.write(out)
    if err:
        sys.stderr.write(err)


def _read_until(fd: int, stop: float | None) -> bytes | None:
    """Everything the child sends, or ``None`` if ``stop`` passes first."""
    chunks = []
    while True:
        wait = None if stop is None else stop - time.monotonic()
        if wait is not None and wait <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _stop(pid: int) -> str:
    """Kill the child (and its group, if it leads one) unless it has exited; how it ended."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0:
            try:
                os.killpg(pid, signal.SIGKILL) if _depth == 0 else os.kill(pid, signal.SIGKILL)
            except OSError:
                os.kill(pid, signal.SIGKILL)
            _, status = os.waitpid(pid, 0)
        elif _depth == 0:
            try:
                os.killpg(pid, signal.SIGKILL)          # whatever the child started and left behind
            except OSError:
                pass
    except ChildProcessError:
        return "unknown status"
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"


def _flush(stream):
    try:
        if stream is not None:
            stream.flush()
    except (OSError, ValueError):
        pass
