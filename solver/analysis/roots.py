"""Exact real roots for threshold analysis: the zeros (and poles and kinks) of a payoff difference
in one parameter, on an interval, and the exact-number helpers around them.

Roots are found with sympy: real roots of polynomials exactly (``Poly.real_roots``: rationals,
radicals or ``CRootOf``), other expressions with ``solveset``; piecewise expressions (``Min``,
``Max``, ``Abs``) are split at their kinks first. Only where sympy finds no closed form are roots
located numerically (a sign change on a fine grid refined with ``nsolve``) and marked approximate.

>>> x = sympy.Symbol("x", real=True)
>>> real_roots(x ** 2 - 2, x, sympy.Integer(0), sympy.Integer(10))
([sqrt(2)], False)
>>> rational_between(sympy.Integer(1), sympy.Integer(2))
3/2
"""
from __future__ import annotations

import math

import sympy

OO = sympy.oo


# ---- exact numbers -------------------------------------------------------------------------------
def as_float(value) -> float:
    """A float for ordering exact values (infinities included)."""
    if value == OO:
        return math.inf
    if value == -OO:
        return -math.inf
    return float(sympy.N(value, 40))


def same_value(a, b) -> bool:
    """Equal exact values (irrational ones compared to 45 digits)."""
    if a.is_Rational and b.is_Rational:
        return a == b
    if a.is_infinite or b.is_infinite:
        return a == b
    return abs(sympy.N(a - b, 60)) < sympy.Float(10) ** -45


def unique_sorted(values) -> list:
    """Exact values in increasing order, each once."""
    out: list = []
    for v in sorted(values, key=as_float):
        if not out or not same_value(out[-1], v):
            out.append(v)
    return out


def rational_between(lo, hi) -> sympy.Rational:
    """A simple rational strictly between lo and hi (either may be infinite)."""
    lo, hi = sympy.sympify(lo), sympy.sympify(hi)
    if lo == -OO and hi == OO:
        return sympy.Integer(0)
    if lo == -OO:
        return sympy.floor(hi) - 1
    if hi == OO:
        return sympy.ceiling(lo) + 1
    if lo.is_Rational and hi.is_Rational:
        mid = (lo + hi) / 2
        # prefer a short decimal when one fits comfortably
        for digits in range(0, 8):
            candidate = sympy.Rational(round(float(mid) * 10 ** digits), 10 ** digits)
            if lo + (hi - lo) / 4 < candidate < hi - (hi - lo) / 4:
                return candidate
        return mid
    a, b = sympy.N(lo, 60), sympy.N(hi, 60)
    for digits in range(1, 60):
        candidate = sympy.Rational(str(sympy.N((a + b) / 2, digits)))
        if lo < candidate < hi:
            return candidate
    return sympy.nsimplify((a + b) / 2, rational=True)


# ---- roots ---------------------------------------------------------------------------------------
def _branch_at(expr, x, t):
    """``expr`` with every Piecewise replaced by its branch active at x = t."""
    def pick(pw):
        for value, condition in pw.args:
            if condition is sympy.true or bool(condition.subs(x, t)):
                return value
        return pw.args[-1][0]
    return expr.replace(lambda e: isinstance(e, sympy.Piecewise), pick)


def real_roots(expr, x, lo, hi) -> tuple[list, bool]:
    """Real zeros (and poles and kinks) of ``expr`` strictly inside (lo, hi): ``(values, approximate)``."""
    expr = sympy.sympify(expr)
    if x not in expr.free_symbols:
        return [], False
    if expr.has(sympy.Piecewise, sympy.Min, sympy.Max, sympy.Abs):
        expr = sympy.piecewise_fold(expr.rewrite(sympy.Piecewise))
        kinks, approximate = [], False
        for relation in expr.atoms(sympy.core.relational.Relational):
            found, approx = real_roots(relation.lhs - relation.rhs, x, lo, hi)
            kinks += found
            approximate |= approx
        kinks = unique_sorted(kinks)
        out = list(kinks)
        bounds = [lo] + kinks + [hi]
        for a, b in zip(bounds, bounds[1:]):
            found, approx = real_roots(_branch_at(expr, x, rational_between(a, b)), x, a, b)
            out += found
            approximate |= approx
        return unique_sorted(out), approximate
    numerator, denominator = sympy.fraction(sympy.together(expr))
    out, approximate = [], False
    for part in (numerator, denominator):
        if x not in part.free_symbols:
            continue
        found = None
        if part.is_polynomial(x):
            try:
                found = sympy.Poly(part, x).real_roots()
            except (sympy.PolynomialError, NotImplementedError, sympy.DomainError):
                found = None
        if found is None:
            try:
                solutions = sympy.solveset(part, x, sympy.Interval.open(lo, hi))
                if isinstance(solutions, sympy.FiniteSet):
                    found = list(solutions)
            except (NotImplementedError, ValueError, TypeError):
                found = None
        if found is None:
            found = _numeric_roots(part, x, lo, hi)
            approximate = True
        out += [r for r in found if r.is_real is not False and lo < r < hi]
    return unique_sorted(out), approximate


def _numeric_roots(expr, x, lo, hi) -> list:
    a = as_float(lo) if lo != -OO else -1e6
    b = as_float(hi) if hi != OO else 1e6
    f = sympy.lambdify(x, expr, "math")
    grid = [a + (b - a) * k / 2000 for k in range(1, 2000)]
    out = []
    previous = None
    for t in grid:
        try:
            value = f(t)
        except (ValueError, ZeroDivisionError, OverflowError):
            previous = None
            continue
        if previous is not None and (value == 0 or (previous[1] < 0) != (value < 0)):
            try:
                root = sympy.nsolve(expr, x, (previous[0] + t) / 2)
                out.append(sympy.Rational(str(sympy.N(root, 30))))
            except (ValueError, ZeroDivisionError, TypeError):
                pass
        previous = (t, value)
    return out
