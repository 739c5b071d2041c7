"""Gröbner bases and the real roots of zero-dimensional systems, with exact constraint signs.

Sources: D. Cox, J. Little and D. O'Shea, "Ideals, Varieties, and Algorithms", ch. 2–3 and 9 —
elimination with lex bases (here from a grevlex basis by FGLM), the shape lemma, the dimension of
an ideal from the leading monomials of a Gröbner basis; R. S. Datta, "Using computer algebra to
find Nash equilibria", ISSAC 2003 — solving the equilibrium equations this way.

Rational roots stay exact; irrational real roots are kept to :data:`DIGITS` significant digits
(mpmath), evaluated with more working digits where payoffs of very different sizes cancel, and
the sign of each constraint at such a root is exact.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import mpmath
import sympy
from sympy.polys.domains import QQ
from sympy.polys.fglmtools import matrix_fglm
from sympy.polys.groebnertools import groebner
from sympy.polys.orderings import grevlex, lex
from sympy.polys.rings import ring

from solver.core.deadline import check
from solver.core.numbers import to_fraction
from solver.equilibria.polynomial.budget import Unsolved

#: Digits kept for irrational roots.
DIGITS = 50
#: Separating linear forms tried before giving up on shape position.
_SEPARATOR_ATTEMPTS = 4
_SEPARATOR = sympy.Symbol("w_sep")


def qq(v: Fraction):
    return QQ(v.numerator, v.denominator)


def groebner_basis(polys, R):
    polys = [p for p in polys if p]
    if not polys:
        return []
    return groebner(polys, R)


def is_unit_ideal(G) -> bool:
    return len(G) == 1 and G[0].is_ground and bool(G[0])


def dimension(G, n: int) -> tuple[int, tuple[int, ...]]:
    """Krull dimension and a maximal independent set of variables from leading monomials."""
    if not G:
        return n, tuple(range(n))
    masks = set()
    for g in G:
        lm = g.LM
        masks.add(sum(1 << k for k, e in enumerate(lm) if e))
    for size in range(n, -1, -1):
        for U in itertools.combinations(range(n), size):
            um = sum(1 << k for k in U)
            if all((m & ~um) != 0 for m in masks):
                return size, U
    return 0, ()


def eval_poly(p, values):
    """A ring polynomial at a point: exact for Fraction values, float otherwise."""
    acc = 0
    exact = all(isinstance(v, Fraction) for v in values)
    for m, c in p.terms():
        term = to_fraction(c) if exact else float(to_fraction(c))
        for e, v in zip(m, values):
            if e:
                term = term * (v if exact else float(v)) ** e
        acc = acc + term
    return acc


@dataclass
class Root:
    values: list          # Fractions (exact) or mpmath mpf
    exact: bool
    signs: list           # per constraint: -1, 0, 1


def _shape_basis(G, R):
    """If G (lex, reduced) is {x_k - h_k(w)} + {g(w)} with w the last generator, return
    (h list, g); otherwise None."""
    n = len(R.gens)
    if len(G) != n:
        return None
    last = n - 1
    h = []
    g = None
    for poly in G:
        lm = poly.LM
        if all(e == 0 for e in lm[:last]):
            if g is not None:
                return None
            g = poly
            continue
        k = next(k for k, e in enumerate(lm) if e)
        if lm[k] != 1 or any(lm[j] for j in range(n) if j != k):
            return None
        rest = poly - poly.LC * R.gens[k]
        if any(any(e for e in m[:last]) for m in rest.monoms()):
            return None
        h.append((k, -rest * (1 / poly.LC) if poly.LC != 1 else -rest))
    if g is None or len(h) != n - 1:
        return None
    h.sort(key=lambda kv: kv[0])
    return [v for _, v in h], g


def _univariate_coeffs(p, idx: int) -> list[Fraction]:
    """Coefficients (highest degree first) of a ring polynomial in generator ``idx`` only."""
    deg = max((m[idx] for m in p.monoms()), default=0)
    c = [Fraction(0)] * (deg + 1)
    for m, v in p.terms():
        c[deg - m[idx]] += to_fraction(v)
    return c


def _ring_univariate(coeffs: list[Fraction], R, idx: int):
    deg = len(coeffs) - 1
    x = R.gens[idx]
    return sum((qq(c) * x ** (deg - k) for k, c in enumerate(coeffs) if c), R.zero)


def _sympy_univariate(coeffs: list[Fraction]):
    return sympy.Poly([sympy.Rational(c.numerator, c.denominator) for c in coeffs], _SEPARATOR, domain="QQ")


def _from_sympy_coeffs(poly) -> list[Fraction]:
    return [to_fraction(c) for c in poly.all_coeffs()]


def _horner(coeffs: list[Fraction], x: Fraction) -> Fraction:
    """The polynomial at a rational point, exactly (irrational points: :func:`_horner_with_bound`)."""
    acc = Fraction(0)
    for c in coeffs:
        acc = acc * x + c
    return acc


def _lex_basis(base, Rw, Rlex):
    """The reduced lex basis of ``base`` (by FGLM from grevlex), or None for the unit ideal."""
    Gg = groebner_basis(base, Rw)
    if is_unit_ideal(Gg):
        return None
    if dimension(Gg, len(Rw.gens))[0] != 0:
        raise Unsolved("not zero-dimensional")
    return [p.set_ring(Rlex) for p in matrix_fglm(Gg, Rw, lex)]


def _shape_position(polys, R, deadline):
    """(h, g, Rlex) with the system equivalent to ``x_k = h_k(w)``, ``g(w) = 0`` for an adjoined
    separating variable ``w``; None when the system has no solution."""
    n = len(R.gens)
    Rw = ring(",".join([str(g) for g in R.gens] + [str(_SEPARATOR)]), QQ, grevlex)[0]
    gw = Rw.gens
    Rlex = Rw.clone(order=lex)
    for attempt in range(_SEPARATOR_ATTEMPTS):
        check(deadline)
        sep = gw[n - 1] if attempt == 0 else sum(((attempt * 7 + 3 * k) % 11 + 1) * gw[k] for k in range(n))
        base = [p.set_ring(Rw) for p in polys] + [gw[n] - sep]
        Gl = _lex_basis(base, Rw, Rlex)
        if Gl is None:
            return None
        shape = _shape_basis(Gl, Rlex)
        if shape is None:
            # not radical? adjoin the square-free part of the eliminant and retry
            uni = [p for p in Gl if all(e == 0 for m in p.monoms() for e in m[:n])]
            if len(uni) != 1:
                continue
            gpoly = _sympy_univariate(_univariate_coeffs(uni[0], n))
            sqf = sympy.quo(gpoly, sympy.gcd(gpoly, gpoly.diff(_SEPARATOR)))
            Gl = _lex_basis(base + [_ring_univariate(_from_sympy_coeffs(sqf), Rw, n)], Rw, Rlex)
            if Gl is None:
                return None
            shape = _shape_basis(Gl, Rlex)
        if shape is not None:
            return shape[0], shape[1], Rlex
    raise Unsolved("no shape position")


def _factor_roots(f, h, constraints, Rlex, n: int) -> list[Root]:
    """The real roots belonging to one irreducible factor ``f`` of the eliminant."""
    fc = _from_sympy_coeffs(f)
    fring = _ring_univariate(fc, Rlex, n)
    basis = [Rlex.gens[k] - h[k] for k in range(n)] + [fring]
    coord_forms = [_univariate_coeffs(hk.rem([fring]), n) for hk in h]
    cons_forms = [_univariate_coeffs(c.rem(basis), n) for c in constraints]
    if len(fc) == 2:
        r = -fc[1] / fc[0]
        signs = []
        for cf in cons_forms:
            v = _horner(cf, r)
            signs.append((v > 0) - (v < 0))
        return [Root([_horner(cf, r) for cf in coord_forms], True, signs)]
    roots = []
    try:
        intervals = f.intervals()        # isolating intervals, in the order of real_roots (f is square-free)
        real_roots = f.real_roots()
    except ValueError as error:          # e.g. Python's limit on digits of an int written as text
        raise Unsolved(f"the roots could not be isolated exactly ({str(error)[:80]})") from None
    for rr, ((low, high), _) in zip(real_roots, intervals):
        values, x, digits = _values_at_root(coord_forms, rr)
        with mpmath.workdps(digits):
            signs = [_sign_at_root(cf, x, digits, f, low, high) for cf in cons_forms]
        roots.append(Root(values, False, signs))
    return roots


#: The most digits used for an irrational root before the system is left to the numerical route.
_MOST_DIGITS = 6400


def _horner_with_bound(coeffs: list[Fraction], x):
    """``(value, bound)``: the polynomial at ``x`` and the sum of its terms' magnitudes, which
    bounds the rounding error of the evaluation (relative to the working precision)."""
    acc, size = mpmath.mpf(0), mpmath.mpf(0)
    magnitude = abs(x)
    for c in coeffs:
        term = mpmath.mpf(c.numerator) / c.denominator
        acc = acc * x + term
        size = size * magnitude + abs(term)
    return acc, size


def _trusted(value, bound, digits: int, wanted: int) -> bool:
    """Whether ``value``, computed with ``digits`` digits with terms of total size ``bound``, has
    ``wanted`` correct significant digits (a margin covers the error in the root itself)."""
    return value != 0 and abs(value) >= bound * mpmath.mpf(10) ** (wanted + 8 - digits)


def _values_at_root(coord_forms, rr):
    """The coordinates at a real algebraic root to :data:`DIGITS` significant digits, the root
    and the precision used. Payoffs far apart in size (1e300 next to 8) cancel in Horner's rule,
    so the precision grows until every coordinate is trusted."""
    digits = DIGITS + 10
    while True:
        with mpmath.workdps(digits):
            x = mpmath.mpf(str(sympy.N(rr, digits + 10)))
            evaluated = [_horner_with_bound(cf, x) for cf in coord_forms]
            if all(not any(cf) or _trusted(v, b, digits, DIGITS) for cf, (v, b) in zip(coord_forms, evaluated)):
                return [v for v, _ in evaluated], x, digits
        if digits * 2 > _MOST_DIGITS:
            raise Unsolved(f"a root needs more than {_MOST_DIGITS} digits")
        digits *= 2


def _sign_at_root(cf, x, digits: int, f, low, high) -> int:
    """The exact sign of the polynomial ``cf`` at the root of ``f`` in ``[low, high]``: from the
    float value when its error bound leaves no doubt, else by shrinking the isolating interval
    until ``cf`` has no root in it (exact rational arithmetic)."""
    if not any(cf):
        return 0
    value, bound = _horner_with_bound(cf, x)
    if _trusted(value, bound, digits, 2):
        return 1 if value > 0 else -1
    remainder = _sympy_univariate(cf).rem(f)
    if remainder.is_zero:
        return 0
    for _ in range(4 * _MOST_DIGITS):
        if remainder.count_roots(low, high) == 0:
            sign = remainder.eval(low)
            return 1 if sign > 0 else -1
        low, high = f.refine_root(low, high, eps=(high - low) / 4)
    raise Unsolved("the sign of a constraint at an irrational root was not decided")


def solve_zero_dim(polys, R, constraints, deadline) -> list[Root]:
    """Real roots of a zero-dimensional system, with exact signs of the constraints.

    A separating variable ``w = sum c_k x_k`` is adjoined (first ``w = x_n``) and a lex basis
    computed by FGLM; in shape position it reads ``x_k = h_k(w)``, ``g(w) = 0``. Each irreducible
    factor f of g gives rational roots (exact) or real algebraic roots (50 significant digits); a
    constraint's sign at a root of f is that of its normal form modulo ``{x_k - h_k, f}``, zero
    exactly when the normal form vanishes, and otherwise decided exactly (:func:`_sign_at_root`)."""
    shape = _shape_position(polys, R, deadline)
    if shape is None:
        return []
    h, g, Rlex = shape
    n = len(R.gens)
    _, factors = _sympy_univariate(_univariate_coeffs(g, n)).factor_list()
    cons_w = [c.set_ring(Rlex) for c in constraints]
    roots: list[Root] = []
    for f, _mult in factors:
        check(deadline)
        roots.extend(_factor_roots(f, h, cons_w, Rlex, n))
    return roots
