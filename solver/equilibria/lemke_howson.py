"""Lemke–Howson: one Nash equilibrium of a bimatrix game by complementary pivoting.

Sources
-------
* C. E. Lemke and J. T. Howson, "Equilibrium points of bimatrix games",
  SIAM J. Appl. Math. 12 (1964) 413–423 — the algorithm.
* L. S. Shapley, "A note on the Lemke–Howson algorithm", Math. Programming Study 1 (1974)
  175–189 — the labelled-polytope view and the lexicographic treatment of degeneracy.
* B. von Stengel, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3,
  ch. 45 (2002), §2.4–2.6 — the tableau form used here, integer pivoting and the lexicographic
  minimum-ratio test (:class:`solver.core.linear.IntegerTableau`).

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
  ``det(basis)`` times the true tableau entry, :class:`solver.core.linear.IntegerTableau`). The
  result is the end of the lexicographic path, exact ``Fraction`` values with zero regret.
  With ``float_guided=True`` the path is first followed in floats and only the final basis is
  solved exactly (a small square system on the supports) and checked; if the check fails the
  exact path is run. Much faster for large games; the answer is always an exact equilibrium, but
  in degenerate games it may differ from the exact lexicographic path's end. By default
  (``float_guided=None``) games with more than ``FLOAT_GUIDED_LEMKE_HOWSON_SIZE`` strategies for
  a player are float-guided.
* Float payoffs are pivoted in float64 (rank-1 BLAS updates) with a tolerance-guarded
  lexicographic test. The final basis is re-solved from the data and the profile checked with
  :func:`solver.equilibria.verify.is_nash`; if that fails (or the float path revisits a basis,
  or finds no pivot) the game is solved again on the exact path from ``Fraction(float)``
  payoffs and converted back. Float in → float out.

``deadline`` is a :func:`time.monotonic` value, checked before every pivot; once it has passed
the result has no profile, ``complete=False`` and a deadline note.
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from scipy.linalg.blas import dger as _dger

from solver.core.deadline import DeadlinePassed, check
from solver.core.linear import IntegerTableau, solve_integer
from solver.core.numbers import exact_array, is_exact_array, positive_integer_matrix
from solver.core.regret import is_nash
from solver.equilibria.registry import FLOAT_GUIDED_LEMKE_HOWSON_SIZE
from solver.equilibria.result import DEADLINE, ONE_EQUILIBRIUM, AlgorithmResult, Note

__all__ = ["lemke_howson", "lemke_howson_all_labels"]

LABEL = "lemke-howson"
ONE = Note(ONE_EQUILIBRIUM, "Lemke–Howson finds one equilibrium; others may exist")
SOME = Note(ONE_EQUILIBRIUM, "Lemke–Howson from every initial label finds some equilibria; others may exist")

# Float ratio test: relative tolerance for ties and minimum pivot size.
_TIE_TOL = 1e-9
_PIVOT_TOL = 1e-11
# Largest matrix (entries) handed to one BLAS rank-1 update; OpenBLAS threads above 8192.
_BLAS_BLOCK = 8192
# Cycle check of the float path: remember this many bases, then Brent's O(1)-memory checkpoints.
_SEEN_LIMIT = 100_000


class _NumericalFailure(Exception):
    """The float path went astray; solve exactly instead."""


# --------------------------------------------------------------------------------------------
# Tableaux in compact (dictionary) form, one per polytope. Each variable has a label: in P the
# own variables x_i are labels 0..m-1 and the slacks labels m..m+n-1; in Q the own variables y_j
# are labels m..m+n-1 and the slacks labels 0..m-1 (the exact tableau names its variables by
# their labels, the float one numbers them own first, then slacks). Row i reads
#     basic[i] + sum_j t[i, j] * nonbasic[j] = t[i, -1],
# i.e. ``t`` is B^-1 [M | I | 1] with the basic columns (unit vectors) left out. The column of
# slack k of B^-1 [M | I] is the k-th column of B^-1, which the lexicographic test reads.
# --------------------------------------------------------------------------------------------

class _ExactTableau:
    """Fraction-free integer pivoting (:class:`IntegerTableau`), slacks as the lexicographic order."""

    def __init__(self, matrix: list[list[int]], own_labels: range, slack_labels: range):
        self.own, self.order = own_labels, slack_labels
        self.tableau = IntegerTableau([row + [1] for row in matrix], basic=slack_labels, nonbasic=own_labels)

    def enter(self, label: int) -> int:
        """Bring the variable with ``label`` into the basis; return the label that leaves."""
        tableau = self.tableau
        c = -1 - tableau.where[label]
        r = tableau.lex_min_ratio(c, self.order)
        if r is None:
            raise ArithmeticError("unbounded direction: payoffs must be positive")
        leaving = tableau.basic[r]
        tableau.pivot(r, c)
        return leaving

    def own_values(self) -> list[Fraction]:
        """Unnormalised values of the own variables (x or y) at the current vertex."""
        return [self.tableau.value(label) for label in self.own]


class _FloatTableau:
    """float64 tableau (Fortran order, rank-1 updates by BLAS dger) with a tolerance-guarded
    lexicographic ratio test. Variables are numbered: own ``0..cols-1``, then slacks."""

    def __init__(self, matrix: np.ndarray, own_labels: range, slack_labels: range):
        rows, cols = matrix.shape
        self.rows, self.cols = rows, cols
        labels = list(own_labels) + list(slack_labels)
        self.var_of_label = {lab: v for v, lab in enumerate(labels)}
        self.label = labels
        self.basic = list(range(cols, cols + rows))     # row -> variable
        # where[v] = row if v is basic, else -1 - column
        self.where = [-1 - v for v in range(cols)] + list(range(rows))
        self.basis_mask = sum(1 << v for v in self.basic)   # identifies the basis (cycle check)
        t = np.empty((rows, cols + 1), order="F")
        t[:, :-1] = matrix
        t[:, -1] = 1.0
        self.t = t

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
        solution = solve_integer(sub.tolist(), [1] * len(own))
        if solution is None:
            raise _NumericalFailure("singular basis")
        z = [Fraction(v, solution[1]) for v in solution[0]]
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


def _positive_floats(M: np.ndarray) -> np.ndarray:
    """Positive-affine image of a float matrix with entries in [1, 2]."""
    low, high = float(M.min()), float(M.max())
    spread = high - low
    return (M - low) / spread + 1.0 if spread > 0 else np.ones(M.shape)


def _run_path(tab_p, tab_q, m: int, k: int, deadline, detect_cycles: bool):
    """Follow the path of label ``k``; tableaux are left at the equilibrium vertex. Raises
    :class:`DeadlinePassed` once ``deadline`` has passed (checked before every pivot)."""
    current, other = (tab_p, tab_q) if k < m else (tab_q, tab_p)
    label = k
    seen = set()                    # bases so far; Brent's checkpoints after that
    checkpoint, power, steps = None, _SEEN_LIMIT, 0
    while True:
        check(deadline)
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
    """The profile ((x_i / Σx), (y_j / Σy)) as tuples of Fractions (exact) or floats."""
    if exact:
        if any(v < 0 for v in x) or any(v < 0 for v in y) or sum(x) == 0 or sum(y) == 0:
            raise _NumericalFailure("infeasible basis")
        sx, sy = sum(x), sum(y)
        return tuple(v / sx for v in x), tuple(v / sy for v in y)
    x, y = np.maximum(x, 0.0), np.maximum(y, 0.0)
    if not (x.sum() > 0 and y.sum() > 0):
        raise _NumericalFailure("empty support")
    return tuple((x / x.sum()).tolist()), tuple((y / y.sum()).tolist())


def _exact_path(Ai: np.ndarray, Bi: np.ndarray, k: int, deadline):
    """Equilibrium at the end of the lexicographic path, by integer pivoting (exact)."""
    m, n = Ai.shape
    tab_p = _ExactTableau(Bi.T.tolist(), range(m), range(m, m + n))
    tab_q = _ExactTableau(Ai.tolist(), range(m, m + n), range(m))
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


def _exact_equilibrium(A: np.ndarray, B: np.ndarray, k: int, deadline, float_guided: bool):
    """The profile for exact payoffs: float-guided and certified when asked, else exact pivots."""
    payoffs = np.stack([A.astype(object), B.astype(object)])
    Ai, Bi = positive_integer_matrix(A), positive_integer_matrix(B)
    if float_guided:
        try:
            bases = _float_path(_positive_floats(Bi.T.astype(float)), _positive_floats(Ai.astype(float)), k, deadline)
            profile = _certified(Bi.T, Ai, bases, exact=True)
            if is_nash(payoffs, profile):
                return profile
        except (_NumericalFailure, OverflowError):
            pass
    profile = _exact_path(Ai, Bi, k, deadline)
    if not is_nash(payoffs, profile):   # cannot happen unless there is a bug
        raise AssertionError("Lemke-Howson produced a profile that is not an equilibrium")
    return profile


def _float_equilibrium(A: np.ndarray, B: np.ndarray, k: int, deadline):
    """The profile for float payoffs: the float path, re-solved and checked; else exactly."""
    Af, Bf = A.astype(float), B.astype(float)
    if not (np.all(np.isfinite(Af)) and np.all(np.isfinite(Bf))):
        raise ValueError("payoffs must be finite")
    payoffs = np.stack([Af, Bf])
    try:
        Mp, Mq = _positive_floats(Bf).T.copy(), _positive_floats(Af)
        profile = _certified(Mp, Mq, _float_path(Mp, Mq, k, deadline), exact=False)
        if is_nash(payoffs, profile):
            return profile
    except _NumericalFailure:
        pass
    # Exact fallback on the float payoffs read as exact binary fractions.
    xe, ye = _exact_path(positive_integer_matrix(exact_array(Af)), positive_integer_matrix(exact_array(Bf)), k, deadline)
    x, y = np.array(xe, dtype=float), np.array(ye, dtype=float)
    profile = tuple((x / x.sum()).tolist()), tuple((y / y.sum()).tolist())
    if not is_nash(payoffs, profile):
        raise AssertionError("Lemke-Howson exact fallback failed float verification")
    return profile


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------

def lemke_howson(A, B, initial_label: int = 0, *, deadline: float | None = None,
                 float_guided: bool | None = None) -> AlgorithmResult:
    """One Nash equilibrium of the bimatrix game ``(A, B)``, found by the Lemke–Howson path that
    drops ``initial_label`` (``0..m-1`` rows, ``m..m+n-1`` columns).

    The result holds one profile ``((x_1, ..., x_m), (y_1, ..., y_n))``: exact ``Fraction`` values
    with zero regret for exact payoffs (ints / Fractions), floats with regret ≤ 1e-9 × payoff range
    for float payoffs; ``complete`` is False (other equilibria may exist). ``float_guided`` (exact
    payoffs only) follows the path in floats and certifies the final basis exactly, falling back to
    exact pivoting; ``None`` chooses it for games with more than
    ``FLOAT_GUIDED_LEMKE_HOWSON_SIZE`` strategies for a player. Once ``time.monotonic()`` exceeds
    ``deadline`` the result has no profile and a deadline note.

    >>> result = lemke_howson([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [[str(v) for v in p] for p in result.profiles[0]], result.complete
    ([['1/2', '1/2'], ['1/2', '1/2']], False)
    """
    A, B = _check_inputs(A, B)
    m, n = A.shape
    k = int(initial_label)
    if not 0 <= k < m + n:
        raise ValueError(f"initial_label must be in 0..{m + n - 1}, got {initial_label}")
    exact = is_exact_array(A) and is_exact_array(B)
    if float_guided is None:
        float_guided = max(m, n) > FLOAT_GUIDED_LEMKE_HOWSON_SIZE
    guided = exact and bool(float_guided)
    parameters = {"initial_label": k, "float_guided": guided}
    try:
        profile = _exact_equilibrium(A, B, k, deadline, guided) if exact else _float_equilibrium(A, B, k, deadline)
    except DeadlinePassed:
        return AlgorithmResult("lemke-howson", (), False, label=LABEL, parameters=parameters, notes=(Note(DEADLINE),))
    return AlgorithmResult("lemke-howson", (profile,), False, label=LABEL, parameters=parameters, notes=(ONE,))


def lemke_howson_all_labels(A, B, *, deadline: float | None = None,
                            float_guided: bool | None = None) -> AlgorithmResult:
    """The distinct equilibria reached from every initial label ``0..m+n-1``, in order of first
    appearance (``complete`` is False: some equilibria are reached from no label). When the
    deadline passes, the ones found so far, with a deadline note."""
    A, B = _check_inputs(A, B)
    m, n = A.shape
    exact = is_exact_array(A) and is_exact_array(B)
    found: list = []
    notes = (SOME,)
    parameters: dict = {"initial_label": "all"}
    for k in range(m + n):
        result = lemke_howson(A, B, k, deadline=deadline, float_guided=float_guided)
        parameters["float_guided"] = result.parameters["float_guided"]
        if not result.profiles:
            notes = (SOME, Note(DEADLINE))
            break
        x, y = result.profiles[0]
        if exact:
            duplicate = (x, y) in found
        else:
            duplicate = any(np.allclose(x, u, atol=1e-9) and np.allclose(y, v, atol=1e-9) for u, v in found)
        if not duplicate:
            found.append((x, y))
    return AlgorithmResult("lemke-howson", tuple(found), False, label="lemke-howson (every initial label)",
                           parameters=parameters, notes=notes)
