"""Numbers in one place: exact conversion, integer scaling, tolerances and formatting.

Two kinds of numbers run through the solver: exact ones (``fractions.Fraction``, in object arrays)
and float64. Every tolerance used to compare floats is defined here, relative to the payoff range.

>>> integer_scaled([Fraction(1, 2), Fraction(1, 3), 2])
[3, 2, 12]
>>> format_number(Fraction(2, 3)), format_number(-0.0), format_number(0.333333333)
('2/3', '0', '0.3333')
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterable

import numpy as np

Number = Any   # Fraction (exact) or float

#: A float regret is accepted when it is at most this times the payoff range (at least 1).
FLOAT_TOLERANCE = 1e-9
#: Two float payoffs count as tied when they differ by at most this times the payoff range.
TIE_TOLERANCE = 1e-12


def is_exact_number(value) -> bool:
    return isinstance(value, (int, Fraction, np.integer)) and not isinstance(value, (bool, np.bool_))


def is_exact_array(array) -> bool:
    """True when ``array`` holds exact numbers (int / Fraction objects), not floats."""
    array = np.asarray(array)
    if array.dtype.kind in "iub":
        return True
    if array.dtype != object:
        return False
    return all(isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in array.flat)


def to_fraction(value) -> Fraction:
    """An exact ``Fraction``: ints and rationals as they are, floats without rounding."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if hasattr(value, "numerator") and hasattr(value, "denominator") and not isinstance(value, (float, np.floating)):
        return Fraction(int(value.numerator), int(value.denominator))
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"payoffs must be finite, got {value}")
    return Fraction(value)


def exact_array(values) -> np.ndarray:
    """An object array of ``Fraction`` with the shape of ``values`` (floats converted exactly)."""
    values = np.asarray(values)
    out = np.empty(values.shape, dtype=object)
    for index, value in np.ndenumerate(values):
        out[index] = to_fraction(value)
    return out


def clean(value) -> Number:
    """An exact value as ``Fraction``; a float as a Python float with ``-0.0`` made ``0.0``."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return Fraction(int(value))
    value = float(value)
    return 0.0 if value == 0 else value


def integer_scaled(values: Iterable) -> list[int]:
    """Exact values times the least common multiple of their denominators: integers with the same
    ratios (a positive scaling, so best responses and equilibria are unchanged)."""
    values = list(values)
    if all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values):
        return [int(v) for v in values]               # already integers: nothing to scale
    fractions = [to_fraction(v) for v in values]
    scale = math.lcm(1, *(v.denominator for v in fractions))
    return [v.numerator * (scale // v.denominator) for v in fractions]


def positive_integer_matrix(matrix) -> np.ndarray:
    """A positive affine image of an exact matrix with integer entries >= 1 (object array of ints):
    the same best responses and equilibria, and pivoting stays in the integers."""
    matrix = np.asarray(matrix)
    values = integer_scaled(matrix.ravel().tolist())
    low = min(values)
    out = np.empty(matrix.shape, dtype=object)
    out.flat[:] = [v - low + 1 for v in values]
    return out


def payoff_scale(payoffs) -> float:
    """The range of the payoffs (at least 1), used to scale float tolerances."""
    values = np.asarray(payoffs, dtype=float)
    return max(1.0, float(values.max() - values.min())) if values.size else 1.0


def regret_tolerance(payoffs) -> float:
    """The largest float regret accepted for a game with these payoffs."""
    return FLOAT_TOLERANCE * payoff_scale(payoffs)


def tie_tolerance(payoffs) -> float:
    """Float payoffs closer than this count as equal (ties)."""
    return TIE_TOLERANCE * payoff_scale(payoffs)


def as_json_number(value: Number, exact: bool):
    """Fractions become ``"2/3"`` strings when ``exact``; otherwise JSON numbers."""
    if isinstance(value, (Fraction, int)):
        value = Fraction(value)
        if exact:
            return str(value)
        return int(value) if value.denominator == 1 else float(value)
    return float(value)


def format_number(value: Number, digits: int = 4) -> str:
    """For people: exact fractions as ``2/3``, floats rounded, ``-0`` shown as ``0``."""
    if isinstance(value, (Fraction, int)):
        return str(Fraction(value))
    text = f"{float(value):.{digits}g}"
    return "0" if text in ("-0", "0") else text
