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
    return isinstance(value, (int, Fraction, np.integer, Surd)) and not isinstance(value, (bool, np.bool_))


def is_exact_array(array) -> bool:
    """True when ``array`` holds exact numbers (int / Fraction / :class:`Surd` objects), not floats."""
    array = np.asarray(array)
    if array.dtype.kind in "iub":
        return True
    if array.dtype != object:
        return False
    return all(isinstance(v, (int, Fraction, Surd)) and not isinstance(v, bool) for v in array.flat)


def to_fraction(value) -> Fraction:
    """An exact ``Fraction``: ints and rationals as they are, floats without rounding."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, np.integer)):
        return Fraction(int(value))
    if isinstance(value, Surd):
        if not value.is_rational:
            raise ValueError(f"{value} is irrational")
        return value.rational()
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
    """An exact value as ``Fraction``; a float (or an irrational :class:`Surd`) as a Python float
    with ``-0.0`` made ``0.0``."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Surd) and value.is_rational:
        return value.rational()
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


# ---- exact square roots ----------------------------------------------------------------------
def _square_free(n: int) -> tuple[int, int]:
    """``(outside, inside)`` with ``n == outside**2 * inside`` and ``inside`` square-free."""
    outside, inside, k = 1, 1, 2
    while k * k <= n:
        while n % (k * k) == 0:
            n //= k * k
            outside *= k
        if n % k == 0:
            n //= k
            inside *= k
        k += 1
    return outside, inside * n


def _smallest_prime(n: int) -> int:
    k = 2
    while k * k <= n:
        if n % k == 0:
            return k
        k += 1
    return n


class Surd:
    """An exact real number ``c_1 sqrt(r_1) + ... + c_k sqrt(r_k)``: rational ``c``, distinct
    square-free integers ``r`` (``r = 1`` is the rational part). The square roots of distinct
    square-free integers are linearly independent over the rationals (A. S. Besicovitch, "On the
    linear independence of fractional powers of integers", J. London Math. Soc. 15 (1940) 3–6),
    so this form is unique: equality is equality of the coefficients. These numbers form a field
    (quotients are made rational by multiplying with conjugates ``sqrt(p) -> -sqrt(p)``, one prime
    at a time); the sign of a non-zero one is certified with rational interval bounds of the roots,
    refined until the interval excludes 0.

    >>> r2 = Surd.sqrt(2)
    >>> r2 * r2 == 2, (1 + r2) * (r2 - 1) == 1, 1 / (1 + r2) == r2 - 1
    (True, True, True)
    >>> Surd.sqrt(8) == 2 * r2, Surd.sqrt(2) + Surd.sqrt(3) > Surd.sqrt(10), float(r2)
    (True, False, 1.4142135623730951)
    """
    __slots__ = ("terms",)

    def __init__(self, terms=()):
        self.terms = tuple(sorted((int(r), Fraction(c)) for r, c in dict(terms).items() if c != 0))

    @classmethod
    def sqrt(cls, value) -> "Surd":
        """The square root of a non-negative rational."""
        value = Fraction(value)
        if value < 0:
            raise ValueError(f"no real square root of {value}")
        outside, inside = _square_free(value.numerator * value.denominator)
        return cls({inside: Fraction(outside, value.denominator)})

    @classmethod
    def of(cls, value) -> "Surd":
        return value if isinstance(value, Surd) else cls({1: Fraction(value)})

    @property
    def is_rational(self) -> bool:
        return all(r == 1 for r, _ in self.terms)

    def rational(self) -> Fraction:
        """The value as a ``Fraction`` (only when :attr:`is_rational`)."""
        return self.terms[0][1] if self.terms else Fraction(0)

    def _conjugate(self, p: int) -> "Surd":
        return Surd({r: -c if r % p == 0 else c for r, c in self.terms})

    def __add__(self, other):
        if not isinstance(other, (Surd, int, Fraction, np.integer)):
            return NotImplemented
        total = dict(self.terms)
        for r, c in Surd.of(other).terms:
            total[r] = total.get(r, 0) + c
        return Surd(total)

    __radd__ = __add__

    def __neg__(self):
        return Surd({r: -c for r, c in self.terms})

    def __sub__(self, other):
        return self + (-Surd.of(other)) if isinstance(other, (Surd, int, Fraction, np.integer)) else NotImplemented

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        if isinstance(other, (int, Fraction, np.integer)):
            return Surd({r: c * other for r, c in self.terms})
        if not isinstance(other, Surd):
            return NotImplemented
        total: dict[int, Fraction] = {}
        for r1, c1 in self.terms:
            for r2, c2 in other.terms:
                g = math.gcd(r1, r2)
                r = (r1 // g) * (r2 // g)
                total[r] = total.get(r, 0) + c1 * c2 * g
        return Surd(total)

    __rmul__ = __mul__

    def inverse(self) -> "Surd":
        if not self.terms:
            raise ZeroDivisionError("division by zero")
        numerator, denominator = Surd({1: 1}), self
        while not denominator.is_rational:
            p = _smallest_prime(next(r for r, _ in denominator.terms if r != 1))
            conjugate = denominator._conjugate(p)
            numerator, denominator = numerator * conjugate, denominator * conjugate
        return numerator * (1 / denominator.rational())

    def __truediv__(self, other):
        if isinstance(other, (int, Fraction, np.integer)):
            return self * (1 / Fraction(other))
        return self * other.inverse() if isinstance(other, Surd) else NotImplemented

    def __rtruediv__(self, other):
        return self.inverse() * other

    def _bounds(self, bits: int) -> tuple[Fraction, Fraction]:
        low = high = Fraction(0)
        scale = 1 << bits
        for r, c in self.terms:
            root = math.isqrt(r * scale * scale)
            down, up = Fraction(root, scale), Fraction(root + (root * root != r * scale * scale), scale)
            low += c * (down if c > 0 else up)
            high += c * (up if c > 0 else down)
        return low, high

    def sign(self) -> int:
        if not self.terms:
            return 0
        bits = 64
        while True:
            low, high = self._bounds(bits)
            if low > 0:
                return 1
            if high < 0:
                return -1
            bits *= 2

    def _compare(self, other) -> int | None:
        if not isinstance(other, (Surd, int, Fraction, np.integer)):
            return None
        return (self - other).sign()

    def __eq__(self, other):
        if isinstance(other, (int, Fraction, np.integer)):
            return self.is_rational and self.rational() == other
        return isinstance(other, Surd) and self.terms == other.terms

    def __hash__(self):
        return hash(self.rational()) if self.is_rational else hash(self.terms)

    def __lt__(self, other):
        c = self._compare(other)
        return NotImplemented if c is None else c < 0

    def __le__(self, other):
        c = self._compare(other)
        return NotImplemented if c is None else c <= 0

    def __gt__(self, other):
        c = self._compare(other)
        return NotImplemented if c is None else c > 0

    def __ge__(self, other):
        c = self._compare(other)
        return NotImplemented if c is None else c >= 0

    def __abs__(self):
        return -self if self.sign() < 0 else self

    def __bool__(self):
        return bool(self.terms)

    def __float__(self):
        low, high = self._bounds(80)
        return float((low + high) / 2)

    def __repr__(self):
        return " + ".join(f"{c}" if r == 1 else f"{c}*sqrt({r})" for r, c in self.terms) or "0"


def exact_value(value) -> Number:
    """A :class:`Surd` that is rational as a ``Fraction``; other numbers unchanged."""
    return value.rational() if isinstance(value, Surd) and value.is_rational else value
