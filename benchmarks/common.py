"""Small helpers shared by the benchmarks: machine info, best-of-k timing, peak memory, tables."""
from __future__ import annotations

import gc
import os
import platform
import sys
import time
import tracemalloc
from typing import Callable, NamedTuple, Sequence

import numpy as np


def machine_info(extra: dict[str, str] | None = None) -> str:
    """One line: python, numpy, CPU count, platform (and any ``extra`` package versions)."""
    parts = [f"python {platform.python_version()}", f"numpy {np.__version__}"]
    parts += [f"{name} {version}" for name, version in (extra or {}).items()]
    parts += [f"{os.cpu_count()} CPUs", f"{platform.machine()} {platform.system()}"]
    try:
        load = os.getloadavg()[0]
        parts.append(f"load average {load:.1f}")
    except OSError:  # pragma: no cover - not on every platform
        pass
    return ", ".join(parts)


class Timing(NamedTuple):
    wall: float          # best wall-clock time (time.perf_counter)
    cpu: float           # best CPU time of this process (time.process_time): steadier on a shared machine


def best_of(fn: Callable[[], object], repeats: int = 3, budget: float = 30.0) -> tuple[Timing, object]:
    """Best wall and best CPU time of up to ``repeats`` calls (stopping early once ``budget``
    seconds of wall time are spent), and the result of the last call. Garbage is collected
    before each call, outside the timing."""
    wall, cpu, result, spent = float("inf"), float("inf"), None, 0.0
    for _ in range(max(1, repeats)):
        result = None
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = fn()
        elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
        wall, cpu, spent = min(wall, elapsed), min(cpu, elapsed_cpu), spent + elapsed
        if spent >= budget:
            break
    return Timing(wall, cpu), result


def peak_memory(fn: Callable[[], object]) -> tuple[int, object]:
    """Peak bytes allocated (Python objects and numpy buffers, via tracemalloc) during ``fn()``,
    above what was allocated before the call. Slows ``fn`` down; never combine with timing."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        result = fn()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return peak, result


class TimeLimit(Exception):
    """Raised by a benchmark loop that checks ``time.perf_counter()`` against a deadline. (A SIGALRM
    handler would fire inside Cython extension calls such as pygambit's and surface as SystemError.)"""


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_bytes(count: int | None) -> str:
    if count is None:
        return "-"
    return f"{count / 2**20:.1f} MiB"


def fmt_ratio(slow: float | None, fast: float | None) -> str:
    if not slow or not fast:
        return "-"
    return f"{slow / fast:.1f}x"


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], file=None) -> None:
    """A plain text table: first column left-aligned, the others right-aligned."""
    file = file or sys.stdout
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[j]) for row in cells) for j in range(len(headers))]

    def line(row):
        return "  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths)))
    print(line(cells[0]), file=file)
    print("  ".join("-" * w for w in widths), file=file)
    for row in cells[1:]:
        print(line(row), file=file)
    file.flush()
