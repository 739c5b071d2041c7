"""Exact linear algebra over the rationals, shared by the solvers that need it.

Gauss–Jordan elimination on lists of ``Fraction`` rows (any textbook, e.g. Strang, *Linear
Algebra and Its Applications*, ch. 1); small systems only, where exactness matters more than speed.
"""
from __future__ import annotations

from fractions import Fraction


def rref(rows: list[list[Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form over the rationals; returns (nonzero rows, pivot columns)."""
    rows = [list(r) for r in rows]
    pivots: list[int] = []
    r = 0
    for c in range(ncols):
        piv = next((k for k in range(r, len(rows)) if rows[k][c] != 0), None)
        if piv is None:
            continue
        rows[r], rows[piv] = rows[piv], rows[r]
        inv = 1 / rows[r][c]
        rows[r] = [v * inv for v in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][c] != 0:
                f = rows[k][c]
                rows[k] = [a - f * b for a, b in zip(rows[k], rows[r])]
        pivots.append(c)
        r += 1
        if r == len(rows):
            break
    return rows[:r], pivots


def solve_any(rows: list[list[Fraction]], n_unknowns: int) -> list[Fraction] | None:
    """One solution of the augmented system ``rows`` (free unknowns set to 0), or None when it
    is inconsistent.

    >>> solve_any([[Fraction(1), Fraction(1), Fraction(2)], [Fraction(1), Fraction(-1), Fraction(0)]], 2)
    [Fraction(1, 1), Fraction(1, 1)]
    """
    reduced, pivots = rref(rows, n_unknowns + 1)
    if pivots and pivots[-1] == n_unknowns:
        return None
    solution = [Fraction(0)] * n_unknowns
    for row, c in zip(reduced, pivots):
        solution[c] = row[n_unknowns]
    return solution
