"""The grid of a parameter sweep: evenly spaced values of each swept parameter, exact where the
ends are rational, and the checks that the swept names fit the game.

>>> axis = parse_axis("ammo_gain=0:10:11")
>>> axis.count, axis.exact(3), axis.step
(11, Fraction(3, 1), 1.0)
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping, Sequence

import numpy as np

from solver.api import SolveError, parameter_values
from solver.model.expr import ExpressionError, number, to_exact

MAX_POINTS = 50_000_000
#: Bytes a sweep keeps per grid point at least (an outcome code and a payoff per player, 8 bytes each).
BYTES_PER_POINT = 8
#: A swept parameter takes at least this many values (one value is ``--set``, not a sweep).
MIN_POINTS = 2
AXIS_SYNTAX = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^:]+):([^:]+):\s*([0-9]+)\s*$")


@dataclass(frozen=True)
class Axis:
    """``count`` evenly spaced values from ``lo`` to ``hi`` (exact where the ends are rational)."""
    name: str
    lo: object
    hi: object
    count: int

    def exact(self, k: int):
        if isinstance(self.lo, Fraction) and isinstance(self.hi, Fraction):
            return exact_grid_value(self.lo, self.hi, self.count, k)
        return float(self.lo) + (float(self.hi) - float(self.lo)) * k / max(1, self.count - 1)

    @property
    def floats(self) -> np.ndarray:
        return np.array([float(self.exact(k)) for k in range(self.count)])

    @property
    def step(self) -> float:
        return (float(self.hi) - float(self.lo)) / max(1, self.count - 1)


def exact_grid_value(lo: Fraction, hi: Fraction, count: int, k: int) -> Fraction:
    """The k-th of ``count`` evenly spaced exact values from lo to hi."""
    if count == 1:
        return lo
    return lo + (hi - lo) * k / (count - 1)


def parse_axis(text: str) -> Axis:
    """``"ammo_gain=0:10:101"`` → Axis; LO and HI may be fractions (``1/3``) or expressions, and
    N is at least 2 (``Axis`` itself allows one point, for programs that fix a parameter)."""
    match = AXIS_SYNTAX.match(text)
    if not match:
        raise SolveError("expected NAME=LO:HI:N, e.g. --param ammo_gain=0:10:101", f"--param {text}")
    name, lo_text, hi_text, count_text = match.groups()
    try:
        lo, hi = to_exact(number(lo_text.strip())), to_exact(number(hi_text.strip()))
    except (ExpressionError, TypeError, ValueError):
        raise SolveError("LO and HI must be numbers such as 0, 2.5 or 1/3", f"--param {text}") from None
    count = int(count_text) if len(count_text) <= 12 else MAX_POINTS + 1
    if count > MAX_POINTS:
        raise SolveError(f"N (the number of points) must be at most {MAX_POINTS:,}, got {_digits(count_text)}",
                         f"--param {name}")
    if count < MIN_POINTS:
        raise SolveError(f"N (the number of points) must be at least {MIN_POINTS}, got {count}; "
                         f"to solve at one value use --set {name}=VALUE", f"--param {text}")
    if not lo < hi:
        raise SolveError("LO must be less than HI", f"--param {text}")
    return Axis(name, lo, hi, count)


def check_axes(game, axes: Sequence[Axis], settings: Mapping[str, object] | None = None) -> dict[str, object]:
    """Validate the swept names against the game; the exact values of every other parameter."""
    fixed = parameter_values(game, settings)
    known = ", ".join(sorted(fixed)) or "this game has no parameters"
    seen = set()
    for axis in axes:
        if axis.name not in fixed:
            raise SolveError(f"unknown parameter '{axis.name}' (parameters: {known})", f"--param {axis.name}")
        if axis.name in seen:
            raise SolveError(f"'{axis.name}' is swept twice", f"--param {axis.name}")
        if settings and axis.name in settings:
            raise SolveError(f"'{axis.name}' is both swept and set with --set", f"--param {axis.name}")
        seen.add(axis.name)
    total = math.prod(a.count for a in axes)           # Python integers: no overflow
    if total > MAX_POINTS:
        players = len(getattr(game, "players", ())) or 1
        need = total * BYTES_PER_POINT * (players + 1)
        raise SolveError(f"the grid has {total:,} points, which would take at least {_size(need)} of memory; at most "
                         f"{MAX_POINTS:,} points are allowed (grid.MAX_POINTS): use fewer points per parameter",
                         "--param")
    return fixed


def _digits(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 15 else f"a {len(text)}-digit number"


def _size(count: int) -> str:
    """``3 * 2**30`` → ``"3.0 GB"``."""
    for unit in ("bytes", "KB", "MB", "GB", "TB", "PB"):
        if count < 1024 or unit == "PB":
            return f"{count:.1f} {unit}" if unit != "bytes" else f"{count} bytes"
        count /= 1024
    return f"{count:.1f} PB"


def grid_point(axes: Sequence[Axis], index) -> dict[str, object]:
    """The exact parameter values at a grid index."""
    return {a.name: a.exact(int(k)) for a, k in zip(axes, index)}
