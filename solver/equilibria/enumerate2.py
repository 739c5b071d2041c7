"""All extreme Nash equilibria of a bimatrix game, exactly, degenerate games included.

Method: vertex enumeration of the two best-response polytopes [von Stengel 2002, §3;
Avis, Rosenberg, Savani & von Stengel 2010]. After shifting each player's payoffs to positive
integers (which leaves the equilibria unchanged),

    P = {x ∈ R^m : x ≥ 0, Bᵀx ≤ 1},        Q = {y ∈ R^n : A y ≤ 1, y ≥ 0}.

Label the m + n inequalities of each polytope by the pure strategies: in P, label i (a row) means
``x_i = 0`` and label m + j (a column) means ``(Bᵀx)_j = 1``; in Q, label i means ``(Ay)_i = 1`` and
label m + j means ``y_j = 0``. A pair of vertices (x, y) ≠ (0, 0) is *completely labelled* when
every label is tight at x or at y; normalised, these pairs are exactly the extreme equilibria —
the vertices of the maximal Nash subsets, the set Gambit's ``enummixed`` reports
[Avis et al. 2010, §2; Mangasarian 1964].

Vertices are enumerated exactly, with integer (fraction-free) pivoting on a dictionary whose
entries are minors of the constraint matrix [Edmonds 1967; Avis 2000, *lrs*], so no rounding ever
decides anything. Degenerate polytopes (several bases for one vertex: equal payoffs, duplicated or
weakly dominated strategies, all-zero payoffs) are handled by the lexicographic perturbation of
the right-hand side, 1 + (ε, ε², …, εᵏ): the perturbed polytope is simple, its vertices are the
lexicographically feasible bases, each of which has exactly one neighbour per non-basic
variable (found by the lexicographic ratio test [Dantzig, Orden & Wolfe 1955]), its graph is
connected, and every vertex of the original polytope is the point of at least one such basis.
A breadth-first search over that graph from the origin therefore reaches every vertex; a vertex
is identified by its exact set of tight inequalities, which also is its label set.

Ratio tests compare quotients of big integers through Python's correctly rounded ``int / int``:
since rounding is monotone, a strictly smaller float quotient proves a strictly smaller exact
one, and only float ties are compared exactly (cross-multiplication, then lexicographically).

Fast path for non-degenerate games (measured 2–3× faster at 12×12, see
``benchmarks/bench_enumerate2.py``): a float halfspace intersection (Qhull [Barber, Dobkin &
Huhdanpaa 1996]) proposes each polytope's vertices as sets of m tight inequalities. Each proposal
is *proved* exactly — its square system solved with integers, every other inequality strictly
slack — and the proposals must be closed under adjacency: every edge (a vertex's tight set less
one inequality) must be shared by exactly two proved vertices. Proved simple vertices closed
under adjacency are all the vertices (a polytope's graph is connected), so the result is exact;
on any failure (degeneracy, rounding) the exact search above runs instead. Only one polytope —
the one with fewer vertices — is enumerated when it is simple: the partner of a vertex x is the
unique y with the complementary labels [Avis et al. 2010, §5 (lrsnash)], solved exactly after a
conservative float screen (condition number < 1e6, violation > 1e-6) drops hopeless systems.

Float payoffs are converted exactly (``Fraction(float)``, as Gambit does), the equilibria are
computed exactly and returned as floats.

References:
    D. Avis, G. D. Rosenberg, R. Savani, B. von Stengel (2010), "Enumeration of Nash equilibria
    for two-player games", Economic Theory 42, 9–37.
    B. von Stengel (2002), "Computing equilibria for two-person games", Handbook of Game Theory
    vol. 3, ch. 45.
    D. Avis (2000), "lrs: a revised implementation of the reverse search vertex enumeration
    algorithm", in Polytopes — Combinatorics and Computation, 177–198.
    C. B. Barber, D. P. Dobkin, H. Huhdanpaa (1996), "The Quickhull algorithm for convex hulls",
    ACM Transactions on Mathematical Software 22, 469–483.

>>> import numpy as np
>>> A = np.array([[2, 0], [0, 1]], dtype=object)   # battle of the sexes
>>> B = np.array([[1, 0], [0, 2]], dtype=object)
>>> result = enumerate_extreme_equilibria(A, B)
>>> [(list(map(str, x)), list(map(str, y))) for x, y in result.equilibria]
[(['0', '1'], ['0', '1']), (['2/3', '1/3'], ['1/3', '2/3']), (['1', '0'], ['1', '0'])]
>>> result.complete
True
"""
from __future__ import annotations

import math
import time
from collections import deque
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from solver.core import numbers, regret

METHOD = "vertex-enumeration"

# Check the deadline once per this many visited bases (time.monotonic() costs ~50 ns, a basis ~50 µs).
_DEADLINE_STRIDE = 16
# Above this many labels Qhull's float vertex proposals could themselves be slow to compute.
_QHULL_MAX_LABELS = 40


@dataclass(frozen=True)
class BimatrixEquilibria:
    """The extreme equilibria (x, y) of a bimatrix game.

    ``equilibria`` holds object arrays of ``Fraction`` for exact payoffs, float64 arrays otherwise,
    sorted lexicographically by x then y. ``complete`` is False when a deadline stopped the
    enumeration (every listed pair is still a verified equilibrium).
    """

    equilibria: tuple[tuple[np.ndarray, np.ndarray], ...]
    complete: bool
    method: str


def enumerate_extreme_equilibria(A, B, *, deadline: float | None = None) -> BimatrixEquilibria:
    """Every extreme Nash equilibrium of the bimatrix game (A, B).

    ``A`` and ``B`` are the row and column player's payoffs, shape (m, n). Exact inputs (int /
    Fraction) give exact ``Fraction`` outputs; float inputs are solved exactly and returned as
    floats. ``deadline`` is a ``time.monotonic()`` value after which the search stops and
    returns what it has, with ``complete=False``.
    """
    A_arr, B_arr = np.asarray(A), np.asarray(B)
    if A_arr.ndim != 2 or A_arr.shape != B_arr.shape or 0 in A_arr.shape:
        raise ValueError(f"A and B must be non-empty matrices of one shape, got {A_arr.shape} and {B_arr.shape}")
    exact = numbers.is_exact_array(A_arr) and numbers.is_exact_array(B_arr)
    m, n = A_arr.shape

    A_int = _positive_integer_matrix(A_arr)
    B_int = _positive_integer_matrix(B_arr)
    # Constraint matrices of P = {x >= 0 : B'ᵀx <= 1} and Q = {y >= 0 : A'y <= 1}, and Qhull's
    # float proposals for their vertices (None when unavailable).
    P_candidates = _qhull_tight_sets(_transpose(B_int))
    Q_candidates = _qhull_tight_sets(A_int)
    if P_candidates is not None and Q_candidates is not None:
        search_P = len(P_candidates) <= len(Q_candidates)  # the work is per vertex searched
    else:
        search_P = m <= n  # the player with fewer strategies usually has fewer vertices
    if search_P:
        pairs, complete = _extreme_pairs(A_int, B_int, deadline, P_candidates, Q_candidates)
    else:  # the same search on the transposed game enumerates Q first
        transposed, complete = _extreme_pairs(_transpose(B_int), _transpose(A_int), deadline,
                                              Q_candidates, P_candidates)
        pairs = [(x, y) for y, x in transposed]

    payoffs = (np.stack([_exact_array(A_arr), _exact_array(B_arr)]) if exact
               else np.stack([A_arr.astype(float), B_arr.astype(float)]))
    found = []
    for x_point, y_point in pairs:
        if not _is_equilibrium(A_int, B_int, x_point[0], y_point[0]):
            raise AssertionError("vertex enumeration produced a non-equilibrium; this is a bug")
        x, y = _normalise(x_point), _normalise(y_point)
        if not exact:
            x, y = x.astype(float), y.astype(float)
        # The project-wide check; for float games it applies to the rounded output.
        if not regret.is_nash(payoffs, [x, y]):
            raise AssertionError("an exact equilibrium fails regret.is_nash; this is a bug")
        found.append((x, y))
    found.sort(key=lambda pair: (tuple(pair[0]), tuple(pair[1])))
    return BimatrixEquilibria(tuple(found), complete, METHOD)


def _extreme_pairs(A, B, deadline, P_candidates, Q_candidates):
    """Completely labelled vertex pairs of P and Q for positive integer payoffs A, B (m×n).

    Returns ``([(x_point, y_point), ...], complete)`` with points as (numerators, denominator),
    not normalised. P is always enumerated. When P is simple (every vertex has exactly m tight
    inequalities) the partner of each vertex is solved for directly (``_partners_by_solving``);
    otherwise, or when such a system is singular, Q is enumerated as well and vertex pairs are
    matched by their label masks.
    """
    m, n = len(A), len(A[0])
    P_vertices, complete = _vertices(_transpose(B), deadline, P_candidates)
    row_mask = (1 << m) - 1
    x_items = [(mask, point) for mask, point in P_vertices.items() if mask & row_mask != row_mask]
    if complete:
        pairs = _partners_by_solving(A, x_items, deadline)
        if pairs is not None:
            return pairs
    # Q = {y >= 0 : A y <= 1}: variables y_j are labels m + j, slacks of row i are labels i.
    Q_vertices, Q_complete = _vertices(A, deadline, Q_candidates)
    low_n = (1 << n) - 1
    y_items = [(((mask & low_n) << m) | (mask >> n), point) for mask, point in Q_vertices.items()
               if mask & low_n != low_n]
    index_pairs = _complementary_pairs([mask for mask, _ in x_items], [mask for mask, _ in y_items], m + n)
    return [(x_items[i][1], y_items[j][1]) for i, j in index_pairs], complete and Q_complete


def _partners_by_solving(A, x_items, deadline):
    """Partners in Q of the vertices of a simple P: ``([(x_point, y_point)], complete)``, or None
    when P is not simple or a partner system is singular (then Q must be enumerated).

    A vertex x with exactly m labels needs a y with the other n: y_j = 0 off the best responses J
    to x and (A y)_i = 1 on S = supp(x), with |J| = |S|; if A_{S,J} is non-singular that y is
    unique, hence a vertex of Q when feasible [Avis et al. 2010, §5]. The systems are first
    solved in floats, batched by size: one whose float solution violates y >= 0 or A y <= 1 by
    more than 1e-6 (relative) while its condition number is below 1e6 — so the float error is
    around 1e-9 or less — is dropped; every other one is solved and checked exactly.
    """
    m, n = len(A), len(A[0])
    by_size: dict[int, list[tuple[int, list[int], list[int]]]] = {}
    for index, (mask, _point) in enumerate(x_items):
        if bin(mask).count("1") != m:
            return None  # degenerate vertex: its partner face may be more than a point
        support = [i for i in range(m) if not mask >> i & 1]
        responses = [j for j in range(n) if mask >> (m + j) & 1]
        by_size.setdefault(len(support), []).append((index, support, responses))

    A_float = np.array(A, dtype=float)
    A_float /= A_float.max()
    candidates = []
    for size, items in by_size.items():
        S = np.array([item[1] for item in items])
        J = np.array([item[2] for item in items])
        systems = A_float[S[:, :, None], J[:, None, :]]
        with np.errstate(all="ignore"):
            cond = np.linalg.cond(systems)
        solvable = np.isfinite(cond) & (cond < 1e6)
        drop = np.zeros(len(items), dtype=bool)
        if solvable.any():
            y = np.linalg.solve(systems[solvable], np.ones((int(solvable.sum()), size, 1)))[..., 0]
            payoffs = np.einsum("mks,ks->km", A_float[:, J[solvable]], y)
            y_scale = np.abs(y).sum(axis=1)
            hopeless = ((y.min(axis=1) < -1e-6 * y_scale)
                        | (payoffs.max(axis=1) > 1 + 1e-6 * np.maximum(1.0, y_scale)))
            drop[np.flatnonzero(solvable)[hopeless]] = True
        candidates.extend(item for item, dropped in zip(items, drop) if not dropped)
    candidates.sort()

    pairs = []
    for count, (index, support, responses) in enumerate(candidates):
        if deadline is not None and count % _DEADLINE_STRIDE == 0 and time.monotonic() > deadline:
            return pairs, False
        mask, x_point = x_items[index]
        solution = _solve_integer([[A[i][j] for j in responses] for i in support], [1] * len(support))
        if solution is None:
            return None  # singular: Q is degenerate along this face
        numerators, det = solution
        if any(v < 0 for v in numerators):
            continue
        if any(sum(A[i][j] * v for j, v in zip(responses, numerators)) > det
               for i in range(m) if mask >> i & 1):
            continue
        y = [0] * n
        for j, v in zip(responses, numerators):
            y[j] = v
        pairs.append((x_point, (tuple(y), det)))
    return pairs, True


def _is_equilibrium(A: list[list[int]], B: list[list[int]], x: tuple[int, ...], y: tuple[int, ...]) -> bool:
    """Exact best-response check on the shifted integer payoffs (x, y unnormalised, >= 0)."""
    row_payoffs = [sum(a * v for a, v in zip(row, y)) for row in A]
    column_payoffs = [sum(B[i][j] * x[i] for i in range(len(x))) for j in range(len(y))]
    best_row, best_column = max(row_payoffs), max(column_payoffs)
    return (all(v >= 0 for v in x) and all(v >= 0 for v in y) and any(x) and any(y)
            and all(p == best_row for p, v in zip(row_payoffs, x) if v)
            and all(p == best_column for p, v in zip(column_payoffs, y) if v))


def _solve_integer(M: list[list[int]], b: list[int]):
    """Solve the square integer system M z = b: fraction-free (Bareiss) elimination, then
    back-substitution for the integers det·z (exact divisions, by Cramer's rule).

    Returns ``(numerators, det)`` with det > 0 and z = numerators / det, or None when singular.
    """
    k = len(M)
    a = [row[:] + [rhs] for row, rhs in zip(M, b)]
    prev = 1
    for c in range(k):
        r = next((i for i in range(c, k) if a[i][c] != 0), None)
        if r is None:
            return None
        a[c], a[r] = a[r], a[c]
        pivot_row = a[c]
        p = pivot_row[c]
        tail = pivot_row[c + 1:]
        for i in range(c + 1, k):
            row = a[i]
            f = row[c]
            a[i] = row[:c + 1] + [(p * u - f * w) // prev for u, w in zip(row[c + 1:], tail)]
        prev = p
    det = prev  # ± det(M): the last Bareiss pivot
    numerators = [0] * k
    for c in range(k - 1, -1, -1):
        row = a[c]
        numerators[c] = (det * row[k] - sum(row[j] * numerators[j] for j in range(c + 1, k))) // row[c]
    if det < 0:
        det, numerators = -det, [-v for v in numerators]
    return numerators, det


def _qhull_tight_sets(M: list[list[int]]) -> list[int] | None:
    """Float proposals for the vertices of {z >= 0 : M z <= 1} as tight-set bit masks (bit v < d:
    z_v = 0, bit d + r: row r tight), from Qhull's halfspace intersection; None if unavailable."""
    k, d = len(M), len(M[0])
    if k + d > _QHULL_MAX_LABELS or d < 2:
        return None
    try:
        from scipy.spatial import HalfspaceIntersection

        Mf = np.array(M, dtype=float)
        Mf /= Mf.max()
        halfspaces = np.vstack([np.hstack([-np.eye(d), np.zeros((d, 1))]), np.hstack([Mf, -np.ones((k, 1))])])
        # (1/(2d), ..., 1/(2d)) is strictly inside: z > 0 and M z <= 1/2 since M <= 1.
        hull = HalfspaceIntersection(halfspaces, np.full(d, 0.5 / d))
        return [sum(1 << int(t) for t in tight) for tight in hull.dual_facets]
    except Exception:  # Qhull declines some degenerate inputs; the proposals are optional
        return None


def _prove_vertices(M: list[list[int]], candidates: list[int], deadline: float | None):
    """Exactly prove that ``candidates`` are all the vertices of a simple {z >= 0 : M z <= 1}.

    Returns ``(vertices, complete)`` as ``_vertices`` does, or None when any proposal is not a
    simple vertex or the proposals are not closed under adjacency.
    """
    k, d = len(M), len(M[0])
    vertices: dict[int, tuple[tuple[int, ...], int]] = {}
    edge_ends: dict[int, int] = {}
    for count, mask in enumerate(candidates):
        if deadline is not None and count % _DEADLINE_STRIDE == 0 and time.monotonic() > deadline:
            return vertices, False
        if bin(mask).count("1") != d or mask in vertices:
            return None
        support = [v for v in range(d) if not mask >> v & 1]
        rows = [r for r in range(k) if mask >> (d + r) & 1]
        if len(rows) != len(support):
            return None
        coords = [0] * d
        det = 1
        if support:
            solution = _solve_integer([[M[r][v] for v in support] for r in rows], [1] * len(rows))
            if solution is None:
                return None
            numerators, det = solution
            if any(v <= 0 for v in numerators):  # must be strictly inside z_v >= 0 off the mask
                return None
            for r in range(k):
                if not mask >> (d + r) & 1 and sum(M[r][v] * z for v, z in zip(support, numerators)) >= det:
                    return None
            for v, z in zip(support, numerators):
                coords[v] = z
        vertices[mask] = (tuple(coords), det)
        bit = mask
        while bit:
            low = bit & -bit
            edge = mask ^ low
            edge_ends[edge] = edge_ends.get(edge, 0) + 1
            bit ^= low
    if any(ends != 2 for ends in edge_ends.values()):
        return None
    return vertices, True


def _transpose(M: list[list[int]]) -> list[list[int]]:
    return [list(col) for col in zip(*M)]


def _exact_array(M: np.ndarray) -> np.ndarray:
    """``M`` with every entry an exact ``Fraction``/int (floats converted without rounding)."""
    out = np.empty(M.shape, dtype=object)
    for index, value in np.ndenumerate(M):
        if isinstance(value, (int, Fraction, np.integer)) and not isinstance(value, bool):
            out[index] = Fraction(int(value)) if isinstance(value, np.integer) else Fraction(value)
        else:
            value = float(value)
            if not math.isfinite(value):
                raise ValueError(f"payoffs must be finite, got {value}")
            out[index] = Fraction(value)
    return out


def _positive_integer_matrix(M: np.ndarray) -> list[list[int]]:
    """A positive affine image of ``M`` with integer entries >= 1 (same best responses)."""
    exact = _exact_array(M)
    scale = 1
    for value in exact.flat:
        scale = math.lcm(scale, value.denominator)
    ints = [[int(value * scale) for value in row] for row in exact]
    low = min(min(row) for row in ints)
    return [[value - low + 1 for value in row] for row in ints]


def _normalise(point: tuple[tuple[int, ...], int]) -> np.ndarray:
    numerators, _denominator = point
    total = sum(numerators)
    return np.array([Fraction(v, total) for v in numerators], dtype=object)


def _vertices(M: list[list[int]], deadline: float | None, candidates: list[int] | None = None):
    """Vertices of {z >= 0 : M z <= 1} for a positive integer k×d matrix M.

    Returns ``({tight_mask: (numerators, denominator)}, complete)``: for each vertex, the bit
    mask of its tight inequalities (bit v < d: z_v = 0; bit d + r: row r of M z <= 1) and its
    coordinates z_v = numerators[v] / denominator. Float ``candidates`` (tight-set masks) are
    proved exactly when they can be; otherwise the exact lexicographic search runs.
    """
    if candidates is not None:
        proved = _prove_vertices(M, candidates, deadline)
        if proved is not None:
            return proved
    k, d = len(M), len(M[0])
    # Dictionary D·x_basic + T·x_nonbasic = rhs, stored as rows [T | rhs], integer entries.
    table = [row[:] + [1] for row in M]
    basic = list(range(d, d + k))
    nonbasic = list(range(d))
    start_key = sum(1 << v for v in basic)
    visited = {start_key}
    queue = deque([(table, 1, basic, nonbasic, start_key)])
    vertices: dict[int, tuple[tuple[int, ...], int]] = {}
    count = 0
    while queue:
        count += 1
        if deadline is not None and count % _DEADLINE_STRIDE == 0 and time.monotonic() > deadline:
            return vertices, False
        table, det, basic, nonbasic, key = queue.popleft()

        tight = 0
        coords = [0] * d
        for v in nonbasic:
            tight |= 1 << v
        for r, v in enumerate(basic):
            value = table[r][d]
            if value == 0:
                tight |= 1 << v
            elif v < d:
                coords[v] = value
        if tight not in vertices:
            vertices[tight] = (tuple(coords), det)

        lex_cache: list[list[int]] = []

        def lex_columns(basic=basic, nonbasic=nonbasic, cache=lex_cache) -> list[int]:
            if not cache:  # built once per basis, only when a ratio test ties
                codes = [0] * k
                for position, v in enumerate(nonbasic):
                    if v >= d:
                        codes[v - d] = position
                for r, v in enumerate(basic):
                    if v >= d:
                        codes[v - d] = -1 - r
                cache.append(codes)
            return cache[0]

        for c, entering in enumerate(nonbasic):
            r = _lex_ratio_test(table, det, c, d, lex_columns)
            leaving = basic[r]
            new_key = key ^ (1 << leaving) ^ (1 << entering)
            if new_key in visited:
                continue
            visited.add(new_key)
            new_table = _pivot(table, det, r, c)
            new_basic = basic[:]
            new_basic[r] = entering
            new_nonbasic = nonbasic[:]
            new_nonbasic[c] = leaving
            queue.append((new_table, table[r][c], new_basic, new_nonbasic, new_key))
    return vertices, True


def _pivot(table: list[list[int]], det: int, r: int, c: int) -> list[list[int]]:
    """Integer pivot on (r, c): entries stay minors, so the division by ``det`` is exact."""
    pivot_row = table[r]
    p = pivot_row[c]
    new = []
    for i, row in enumerate(table):
        if i == r:
            new_row = pivot_row[:]
            new_row[c] = det
        else:
            f = row[c]
            if f == 0:
                new_row = [(a * p) // det for a in row]
            else:
                new_row = [(a * p - f * b) // det for a, b in zip(row, pivot_row)]
                new_row[c] = -f
        new.append(new_row)
    return new


def _lex_ratio_test(table, det, c, d, lex_columns) -> int:
    """Row that leaves when non-basic column ``c`` enters, by the lexicographic minimum ratio rule.

    The perturbed right-hand side of row r is rhs_r + Σ_j ε^(j+1) · (column of slack j), so ties
    in rhs_r / T[r][c] are broken by the slack columns in order; the minimum is unique because
    those columns form the (scaled) inverse basis. ``lex_columns()`` gives, for each slack j, its
    dictionary column (>= 0) or, when it is basic in row r, the code -1 - r.
    """
    best_rows: list[int] = []
    best = math.inf
    for r, row in enumerate(table):
        a = row[c]
        if a > 0:
            q = row[d] / a  # correctly rounded, hence monotone in the exact quotient
            if q < best:
                best, best_rows = q, [r]
            elif q == best:
                best_rows.append(r)
    if len(best_rows) == 1:
        return best_rows[0]
    if not best_rows:
        raise AssertionError("unbounded edge in a bounded polytope; this is a bug")

    return _break_tie(table, det, c, d, best_rows, lex_columns)


def _break_tie(table, det, c, d, rows: list[int], lex_columns) -> int:
    """Exact lexicographic minimum ratio among ``rows``, one component at a time."""
    candidates = _min_ratio_rows(table, rows, d, c)
    if len(candidates) == 1:
        return candidates[0]
    for code in lex_columns():
        if code >= 0:
            candidates = _min_ratio_rows(table, candidates, code, c)
        else:
            # A basic slack's column is det·e_r: entry 0 in every row but r, so r loses the tie.
            basic_row = -1 - code
            if basic_row in candidates:
                candidates = [r for r in candidates if r != basic_row]
        if len(candidates) == 1:
            return candidates[0]
    raise AssertionError("lexicographic ratio test did not break a tie; this is a bug")


def _min_ratio_rows(table, candidates: list[int], column: int, c: int) -> list[int]:
    """The candidate rows minimising table[r][column] / table[r][c] (denominators > 0), exactly."""
    winner = candidates[0]
    w_num, w_den = table[winner][column], table[winner][c]
    ties = [winner]
    for r in candidates[1:]:
        row = table[r]
        lhs, rhs = row[column] * w_den, w_num * row[c]
        if lhs < rhs:
            w_num, w_den, ties = row[column], row[c], [r]
        elif lhs == rhs:
            ties.append(r)
    return ties


def _complementary_pairs(x_masks: list[int], y_masks: list[int], n_labels: int) -> list[tuple[int, int]]:
    """Index pairs (i, j) with x_masks[i] | y_masks[j] covering all ``n_labels`` labels."""
    full = (1 << n_labels) - 1
    if not x_masks or not y_masks:
        return []
    if n_labels <= 62:
        ys = np.array(y_masks, dtype=np.int64)
        pairs = []
        for i, mask in enumerate(x_masks):
            need = full & ~mask
            for j in np.flatnonzero((ys & need) == need):
                pairs.append((i, int(j)))
        return pairs
    return [(i, j) for i, xm in enumerate(x_masks) for j, ym in enumerate(y_masks) if xm | ym == full]
