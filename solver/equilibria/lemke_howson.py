"""Lemke–Howson: one Nash equilibrium of a bimatrix game by complementary pivoting.

Sources
-------
* C. E. Lemke and J. T. Howson, "Equilibrium points of bimatrix games",
  SIAM J. Appl. Math. 12 (1964) 413–423 — the algorithm.
* L. S. Shapley, "A note on the Lemke–Howson algorithm", Math. Programming Study 1 (1974)
  175–189 — the labelled-polytope view and the lexicographic treatment of degeneracy.
* B. von Stengel, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3,
  ch. 45 (2002), §2.4–2.6 — the tableau form used here, integer pivoting and the lexicographic
  minimum-ratio test.

Method
------
Payoffs are shifted to be positive (an affine change per player keeps the equilibria), giving
the polytopes ``P = {x >= 0 : B'^T x <= 1}`` and ``Q = {y >= 0 : A' y <= 1}``. Label ``i < m`` is
row ``i`` (``x_i = 0`` or ``(A'y)_i = 1``), label ``m + j`` is column ``j``. Starting from the
artificial equilibrium ``(0, 0)`` the initial label is dropped and the duplicate label is
dropped alternately in the other polytope until the missing label is picked up again.

Each polytope is kept as a tableau in dictionary form (basic columns left out); the columns of
its slack variables give the current basis inverse, which the lexicographic minimum-ratio test
reads (rhs ``1`` perturbed to ``1 + (eps, eps^2, ...)``), so the path is unique and never cycles,
degenerate game or not.

* Exact payoffs (``int`` / ``Fraction``, in object or integer arrays) are scaled to positive
  integers and pivoted fraction-free on Python ints ("integer pivoting": every entry is
  ``det(basis)`` times the true tableau entry). The result is the end of the lexicographic path,
  as ``Fraction`` object arrays with exactly zero regret.
  With ``float_guided=True`` the path is first followed in floats and only the final basis is
  solved exactly (a small square system on the supports) and checked; if the check fails the
  exact path is run. Much faster for large games; the answer is always an exact equilibrium, but
  in degenerate games it may differ from the exact lexicographic path's end.
* Float payoffs are pivoted in float64 (rank-1 BLAS updates) with a tolerance-guarded
  lexicographic test. The final basis is re-solved from the data and the profile checked with
  :func:`solver.equilibria.verify.is_nash`; if that fails (or the float path revisits a basis,
  or finds no pivot) the game is solved again on the exact path from ``Fraction(float)``
  payoffs and converted back. Float in → float out.

``deadline`` is a :func:`time.monotonic` value, checked before every pivot; once it has passed
:class:`LemkeHowsonTimeout` (a :class:`TimeoutError`) is raised — ``None`` is never returned.
"""
from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np
from scipy.linalg.blas import dger as _dger

from solver.core.numbers import is_exact_array
from solver.core.regret import is_nash

__all__ = ["LemkeHowsonTimeout", "lemke_howson", "lemke_howson_all_labels"]

# Float ratio test: relative tolerance for ties and minimum pivot size.
_TIE_TOL = 1e-9
_PIVOT_TOL = 1e-11
# Largest matrix (entries) handed to one BLAS rank-1 update; OpenBLAS threads above 8192.
_BLAS_BLOCK = 8192
# Cycle check of the float path: remember this many bases, then Brent's O(1)-memory checkpoints.
_SEEN_LIMIT = 100_000


class LemkeHowsonTimeout(TimeoutError):
    """The deadline passed. ``partial`` holds equilibria already found (all-labels run)."""

    def __init__(self, message: str = "Lemke-Howson deadline passed", partial: tuple = ()):
        super().__init__(message)
        self.partial = partial


class _NumericalFailure(Exception):
    """The float path went astray; solve exactly instead."""


# --------------------------------------------------------------------------------------------
# Tableaux in compact (dictionary) form. Variables of one polytope: its own variables (x or y)
# ``0..cols-1``, then its slacks ``cols..cols+rows-1``. Row i reads
#     basic[i] + sum_j t[i, j] * nonbasic[j] = t[i, -1],
# i.e. ``t`` is B^-1 [M | I | 1] with the basic columns (unit vectors) left out. The column of
# slack k of B^-1 [M | I] is the k-th column of B^-1, which the lexicographic test reads.
# --------------------------------------------------------------------------------------------

class _Tableau:
    def __init__(self, matrix: np.ndarray, own_labels: range, slack_labels: range):
        rows, cols = matrix.shape
        self.rows, self.cols = rows, cols
        self.matrix = matrix
        labels = list(own_labels) + list(slack_labels)
        self.var_of_label = {lab: v for v, lab in enumerate(labels)}
        self.label = labels
        self.basic = list(range(cols, cols + rows))     # row -> variable
        # where[v] = row if v is basic, else -1 - column
        self.where = [-1 - v for v in range(cols)] + list(range(rows))
        self.basis_mask = sum(1 << v for v in self.basic)   # identifies the basis (cycle check)

    def enter(self, label: int) -> int:
        """Bring the variable with ``label`` into the basis; return the label that leaves."""
        var = self.var_of_label[label]
        c = -1 - self.where[var]
        r = self._ratio_test(c)
        leaving = self.basic[r]
        self._pivot(r, c)
        self.basic[r] = var
        self.where[var], self.where[leaving] = r, -1 - c
        self.basis_mask ^= (1 << var) | (1 << leaving)
        return self.label[leaving]


class _ExactTableau(_Tableau):
    """Fraction-free integer pivoting on Python ints: ``t`` is ``det`` times the true tableau,
    where ``det`` is the determinant of the basis and stays positive."""

    def __init__(self, matrix: np.ndarray, own_labels: range, slack_labels: range):
        super().__init__(matrix, own_labels, slack_labels)
        t = np.empty((self.rows, self.cols + 1), dtype=object)
        t[:, :-1] = matrix
        t[:, -1] = 1
        self.t = t
        self.det = 1

    def _lex_column(self, k: int) -> list:
        """Column k of det * B^-1 (k-th slack), as a list."""
        w = self.where[self.cols + k]
        if w >= 0:
            out = [0] * self.rows
            out[w] = self.det
            return out
        return list(self.t[:, -1 - w])

    def _ratio_test(self, c: int) -> int:
        col = list(self.t[:, c])
        keep = [i for i in range(self.rows) if col[i] > 0]
        if not keep:
            raise ArithmeticError("unbounded direction: payoffs must be positive")
        # rhs first, then the columns of B^-1 in order (lexicographic rule)
        k = -1
        while len(keep) > 1:
            vals = list(self.t[:, -1]) if k < 0 else self._lex_column(k)
            best = keep[0]
            for i in keep[1:]:
                if vals[i] * col[best] < vals[best] * col[i]:
                    best = i
            num, den = vals[best], col[best]
            keep = [i for i in keep if vals[i] * den == num * col[i]]
            k += 1
        return keep[0]

    def _pivot(self, r: int, c: int) -> None:
        t = self.t
        p = t[r, c]
        col = t[:, c].copy()
        prow = t[r].copy()
        nz = np.flatnonzero(col != 0)
        t *= p
        t[nz] -= np.outer(col[nz], prow)
        t //= self.det                          # exact: every entry is divisible
        t[r] = prow
        t[:, c] = -col
        t[r, c] = self.det
        self.det = p

    def own_values(self) -> list[Fraction]:
        """Unnormalised values of the own variables (x or y) at the current vertex."""
        values = [Fraction(0)] * self.cols
        for row, var in enumerate(self.basic):
            if var < self.cols:
                values[var] = Fraction(self.t[row, -1], self.det)
        return values


class _FloatTableau(_Tableau):
    """float64 tableau (Fortran order, rank-1 updates by BLAS dger) with a tolerance-guarded
    lexicographic ratio test."""

    def __init__(self, matrix: np.ndarray, own_labels: range, slack_labels: range):
        super().__init__(matrix, own_labels, slack_labels)
        t = np.empty((self.rows, self.cols + 1), order="F")
        t[:, :-1] = matrix
        t[:, -1] = 1.0
        self.t = t

    def _lex_column(self, k: int) -> np.ndarray:
        w = self.where[self.cols + k]
        if w >= 0:
            out = np.zeros(self.rows)
            out[w] = 1.0
            return out
        return self.t[:, -1 - w]

    def _ratio_test(self, c: int) -> int:
        t = self.t
        col = t[:, c]
        positive = col > _PIVOT_TOL * max(1.0, float(np.abs(col).max()))
        ratios = np.full(self.rows, np.inf)
        np.divide(t[:, -1], col, out=ratios, where=positive)
        best = int(ratios.argmin())
        low = ratios[best]
        if low == np.inf:
            raise _NumericalFailure("no positive pivot")
        keep = np.flatnonzero(ratios <= low + _TIE_TOL * max(1.0, abs(low)))
        if keep.size == 1:
            return best
        k = 0                                   # ties: columns of B^-1 in order
        while keep.size > 1 and k < self.rows:
            ratios = self._lex_column(k)[keep] / col[keep]
            low = ratios.min()
            keep = keep[ratios <= low + _TIE_TOL * max(1.0, abs(low))]
            k += 1
        return int(keep[0])

    def _pivot(self, r: int, c: int) -> None:
        t = self.t
        col = t[:, c].copy()
        p = col[r]
        prow = t[r] / p
        col[r] = 0.0
        # t -= outer(col, prow), in column blocks small enough that BLAS stays single-threaded
        # (a threaded rank-1 update of a small matrix is ~100x slower on a loaded machine).
        step = max(1, _BLAS_BLOCK // self.rows)
        for j in range(0, t.shape[1], step):
            block = t[:, j:j + step]
            out = _dger(-1.0, col, prow[j:j + step], a=block, overwrite_a=1)
            if out is not block:
                block[...] = out
        t[r] = prow
        t[:, c] = col / -p
        t[r, c] = 1.0 / p


def _solve_exact(M: np.ndarray) -> list[Fraction]:
    """Solve ``M z = 1`` for a square integer matrix by fraction-free Gauss–Jordan (Bareiss)."""
    size = M.shape[0]
    t = np.empty((size, size + 1), dtype=object)
    t[:, :-1] = M
    t[:, -1] = 1
    det = 1
    for k in range(size):
        nz = np.flatnonzero(t[k:, k] != 0)
        if nz.size == 0:
            raise _NumericalFailure("singular basis")
        r = k + int(nz[0])
        if r != k:
            t[[k, r]] = t[[r, k]]
        p, col, prow = t[k, k], t[:, k].copy(), t[k].copy()
        t *= p
        t -= np.outer(col, prow)
        t //= det
        t[k] = prow
        det = p
    return [Fraction(t[i, -1], t[i, i]) for i in range(size)]


def _basic_solution(matrix: np.ndarray, basic: list[int], exact: bool):
    """Values of the own variables at the vertex with basic variables ``basic`` of
    ``{v >= 0 : matrix v <= 1}``, re-solved from the data: only the rows whose slack is nonbasic
    (tight) and the basic own variables enter, a square system."""
    rows, cols = matrix.shape
    own = [v for v in basic if v < cols]
    slack_basic = {v - cols for v in basic if v >= cols}
    tight = [i for i in range(rows) if i not in slack_basic]
    values = [Fraction(0)] * cols if exact else np.zeros(cols)
    if not own:
        return values
    sub = matrix[np.ix_(tight, own)]
    if exact:
        z = _solve_exact(sub)
    else:
        try:
            z = np.linalg.solve(sub, np.ones(len(own)))
        except np.linalg.LinAlgError as exc:
            raise _NumericalFailure("singular final basis") from exc
    for v, value in zip(own, z):
        values[v] = value
    return values


# --------------------------------------------------------------------------------------------
# Input preparation
# --------------------------------------------------------------------------------------------

def _check_inputs(A, B):
    A = np.asarray(A)
    B = np.asarray(B)
    if A.ndim != 2 or A.shape != B.shape or 0 in A.shape:
        raise ValueError(f"A and B must be non-empty matrices of equal shape, got {A.shape} and {B.shape}")
    return A, B


def _positive_integers(M: np.ndarray) -> np.ndarray:
    """Positive-affine image of an exact matrix with positive integer entries (object array)."""
    values = M.ravel().tolist()                 # Python ints / Fractions
    if not all(isinstance(v, int) for v in values):
        values = [Fraction(v) for v in values]
        scale = math.lcm(*(v.denominator for v in values))
        values = [v.numerator * (scale // v.denominator) for v in values]
    low = min(values)
    out = np.empty(M.shape, dtype=object)
    out.flat[:] = [v - low + 1 for v in values]
    return out


def _positive_floats(M: np.ndarray) -> np.ndarray:
    """Positive-affine image of a float matrix with entries in [1, 2]."""
    low, high = float(M.min()), float(M.max())
    spread = high - low
    return (M - low) / spread + 1.0 if spread > 0 else np.ones(M.shape)


def _check_deadline(deadline):
    if deadline is not None and time.monotonic() > deadline:
        raise LemkeHowsonTimeout()


def _run_path(tab_p: _Tableau, tab_q: _Tableau, m: int, k: int, deadline, detect_cycles: bool):
    """Follow the path of label ``k``; tableaux are left at the equilibrium vertex."""
    current, other = (tab_p, tab_q) if k < m else (tab_q, tab_p)
    label = k
    seen = set()                    # bases so far; Brent's checkpoints after that
    checkpoint, power, steps = None, _SEEN_LIMIT, 0
    while True:
        _check_deadline(deadline)
        label = current.enter(label)
        if label == k:
            return
        if detect_cycles:
            state = (tab_p.basis_mask, tab_q.basis_mask)
            if len(seen) < _SEEN_LIMIT:
                if state in seen:
                    raise _NumericalFailure("float path revisited a basis")
                seen.add(state)
            else:
                if state == checkpoint:
                    raise _NumericalFailure("float path cycles")
                steps += 1
                if steps == power:
                    checkpoint, power, steps = state, 2 * power, 0
        current, other = other, current


def _normalise(x, y, exact: bool):
    if exact:
        if any(v < 0 for v in x) or any(v < 0 for v in y) or sum(x) == 0 or sum(y) == 0:
            raise _NumericalFailure("infeasible basis")
        sx, sy = sum(x), sum(y)
        return (np.array([v / sx for v in x], dtype=object), np.array([v / sy for v in y], dtype=object))
    x, y = np.maximum(x, 0.0), np.maximum(y, 0.0)
    if not (x.sum() > 0 and y.sum() > 0):
        raise _NumericalFailure("empty support")
    return x / x.sum(), y / y.sum()


def _exact_path(Ai: np.ndarray, Bi: np.ndarray, k: int, deadline):
    """Equilibrium at the end of the lexicographic path, by integer pivoting (exact)."""
    m, n = Ai.shape
    tab_p = _ExactTableau(Bi.T.copy(), range(m), range(m, m + n))
    tab_q = _ExactTableau(Ai, range(m, m + n), range(m))
    _run_path(tab_p, tab_q, m, k, deadline, detect_cycles=False)
    return _normalise(tab_p.own_values(), tab_q.own_values(), True)


def _float_path(Mp: np.ndarray, Mq: np.ndarray, k: int, deadline):
    """Final bases (of P and Q) of the path followed in floats; Mp = B'^T, Mq = A'."""
    m = Mp.shape[1]
    tab_p = _FloatTableau(Mp, range(m), range(m, m + Mp.shape[0]))
    tab_q = _FloatTableau(Mq, range(m, m + Mq.shape[1]), range(m))
    _run_path(tab_p, tab_q, m, k, deadline, detect_cycles=True)
    return tab_p.basic, tab_q.basic


def _certified(Mp, Mq, bases, exact: bool):
    """Normalised profile at the vertex pair ``bases``, re-solved from the data."""
    x = _basic_solution(Mp, bases[0], exact)
    y = _basic_solution(Mq, bases[1], exact)
    return _normalise(x, y, exact)


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def lemke_howson(A, B, initial_label: int = 0, *, deadline: float | None = None,
                 float_guided: bool = False):
    """One Nash equilibrium ``(x, y)`` of the bimatrix game ``(A, B)``, found by the
    Lemke–Howson path that drops ``initial_label`` (``0..m-1`` rows, ``m..m+n-1`` columns).

    Exact payoffs (ints / Fractions) give ``Fraction`` object arrays with zero regret; float
    payoffs give float64 arrays with regret ≤ 1e-9 × payoff range. Raises
    :class:`LemkeHowsonTimeout` once ``time.monotonic()`` exceeds ``deadline``.
    ``float_guided`` (exact payoffs only) follows the path in floats and certifies the final
    basis exactly, falling back to exact pivoting; see the module docstring.

    >>> x, y = lemke_howson([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [str(v) for v in x], [str(v) for v in y]
    (['1/2', '1/2'], ['1/2', '1/2'])
    """
    A, B = _check_inputs(A, B)
    m, n = A.shape
    k = int(initial_label)
    if not 0 <= k < m + n:
        raise ValueError(f"initial_label must be in 0..{m + n - 1}, got {initial_label}")
    if is_exact_array(A) and is_exact_array(B):
        payoffs = np.stack([A.astype(object), B.astype(object)])
        Ai, Bi = _positive_integers(A), _positive_integers(B)
        if float_guided:
            try:
                bases = _float_path(_positive_floats(Bi.T.astype(float)), _positive_floats(Ai.astype(float)),
                                    k, deadline)
                x, y = _certified(Bi.T, Ai, bases, exact=True)
                if is_nash(payoffs, [x, y]):
                    return x, y
            except (_NumericalFailure, OverflowError):
                pass
        x, y = _exact_path(Ai, Bi, k, deadline)
        if not is_nash(payoffs, [x, y]):   # cannot happen unless there is a bug
            raise AssertionError("Lemke-Howson produced a profile that is not an equilibrium")
        return x, y

    Af, Bf = A.astype(float), B.astype(float)
    if not (np.all(np.isfinite(Af)) and np.all(np.isfinite(Bf))):
        raise ValueError("payoffs must be finite")
    payoffs = np.stack([Af, Bf])
    try:
        Mp, Mq = _positive_floats(Bf).T.copy(), _positive_floats(Af)
        x, y = _certified(Mp, Mq, _float_path(Mp, Mq, k, deadline), exact=False)
        if is_nash(payoffs, [x, y]):
            return x, y
    except _NumericalFailure:
        pass
    # Exact fallback on the float payoffs read as exact binary fractions.
    Ae = np.array([Fraction(v) for v in Af.flat], dtype=object).reshape(Af.shape)
    Be = np.array([Fraction(v) for v in Bf.flat], dtype=object).reshape(Bf.shape)
    xe, ye = _exact_path(_positive_integers(Ae), _positive_integers(Be), k, deadline)
    x, y = xe.astype(float), ye.astype(float)
    x, y = x / x.sum(), y / y.sum()
    if not is_nash(payoffs, [x, y]):
        raise AssertionError("Lemke-Howson exact fallback failed float verification")
    return x, y


def lemke_howson_all_labels(A, B, *, deadline: float | None = None, float_guided: bool = False):
    """The distinct equilibria reached from every initial label ``0..m+n-1``, in order of first
    appearance. On timeout the :class:`LemkeHowsonTimeout` carries the ones found in ``partial``."""
    A, B = _check_inputs(A, B)
    m, n = A.shape
    exact = is_exact_array(A) and is_exact_array(B)
    found: list[tuple[np.ndarray, np.ndarray]] = []
    for k in range(m + n):
        try:
            x, y = lemke_howson(A, B, k, deadline=deadline, float_guided=float_guided)
        except LemkeHowsonTimeout as exc:
            raise LemkeHowsonTimeout(str(exc), partial=tuple(found)) from None
        if exact:
            duplicate = any(list(x) == list(u) and list(y) == list(v) for u, v in found)
        else:
            duplicate = any(np.allclose(x, u, atol=1e-9) and np.allclose(y, v, atol=1e-9) for u, v in found)
        if not duplicate:
            found.append((x, y))
    return tuple(found)
