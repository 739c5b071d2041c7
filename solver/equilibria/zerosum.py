"""Zero-sum and constant-sum two-player games by linear programming.

In a game with B = c − A the equilibria are exactly the pairs of maximin strategies, and every
one gives the row player the value v = max_x min_j (xᵀA)_j = min_y max_i (Ay)_i [von Neumann 1928].
With A shifted to positive entries (A' = A − min A + 1, so v' > 0), the column player's problem is
the standard-form LP [Dantzig 1951; von Stengel 2002, §2.3]

    maximise 1ᵀw  subject to  A'w ≤ 1, w ≥ 0,        y = w / 1ᵀw,  v' = 1 / 1ᵀw,

whose dual (minimise 1ᵀu subject to A'ᵀu ≥ 1, u ≥ 0) gives the row player's x = u / 1ᵀu.

Floats are solved with ``scipy.optimize.linprog`` (HiGHS). For exact payoffs the float optimum
proposes supports S (rows) and T (columns); the indifference systems on them are solved exactly
with ``Fraction``, and the pair is accepted only if its two guarantees coincide exactly,
min_j (xᵀA)_j = max_i (Ay)_i, which proves both strategies optimal and the common number the
value. When that fails (e.g. rounding picked a wrong support in a degenerate game) an exact
simplex method with Bland's rule [Bland 1977], which cannot cycle, solves the LP above.

References:
    J. von Neumann (1928), "Zur Theorie der Gesellschaftsspiele", Math. Annalen 100, 295–320.
    G. B. Dantzig (1951), "A proof of the equivalence of the programming problem and the game
    problem", in Activity Analysis of Production and Allocation, 330–335.
    R. G. Bland (1977), "New finite pivoting rules for the simplex method", Math. of OR 2, 103–107.
    B. von Stengel (2002), "Computing equilibria for two-person games", Handbook of Game Theory
    vol. 3, ch. 45.

>>> import numpy as np
>>> rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], dtype=object)
>>> solution = solve_zero_sum(rps, -rps)
>>> solution.value, [str(p) for p in solution.row_strategy]
(Fraction(0, 1), ['1/3', '1/3', '1/3'])
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog

from solver.core.linear import solve_any
from solver.core import numbers, regret


@dataclass(frozen=True)
class ZeroSumSolution:
    """An optimal (maximin) strategy pair and the row player's value of the game.

    ``value`` is a ``Fraction`` and the strategies object arrays of ``Fraction`` for exact payoffs;
    a float and float64 arrays otherwise. The column player's value is c − ``value`` for a
    constant-sum game with A + B = c.
    """

    value: object
    row_strategy: np.ndarray
    column_strategy: np.ndarray


def is_constant_sum(A, B) -> bool:
    """Whether A + B is the same number in every cell (exactly, or within float tolerance)."""
    A, B = np.asarray(A), np.asarray(B)
    if A.shape != B.shape or A.size == 0:
        return False
    if numbers.is_exact_array(A) and numbers.is_exact_array(B):
        total = np.asarray(A, dtype=object) + np.asarray(B, dtype=object)
        first = total.flat[0]
        return all(v == first for v in total.flat)
    total = A.astype(float) + B.astype(float)
    scale = max(numbers.payoff_scale(A.astype(float)), numbers.payoff_scale(B.astype(float)))
    return bool(np.ptp(total) <= numbers.FLOAT_TOLERANCE * scale)


def solve_zero_sum(A, B) -> ZeroSumSolution:
    """One optimal strategy pair of the constant-sum game (A, B) and the row player's value."""
    A_arr, B_arr = np.asarray(A), np.asarray(B)
    if A_arr.ndim != 2 or A_arr.shape != B_arr.shape or 0 in A_arr.shape:
        raise ValueError(f"A and B must be non-empty matrices of one shape, got {A_arr.shape} and {B_arr.shape}")
    if not is_constant_sum(A_arr, B_arr):
        raise ValueError("the game is not constant-sum")
    exact = numbers.is_exact_array(A_arr) and numbers.is_exact_array(B_arr)
    payoffs = np.stack([A_arr, B_arr])
    if exact:
        A_exact = np.array([[Fraction(v) for v in row] for row in A_arr], dtype=object)
        solution = _exact_solution(A_exact)
        if not regret.is_nash(payoffs.astype(object), [solution.row_strategy, solution.column_strategy]):
            raise AssertionError("exact zero-sum solution fails the regret check; this is a bug")
        return solution
    A_float = A_arr.astype(float)
    if not np.all(np.isfinite(A_float)):
        raise ValueError("payoffs must be finite")
    x, y, value = _float_solution(A_float)
    if not regret.is_nash(payoffs.astype(float), [x, y]):
        # HiGHS works to ~1e-9 feasibility; if that is not enough here, solve the exact values
        # of the floats exactly and round once at the end.
        exact_solution = _exact_solution(np.array([[Fraction(float(v)) for v in row] for row in A_float], dtype=object))
        x = exact_solution.row_strategy.astype(float)
        y = exact_solution.column_strategy.astype(float)
        value = float(exact_solution.value)
        if not regret.is_nash(payoffs.astype(float), [x, y]):
            raise AssertionError("float zero-sum solution fails the regret check")
    return ZeroSumSolution(value, x, y)


def _float_solution(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Optimal strategies and value by HiGHS on the standard-form LP and its dual."""
    m, n = A.shape
    shift = 1.0 - A.min()
    shifted = A + shift
    primal = linprog(-np.ones(n), A_ub=shifted, b_ub=np.ones(m), bounds=(0, None), method="highs",
                     options={"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    if primal.status != 0:
        raise RuntimeError(f"linprog failed: {primal.message}")
    w = np.clip(primal.x, 0.0, None)
    # HiGHS reports the duals of A_ub rows as non-positive marginals for a minimisation.
    u = np.clip(-primal.ineqlin.marginals, 0.0, None)
    y, x = w / w.sum(), u / u.sum()
    value = float(1.0 / w.sum() - shift)
    return x, y, value


def _exact_solution(A: np.ndarray) -> ZeroSumSolution:
    m, n = A.shape
    try:
        x_float, y_float, _ = _float_solution(A.astype(float))
    except (RuntimeError, OverflowError, ValueError):
        x_float = y_float = None
    if x_float is not None:
        rows = [i for i in range(m) if x_float[i] > 1e-9]
        cols = [j for j in range(n) if y_float[j] > 1e-9]
        x = _indifferent_strategy(A.T, rows, cols)
        y = _indifferent_strategy(A, cols, rows)
        if x is not None and y is not None:
            lower = min(np.dot(x, A[:, j]) for j in range(n))  # what x guarantees
            upper = max(np.dot(A[i], y) for i in range(m))     # what y concedes at most
            if lower == upper:
                return ZeroSumSolution(Fraction(lower), x, y)
    return _bland_simplex_solution(A)


def _indifferent_strategy(M: np.ndarray, support: list[int], opponents: list[int]) -> np.ndarray | None:
    """A probability vector p on ``support`` making every opponent strategy o in ``opponents``
    earn the same payoff Σ_s M[o, s] p_s (rows of ``M`` are the opponent's strategies).

    Returns the basic solution (free unknowns 0), or None when the system is inconsistent or that
    solution has a negative entry.
    """
    if not support or not opponents:
        return None
    k = len(support)
    # Unknowns: p_s (k of them) and v. Equations: Σ_s M[o, s] p_s − v = 0, Σ_s p_s = 1.
    rows = [[Fraction(M[o, s]) for s in support] + [Fraction(-1), Fraction(0)] for o in opponents]
    rows.append([Fraction(1)] * k + [Fraction(0), Fraction(1)])
    solution = solve_any(rows, k + 1)
    if solution is None:
        return None
    p = solution[:k]
    if any(v < 0 for v in p):
        return None
    full_dim = M.shape[1]
    out = np.array([Fraction(0)] * full_dim, dtype=object)
    for s, value in zip(support, p):
        out[s] = value
    return out


def _bland_simplex_solution(A: np.ndarray) -> ZeroSumSolution:
    """Exact simplex (Bland's rule) on max 1ᵀw s.t. A'w ≤ 1, w ≥ 0 with A' = A − min A + 1."""
    m, n = A.shape
    shift = 1 - min(A.flat)
    # Tableau rows: [A' | I | 1]; objective row holds reduced costs of max 1ᵀw (as −c).
    table = [[Fraction(A[i, j] + shift) for j in range(n)] + [Fraction(int(i == r)) for r in range(m)] + [Fraction(1)]
             for i in range(m)]
    objective = [Fraction(-1)] * n + [Fraction(0)] * m + [Fraction(0)]
    basis = [n + i for i in range(m)]
    while True:
        entering = next((c for c in range(n + m) if objective[c] < 0), None)  # Bland: lowest index
        if entering is None:
            break
        best, leaving_row = None, None
        for i in range(m):
            a = table[i][entering]
            if a > 0:
                ratio = table[i][-1] / a
                # Bland: ties go to the basic variable of lowest index.
                if best is None or ratio < best or (ratio == best and basis[i] < basis[leaving_row]):
                    best, leaving_row = ratio, i
        if leaving_row is None:
            raise AssertionError("unbounded LP in a zero-sum game; this is a bug")
        inv = 1 / table[leaving_row][entering]
        table[leaving_row] = [v * inv for v in table[leaving_row]]
        for i in range(m):
            if i != leaving_row and table[i][entering] != 0:
                f = table[i][entering]
                table[i] = [a - f * b for a, b in zip(table[i], table[leaving_row])]
        f = objective[entering]
        objective = [a - f * b for a, b in zip(objective, table[leaving_row])]
        basis[leaving_row] = entering
    w = [Fraction(0)] * n
    for i, var in enumerate(basis):
        if var < n:
            w[var] = table[i][-1]
    u = objective[n:n + m]  # dual prices of the rows A'w <= 1
    total = sum(w)
    x = np.array([ui / total for ui in u], dtype=object)
    y = np.array([wj / total for wj in w], dtype=object)
    return ZeroSumSolution(1 / total - shift, x, y)
