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
decides anything (:class:`solver.core.linear.IntegerTableau`). Degenerate polytopes (several bases
for one vertex: equal payoffs, duplicated or weakly dominated strategies, all-zero payoffs) are
handled by the lexicographic perturbation of the right-hand side, 1 + (ε, ε², …, εᵏ): the
perturbed polytope is simple, its vertices are the lexicographically feasible bases, each of which
has exactly one neighbour per non-basic variable (found by the lexicographic ratio test [Dantzig,
Orden & Wolfe 1955], the slack columns breaking ties), its graph is connected, and every vertex
of the original polytope is the point of at least one such basis. A breadth-first search over
that graph from the origin therefore reaches every vertex; a vertex is identified by its exact set
of tight inequalities, which also is its label set.

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
computed exactly and returned as floats. The connected components of the extreme equilibria
(:mod:`solver.equilibria.components`) with more than one member are reported as families.

References:
    D. Avis, G. D. Rosenberg, R. Savani, B. von Stengel (2010), "Enumeration of Nash equilibria
    for two-player games", Economic Theory 42, 9–37.
    B. von Stengel (2002), "Computing equilibria for two-person games", Handbook of Game Theory
    vol. 3, ch. 45.
    D. Avis (2000), "lrs: a revised implementation of the reverse search vertex enumeration
    algorithm", in Polytopes — Combinatorics and Computation, 177–198.
    C. B. Barber, D. P. Dobkin, H. Huhdanpaa (1996), "The Quickhull algorithm for convex hulls",
    ACM Transactions on Mathematical Software 22, 469–483.

>>> A = [[2, 0], [0, 1]]   # battle of the sexes
>>> B = [[1, 0], [0, 2]]
>>> result = enumerate_extreme_equilibria(A, B)
>>> [tuple(tuple(str(v) for v in p) for p in profile) for profile in result.profiles]
[(('1', '0'), ('1', '0')), (('0', '1'), ('0', '1')), (('2/3', '1/3'), ('1/3', '2/3'))]
>>> result.complete, result.label
(True, 'vertex-enumeration')
"""
from __future__ import annotations

from collections import deque
from dataclasses import replace
from fractions import Fraction

import numpy as np

from solver.core import numbers, regret
from solver.core.deadline import expired
from solver.core.linear import IntegerTableau, solve_integer
from solver.core.profiles import pure_first_order
from solver.equilibria.components import equilibrium_families
from solver.equilibria.result import CONSTANT_SUM, DEADLINE, AlgorithmResult, Note

#: What the result's label says about the method.
METHOD = "vertex-enumeration"

# Check the deadline once per this many visited bases (time.monotonic() costs ~50 ns, a basis ~50 µs).
_DEADLINE_STRIDE = 16
# Above this many labels Qhull's float vertex proposals could themselves be slow to compute.
_QHULL_MAX_LABELS = 40


def enumerate_extreme_equilibria(A, B, *, deadline: float | None = None) -> AlgorithmResult:
    """Every extreme Nash equilibrium of the bimatrix game (A, B), with the components they span.

    ``A`` and ``B`` are the row and column player's payoffs, shape (m, n). The profiles are
    ``((x_1, ..., x_m), (y_1, ..., y_n))``, exact ``Fraction`` values for exact inputs (int /
    Fraction) and floats for float inputs (solved exactly, then rounded), pure ones first
    (:func:`~solver.core.profiles.pure_first_order`). ``families`` are the connected components
    with more than one extreme equilibrium (continua of equilibria). A constant-sum game gets a
    note and its value. ``deadline`` is a ``time.monotonic()`` value after which the search stops
    and returns what it has, with ``complete=False`` and a deadline note.
    """
    A_arr, B_arr = np.asarray(A), np.asarray(B)
    if A_arr.ndim != 2 or A_arr.shape != B_arr.shape or 0 in A_arr.shape:
        raise ValueError(f"A and B must be non-empty matrices of one shape, got {A_arr.shape} and {B_arr.shape}")
    exact = numbers.is_exact_array(A_arr) and numbers.is_exact_array(B_arr)
    payoffs = np.stack([numbers.exact_array(A_arr), numbers.exact_array(B_arr)])
    A_int = numbers.positive_integer_matrix(payoffs[0]).tolist()
    B_int = numbers.positive_integer_matrix(payoffs[1]).tolist()
    pairs, complete = _completely_labelled_pairs(A_int, B_int, deadline)

    profiles = []
    for x_point, y_point in pairs:
        if not _is_equilibrium(A_int, B_int, x_point[0], y_point[0]):
            raise AssertionError("vertex enumeration produced a non-equilibrium; this is a bug")
        profiles.append((_normalise(x_point), _normalise(y_point)))
    profiles.sort(key=pure_first_order)
    families = equilibrium_families(profiles)
    if not exact:
        profiles = [tuple(tuple(float(v) for v in p) for p in profile) for profile in profiles]
        families = tuple(replace(f, extreme_points=tuple(profiles[k] for k in f.members)) for f in families)
    checked = payoffs if exact else np.stack([A_arr.astype(float), B_arr.astype(float)])
    # The project-wide check; for float games it applies to the rounded output.
    if not all(regret.is_nash(checked, list(profile)) for profile in profiles):
        raise AssertionError("an extreme equilibrium fails regret.is_nash; this is a bug")

    notes, value = [], None
    if not complete:
        notes.append(Note(DEADLINE))
    if regret.is_constant_sum(A_arr, B_arr):
        notes.append(Note(CONSTANT_SUM))
        if profiles:
            x, y = (np.asarray(p, dtype=object if exact else float) for p in profiles[0])
            value = numbers.clean(x @ checked[0] @ y)
    return AlgorithmResult("enumerate", tuple(profiles), complete, label=METHOD, families=families,
                           notes=tuple(notes), value=value)


def _completely_labelled_pairs(A_int: list[list[int]], B_int: list[list[int]], deadline):
    """The (x_point, y_point) vertex pairs for positive integer payoffs and whether the list is
    complete, enumerating the polytope with fewer vertices first."""
    # Constraint matrices of P = {x >= 0 : B'ᵀx <= 1} and Q = {y >= 0 : A'y <= 1}, and Qhull's
    # float proposals for their vertices (None when unavailable).
    P_candidates = _qhull_tight_sets(_transpose(B_int))
    Q_candidates = _qhull_tight_sets(A_int)
    if P_candidates is not None and Q_candidates is not None:
        search_P = len(P_candidates) <= len(Q_candidates)  # the work is per vertex searched
    else:
        search_P = len(A_int) <= len(A_int[0])  # the player with fewer strategies usually has fewer vertices
    if search_P:
        return _extreme_pairs(A_int, B_int, deadline, P_candidates, Q_candidates)
    # the same search on the transposed game enumerates Q first
    transposed, complete = _extreme_pairs(_transpose(B_int), _transpose(A_int), deadline, Q_candidates, P_candidates)
    return [(x, y) for y, x in transposed], complete


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

    A_float = _unit_scaled(A)
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
        if count % _DEADLINE_STRIDE == 0 and expired(deadline):
            return pairs, False
        mask, x_point = x_items[index]
        solution = solve_integer([[A[i][j] for j in responses] for i in support], [1] * len(support))
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


def _unit_scaled(M: list[list[int]]) -> np.ndarray:
    """The positive integer matrix ``M`` divided by its largest entry, in floats. Integers past
    the float range (payoffs near 1e300 times a common denominator) are divided exactly first."""
    try:
        scaled = np.array(M, dtype=float)
    except OverflowError:
        top = max(max(row) for row in M)
        return np.array([[value / top for value in row] for row in M], dtype=float)
    return scaled / scaled.max()


def _qhull_tight_sets(M: list[list[int]]) -> list[int] | None:
    """Float proposals for the vertices of {z >= 0 : M z <= 1} as tight-set bit masks (bit v < d:
    z_v = 0, bit d + r: row r tight), from Qhull's halfspace intersection; None if unavailable."""
    k, d = len(M), len(M[0])
    if k + d > _QHULL_MAX_LABELS or d < 2:
        return None
    try:
        # scipy.spatial is slow to import and the proposals are optional: load it only here
        from scipy.spatial import HalfspaceIntersection

        Mf = _unit_scaled(M)
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
        if count % _DEADLINE_STRIDE == 0 and expired(deadline):
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
            solution = solve_integer([[M[r][v] for v in support] for r in rows], [1] * len(rows))
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


def _normalise(point: tuple[tuple[int, ...], int]) -> tuple[Fraction, ...]:
    numerators, _denominator = point
    total = sum(numerators)
    return tuple(Fraction(v, total) for v in numerators)


def _vertices(M: list[list[int]], deadline: float | None, candidates: list[int] | None = None):
    """Vertices of {z >= 0 : M z <= 1} for a positive integer k×d matrix M.

    Returns ``({tight_mask: (numerators, denominator)}, complete)``: for each vertex, the bit
    mask of its tight inequalities (bit v < d: z_v = 0; bit d + r: row r of M z <= 1) and its
    coordinates z_v = numerators[v] / denominator. Float ``candidates`` (tight-set masks) are
    proved exactly when they can be; otherwise the exact lexicographic search runs: a breadth-first
    search over the lexicographically feasible bases, the slack variables giving the order.
    """
    if candidates is not None:
        proved = _prove_vertices(M, candidates, deadline)
        if proved is not None:
            return proved
    k, d = len(M), len(M[0])
    slacks = range(d, d + k)
    start_key = sum(1 << v for v in slacks)
    visited = {start_key}
    queue = deque([(IntegerTableau([row + [1] for row in M], basic=slacks, nonbasic=range(d)), start_key)])
    vertices: dict[int, tuple[tuple[int, ...], int]] = {}
    count = 0
    while queue:
        count += 1
        if count % _DEADLINE_STRIDE == 0 and expired(deadline):
            return vertices, False
        tableau, key = queue.popleft()
        tight = 0
        coords = [0] * d
        for v in tableau.nonbasic:
            tight |= 1 << v
        for row, v in zip(tableau.rows, tableau.basic):
            if row[-1] == 0:
                tight |= 1 << v
            elif v < d:
                coords[v] = row[-1]
        if tight not in vertices:
            vertices[tight] = (tuple(coords), tableau.det)
        for c, entering in enumerate(tableau.nonbasic):
            r = tableau.lex_min_ratio(c, slacks)
            if r is None:
                raise AssertionError("unbounded edge in a bounded polytope; this is a bug")
            new_key = key ^ (1 << tableau.basic[r]) ^ (1 << entering)
            if new_key not in visited:
                visited.add(new_key)
                queue.append((tableau.pivoted(r, c), new_key))
    return vertices, True


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
