"""Float feasibility tests used for pruning: phase I of a dense simplex method with Bland's rule.

They only prune, so each errs on the side of "feasible": an unbounded column or the iteration cap
answers True, and infeasibility is reported only on a clear margin (Dantzig's phase I; Bland,
"New finite pivoting rules for the simplex method", Math. Oper. Res. 2 (1977) 103–107).
"""
from __future__ import annotations

import numpy as np

_TOLERANCE = 1e-9
_MAX_ITERATIONS = 2000


def _run_phase_one(T: np.ndarray, basis: np.ndarray, m: int) -> bool:
    """Pivot a phase-I tableau (objective in row ``m``) with Bland's rule; True when the artificial
    objective reaches 0 (feasible), or when unsure (unbounded column, iteration cap)."""
    tol = _TOLERANCE
    for _ in range(_MAX_ITERATIONS):
        enter = np.flatnonzero(T[m, :-1] < -tol)
        if enter.size == 0:
            return -T[m, -1] <= 1e-7
        c = enter[0]
        col = T[:m, c]
        pos = col > tol
        if not pos.any():
            return True
        ratios = np.full(m, np.inf)
        ratios[pos] = T[:m, -1][pos] / col[pos]
        rmin = ratios.min()
        cand = np.flatnonzero(ratios <= rmin + tol * (1 + abs(rmin)))
        r = cand[np.argmin(basis[cand])]
        T[r] /= T[r, c]
        f = T[:, c].copy()
        f[r] = 0
        T -= np.outer(f, T[r])
        basis[r] = c
    return True


def feasible(A_eq: np.ndarray, b_eq: np.ndarray, A_ub: np.ndarray, b_ub: np.ndarray) -> bool:
    """Whether ``{x >= 0 : A_eq x = b_eq, A_ub x <= b_ub}`` is nonempty (True when unsure).

    Inequality rows get a slack variable, which starts in the basis where the right-hand side is
    nonnegative; every other row gets an artificial variable whose sum phase I minimises."""
    p, q = len(b_eq), len(b_ub)
    m = p + q
    if m == 0:
        return True
    n = A_eq.shape[1] if p else A_ub.shape[1]
    A = np.zeros((m, n + q))
    A[:p, :n] = A_eq
    A[p:, :n] = A_ub
    A[p:, n:] = np.eye(q)
    b = np.concatenate([b_eq, b_ub]).astype(float)
    flip = b < 0
    A[flip] *= -1
    b[flip] *= -1
    basis = np.full(m, -1)
    for r in range(p, m):
        if not flip[r]:
            basis[r] = n + r - p
    art = np.flatnonzero(basis < 0)
    width = n + q
    T = np.zeros((m + 1, width + len(art) + 1))
    T[:m, :width] = A
    T[:m, -1] = b
    for k, r in enumerate(art):
        T[r, width + k] = 1.0
        basis[r] = width + k
        T[m] -= T[r]
    T[m, width:width + len(art)] = 0
    return _run_phase_one(T, basis, m)


def cone_feasible(E: np.ndarray, F: np.ndarray) -> bool:
    """Whether some ``w >= 1`` has ``E w = 0`` and ``F w <= 0`` (on ``u = w - 1 >= 0``)."""
    one = np.ones(E.shape[1])
    return feasible(E, -E @ one, F, -F @ one)


def polyhedron_nonempty(M: np.ndarray, c: np.ndarray) -> bool:
    """Whether ``{z >= 0 : M z <= c}`` is nonempty."""
    return feasible(np.zeros((0, M.shape[1])), np.zeros(0), M, c)
