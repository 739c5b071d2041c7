"""Zero-sum and constant-sum two-player games by linear programming.

In a game with B = c − A the equilibria are exactly the pairs of maximin strategies, and every
one gives the row player the value v = max_x min_j (xᵀA)_j = min_y max_i (Ay)_i [von Neumann 1928].
With A shifted to positive entries (A' = A − min A + 1, so v' > 0), the column player's problem is
the standard-form LP [Dantzig 1951; von Stengel 2002, §2.3]

    maximise 1ᵀw  subject to  A'w ≤ 1, w ≥ 0,        y = w / 1ᵀw,  v' = 1 / 1ᵀw,

whose dual (minimise 1ᵀu subject to A'ᵀu ≥ 1, u ≥ 0) gives the row player's x = u / 1ᵀu.

Floats are solved with ``scipy.optimize.linprog`` (HiGHS). For exact payoffs the float optimum
proposes supports S (rows) and T (columns); the indifference systems on them are solved exactly
(:func:`solver.core.linear.solve_any`), and the pair is accepted only if its two guarantees
coincide exactly, min_j (xᵀA)_j = max_i (Ay)_i, which proves both strategies optimal and the
common number the value. When that fails (e.g. rounding picked a wrong support in a degenerate
game) the exact simplex method solves the LP above on integers (A' scaled to positive integers),
with the lexicographic rule for the leaving variable [Dantzig, Orden & Wolfe 1955], which cannot
cycle (:class:`solver.core.linear.IntegerTableau`); the row player's x is read from the optimal
dual prices, the reduced costs of the slack variables.

The result holds that one optimal pair and the row player's value; all optimal pairs share it.

References:
    J. von Neumann (1928), "Zur Theorie der Gesellschaftsspiele", Math. Annalen 100, 295–320.
    G. B. Dantzig (1951), "A proof of the equivalence of the programming problem and the game
    problem", in Activity Analysis of Production and Allocation, 330–335.
    G. B. Dantzig, A. Orden, P. Wolfe (1955), "The generalized simplex method for minimizing a
    linear form under linear inequality restraints", Pacific Journal of Mathematics 5, 183–195.
    B. von Stengel (2002), "Computing equilibria for two-person games", Handbook of Game Theory
    vol. 3, ch. 45.

>>> import numpy as np
>>> rps = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], dtype=object)
>>> result = solve_zero_sum(rps, -rps)
>>> result.value, [str(p) for p in result.profiles[0][0]], result.label
(Fraction(0, 1), ['1/3', '1/3', '1/3'], 'zero-sum (linear programming)')
"""
from __future__ import annotations

from fractions import Fraction

import numpy as np

from solver.core import numbers, regret
from solver.core.deadline import DeadlinePassed, check
from solver.core.linear import IntegerTableau, solve_any
from solver.core.regret import is_constant_sum
from solver.equilibria.result import DEADLINE, INFO, AlgorithmResult, Note

__all__ = ["is_constant_sum", "solve_zero_sum"]

LABEL = "zero-sum (linear programming)"
ONE_PAIR = Note(INFO, "linear programming gives one optimal strategy pair; all optimal pairs share the value")


def solve_zero_sum(A, B, *, deadline: float | None = None) -> AlgorithmResult:
    """One optimal strategy pair of the constant-sum game (A, B) and the row player's value.

    The profile is ``((x_1, ..., x_m), (y_1, ..., y_n))`` with ``Fraction`` values and a
    ``Fraction`` value for exact payoffs, floats otherwise; ``complete`` is False (other optimal
    pairs may exist). Raises ``ValueError`` when the game is not constant-sum. ``deadline`` is
    checked between the exact simplex method's pivots.
    """
    A_arr, B_arr = np.asarray(A), np.asarray(B)
    if A_arr.ndim != 2 or A_arr.shape != B_arr.shape or 0 in A_arr.shape:
        raise ValueError(f"A and B must be non-empty matrices of one shape, got {A_arr.shape} and {B_arr.shape}")
    if not is_constant_sum(A_arr, B_arr):
        raise ValueError("the game is not constant-sum")
    try:
        if numbers.is_exact_array(A_arr) and numbers.is_exact_array(B_arr):
            payoffs = np.stack([A_arr, B_arr]).astype(object)
            x, y, value = _exact_solution(numbers.exact_array(A_arr), deadline)
            if not regret.is_nash(payoffs, [x, y]):
                raise AssertionError("exact zero-sum solution fails the regret check; this is a bug")
        else:
            x, y, value = _float_game_solution(A_arr.astype(float), B_arr.astype(float), deadline)
    except DeadlinePassed:
        return AlgorithmResult("zero-sum", (), False, label=LABEL, notes=(Note(DEADLINE),))
    return AlgorithmResult("zero-sum", ((tuple(x), tuple(y)),), False, label=LABEL, notes=(ONE_PAIR,), value=value)


def _float_game_solution(A: np.ndarray, B: np.ndarray, deadline):
    """(x, y, value) as floats: HiGHS, or the exact method on the floats' exact values."""
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise ValueError("payoffs must be finite")
    payoffs = np.stack([A, B])
    x, y, value = _float_solution(A)
    if not regret.is_nash(payoffs, [x, y]):
        # HiGHS works to ~1e-9 feasibility; if that is not enough here, solve the exact values
        # of the floats exactly and round once at the end.
        xe, ye, value = _exact_solution(numbers.exact_array(A), deadline)
        x, y, value = np.array(xe, dtype=float), np.array(ye, dtype=float), float(value)
        if not regret.is_nash(payoffs, [x, y]):
            raise AssertionError("float zero-sum solution fails the regret check")
    return [float(v) for v in x], [float(v) for v in y], float(value)


def _float_solution(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Optimal strategies and value by HiGHS on the standard-form LP and its dual."""
    # scipy.optimize is slow to import and only floats need it: load it here
    from scipy.optimize import linprog

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


def _exact_solution(A: np.ndarray, deadline) -> tuple[list[Fraction], list[Fraction], Fraction]:
    """(x, y, value) exactly: supports proposed by HiGHS and proved, else the exact simplex method."""
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
                return x, y, Fraction(lower)
    return _simplex_solution(A, deadline)


def _indifferent_strategy(M: np.ndarray, support: list[int], opponents: list[int]) -> list[Fraction] | None:
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
    out = [Fraction(0)] * M.shape[1]
    for s, value in zip(support, p):
        out[s] = value
    return out


def _simplex_solution(A: np.ndarray, deadline) -> tuple[list[Fraction], list[Fraction], Fraction]:
    """Exact simplex on max 1ᵀw s.t. A'w ≤ 1, w ≥ 0, with A' a positive integer image of A.

    Variables: w_j are 0..n-1, the slacks of the rows n..n+m-1 (the first basis and the
    lexicographic order), and the objective value ``"z"``, a free variable in a row of its own
    (z − Σ_j w_j = 0). The entering variable has the most negative reduced cost (Dantzig's rule);
    the leaving one comes from the lexicographic ratio test.
    """
    m, n = A.shape
    matrix = numbers.positive_integer_matrix(A).tolist()
    slacks = range(n, n + m)
    tableau = IntegerTableau([row + [1] for row in matrix] + [[-1] * n + [0]], basic=[*slacks, "z"],
                             nonbasic=range(n), free=("z",))
    objective = m                                       # the row of z
    while True:
        check(deadline)
        costs = tableau.rows[objective][:-1]
        c = min(range(len(costs)), key=costs.__getitem__)
        if costs[c] >= 0:
            break
        r = tableau.lex_min_ratio(c, slacks)
        if r is None:
            raise AssertionError("unbounded LP in a zero-sum game; this is a bug")
        tableau.pivot(r, c)
    w = [tableau.value(j) for j in range(n)]
    u = [Fraction(tableau.entry(objective, s), tableau.det) for s in slacks]   # dual prices of A'w <= 1
    total = sum(w)
    x = [ui / total for ui in u]
    y = [wj / total for wj in w]
    value = min(sum(x[i] * A[i, j] for i in range(m)) for j in range(n))   # what x guarantees: the value
    return x, y, Fraction(value)
