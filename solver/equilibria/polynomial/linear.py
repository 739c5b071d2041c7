"""Support systems that are linear: at most two mixing players (exact payoffs).

With one mixing player, or two whose indifference equations each involve only the other's
probabilities, every equation and every constraint is linear in the unknowns, so the solutions
form a polytope (McKelvey and McLennan, Handbook of Computational Economics vol. 1 (1996) ch. 2,
§6). It is solved with exact fractions: an isolated solution directly, a positive-dimensional one
(degenerate games) through its vertices, found by linear programs over the float relaxation and
then re-solved exactly from their active constraints.
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog

from solver.core.deadline import check
from solver.core.linear import rref
from solver.core.numbers import Surd, to_fraction
from solver.equilibria.polynomial.common import FoundFamily, Outcome, full_profile, same_profile, verified
from solver.equilibria.polynomial.simplex import polyhedron_nonempty

#: A constraint within this of 0 at a float LP optimum counts as active.
_ACTIVE_TOLERANCE = 1e-7
#: The strict-feasibility margin (and the tightness test) of the float LPs.
_LP_MARGIN = 1e-9
#: Polytopes with irrational coefficients and at most this many choices of tight constraints have
#: every vertex enumerated exactly.
_MAX_EXACT_VERTEX_BASES = 5000


def _exact(value):
    """An exact coefficient: a :class:`Surd` as it is (irrational payoffs), anything else a ``Fraction``."""
    return value if isinstance(value, Surd) else to_fraction(value)


def _field_rref(rows: list[list], ncols: int) -> tuple[list[list], list[int]]:
    """Reduced row echelon form by Gauss–Jordan elimination over any exact field (here the
    :class:`Surd` numbers, where the integer tableau of :func:`solver.core.linear.rref` does not
    apply); pivots only in the first ``ncols`` columns."""
    rows = [list(r) for r in rows]
    pivots: list[int] = []
    top = 0
    for col in range(ncols):
        pick = next((r for r in range(top, len(rows)) if rows[r][col] != 0), None)
        if pick is None:
            continue
        rows[top], rows[pick] = rows[pick], rows[top]
        lead = rows[top][col]
        rows[top] = [v / lead for v in rows[top]]
        for r in range(len(rows)):
            if r != top and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[top])]
        pivots.append(col)
        top += 1
    return rows[:top], pivots


def _rref(rows: list[list], ncols: int):
    if any(isinstance(v, Surd) for row in rows for v in row):
        return _field_rref(rows, ncols)
    return rref(rows, ncols)


def _affine_solve(A: list[list[Fraction]], b: list[Fraction], n: int):
    """Solutions of A x = b as (x0, basis of the null space) or None if inconsistent."""
    rows, piv = _rref([list(a) + [bb] for a, bb in zip(A, b)], n + 1)
    if piv and piv[-1] == n:
        return None
    x0 = [Fraction(0)] * n
    for row, c in zip(rows, piv):
        x0[c] = row[n]
    free = [c for c in range(n) if c not in piv]
    basis = []
    for f in free:
        v = [Fraction(0)] * n
        v[f] = Fraction(1)
        for row, c in zip(rows, piv):
            v[c] = -row[f]
        basis.append(v)
    return x0, basis


def exact_rank(matrix: list[list[Fraction]]) -> int:
    if not matrix:
        return 0
    return len(_rref(matrix, len(matrix[0]))[1])


def _payoff_matrix(G, i, l, S) -> np.ndarray:
    """Player i's payoffs (all i's strategies x l's support) with everyone else pure at S."""
    t = G[i]
    for j in reversed(range(G.shape[0])):
        if j == l:
            t = np.take(t, list(S[l]), axis=j)
        elif j != i:
            t = np.take(t, S[j][0], axis=j)
    return t if i < l else t.T


def _payoff_vector(G, i, S) -> np.ndarray:
    """Player i's payoffs for each of its strategies with everyone else pure at S."""
    t = G[i]
    for j in reversed(range(G.shape[0])):
        if j != i:
            t = np.take(t, S[j][0], axis=j)
    return t


def _float_rows(rows) -> np.ndarray:
    return np.array([[float(v) for v in row] for row in rows], dtype=float)


class _LinearFamily:
    """Exact polytope of equilibria when all equations and constraints are linear.

    Variables: probabilities of the mixing players over their supports. ``eqs`` and ``ineqs``
    are (coefficients, constant) with meaning ``coef . z + const == 0`` / ``>= 0``; positivity
    constraints are listed first in ``ineqs`` (``npos`` of them)."""

    def __init__(self, G, S, mixing, eqs, ineqs, npos, deadline):
        self.G, self.S, self.mixing = G, S, mixing
        self.eqs, self.ineqs, self.npos = eqs, ineqs, npos
        self.deadline = deadline
        self.offsets = {}
        o = 0
        for j in mixing:
            self.offsets[j] = o
            o += len(S[j])
        self.n = o

    def _profile(self, z) -> tuple[np.ndarray, ...]:
        return full_profile(self.G, self.S, {j: list(z[self.offsets[j]:self.offsets[j] + len(self.S[j])])
                                             for j in self.mixing})

    def polytope(self) -> tuple[int, list] | None:
        """(dimension, exact vertices found as coordinate vectors) of the solution polytope, or
        None when no solution has every positivity constraint strictly positive.
        ``every_vertex`` is set when the vertices are provably all of them."""
        self.every_vertex = False
        sol = _affine_solve([e[0] for e in self.eqs], [-e[1] for e in self.eqs], self.n)
        if sol is None:
            return None
        x0, basis = sol
        # constraints in the parameters t: c0 + c . t >= 0
        cons = []
        for coef, const in self.ineqs:
            c0 = const + sum(a * b for a, b in zip(coef, x0))
            c = [sum(a * v[k] for k, a in enumerate(coef)) for v in basis]
            cons.append((c0, c))
        if not basis:
            if all(c0 > 0 for c0, _ in cons[:self.npos]) and all(c0 >= 0 for c0, _ in cons[self.npos:]):
                self.every_vertex = True
                return 0, [x0]
            return None
        Aub = -_float_rows([c for _, c in cons])
        bub = np.array([float(c0) for c0, _ in cons])
        if not self._strictly_feasible(Aub, bub, len(basis)):
            return None
        dim = len(basis) - self._implicit_rank(cons, Aub, bub)
        if any(isinstance(v, Surd) for c0, c in cons for v in (c0, *c)) and \
                math.comb(len(cons), len(basis)) <= _MAX_EXACT_VERTEX_BASES:
            self.every_vertex = True
            return dim, self._all_vertices(cons, x0, basis)
        return dim, self._vertices(cons, x0, basis, Aub, bub)

    def _all_vertices(self, cons, x0, basis) -> list:
        """Every vertex, exactly: each choice of ``len(basis)`` constraints made tight with a unique
        solution satisfying all the others (small polytopes; irrational coefficients, where a
        float LP could miss a vertex)."""
        dL = len(basis)
        vertices: list = []
        for tight in itertools.combinations(range(len(cons)), dL):
            check(self.deadline)
            sol = _affine_solve([list(cons[k][1]) for k in tight], [-cons[k][0] for k in tight], dL)
            if sol is None or sol[1]:
                continue
            t = sol[0]
            if any(c0 + sum(a * b for a, b in zip(c, t)) < 0 for c0, c in cons):
                continue
            z = [x0[k] + sum(t[m] * basis[m][k] for m in range(dL)) for k in range(self.n)]
            if z not in vertices:
                vertices.append(z)
        return vertices

    def solve(self) -> Outcome:
        out = Outcome()
        found = self.polytope()
        if found is None:
            return out
        dim, vertices = found
        profiles = []
        every = self.every_vertex
        for z in vertices:
            prof = self._profile(z)
            if not verified(self.G, prof):
                every = False
            elif not any(same_profile(prof, q) for q in profiles):
                profiles.append(prof)
        if not profiles:
            out.unsure = dim > 0
            if dim > 0:
                out.remark(self.S, "polytope vertices could not be re-solved exactly")
        elif dim == 0:
            out.points.extend(profiles[:1])
        else:       # a segment has two vertices; in higher dimensions some may have been missed
            out.families.append(FoundFamily(self.S, dim, tuple(profiles), every or (dim == 1 and len(profiles) == 2)))
        return out

    def _strictly_feasible(self, Aub, bub, dL) -> bool:
        """Whether some point has every positivity constraint strictly positive (maximise the
        smallest positivity slack ``s``)."""
        A1 = np.hstack([Aub, np.zeros((len(bub), 1))])
        A1[:self.npos, -1] = 1.0
        bounds = [(None, None)] * dL + [(None, 1.0)]
        res = linprog(np.r_[np.zeros(dL), -1.0], A_ub=A1, b_ub=bub, bounds=bounds, method="highs")
        return res.status == 0 and -res.fun > _LP_MARGIN

    def _implicit_rank(self, cons, Aub, bub) -> int:
        """Rank of the weak constraints that hold with equality everywhere (implicit equalities)."""
        tight = []
        for k in range(self.npos, len(cons)):
            if not any(cons[k][1]):
                continue
            r = linprog(np.array([-float(a) for a in cons[k][1]]), A_ub=Aub, b_ub=bub,
                        bounds=[(None, None)] * Aub.shape[1], method="highs")
            if r.status == 0 and float(cons[k][0]) - r.fun <= _LP_MARGIN:
                tight.append(k)
        return exact_rank([list(cons[k][1]) for k in tight])

    def _vertices(self, cons, x0, basis, Aub, bub) -> list:
        """Vertices optimising each probability coordinate both ways, each re-solved exactly."""
        vertices = []
        for idx in range(self.n):
            coord = [v[idx] for v in basis]
            for sign in (1.0, -1.0):
                check(self.deadline)
                r = linprog(np.array([sign * float(a) for a in coord]), A_ub=Aub, b_ub=bub,
                            bounds=[(None, None)] * len(basis), method="highs")
                if r.status != 0:
                    continue
                v = self._exact_vertex(r.x, cons, x0, basis)
                if v is not None:
                    vertices.append(v)
        return vertices

    def _exact_vertex(self, t_float, cons, x0, basis):
        """Exact vertex whose active constraints are those tight at ``t_float``."""
        dL = len(basis)
        vals = [float(c0) + sum(float(a) * t for a, t in zip(c, t_float)) for c0, c in cons]
        active = [k for k, v in enumerate(vals) if abs(v) <= _ACTIVE_TOLERANCE]
        rows = [list(cons[k][1]) for k in active]
        rhs = [-cons[k][0] for k in active]
        sol = _affine_solve(rows, rhs, dL)
        if sol is None or sol[1]:
            return None
        t = sol[0]
        if any(c0 + sum(a * b for a, b in zip(c, t)) < 0 for c0, c in cons):
            return None
        return [x0[k] + sum(t[m] * basis[m][k] for m in range(dL)) for k in range(self.n)]


def _unit(k: int, n: int) -> list[Fraction]:
    return [Fraction(int(m == k)) for m in range(n)]


def _one_mixing(G, S, i: int, deadline) -> Outcome:
    """Player i mixes, everyone else is pure: i must be indifferent and the others best replies."""
    M = _payoff_vector(G, i, S)
    vals = [M[a] for a in S[i]]
    if any(v != vals[0] for v in vals) or any(M[b] > vals[0] for b in range(len(M))):
        return Outcome()
    k = len(S[i])
    eqs = [([Fraction(1)] * k, Fraction(-1))]
    ineqs = [(_unit(a, k), Fraction(0)) for a in range(k)]
    for j in range(G.shape[0]):
        if j == i:
            continue
        P = _payoff_matrix(G, j, i, S)  # (n_j, k_i)
        s0 = S[j][0]
        for b in range(P.shape[0]):
            if b != s0:
                ineqs.append(([_exact(P[s0, m] - P[b, m]) for m in range(k)], Fraction(0)))
    return _LinearFamily(G, S, [i], eqs, ineqs, k, deadline).solve()


def _block_nonempty(x0, basis, rows) -> bool:
    """Whether some p = x0 + sum t_k basis_k has p >= 0 and row . p >= 0 for every row (a float
    phase-I test that only answers False on a clear margin)."""
    k = len(x0)
    X0 = np.array([float(v) for v in x0])
    Bm = _float_rows(basis).reshape(len(basis), k)
    R = np.vstack([np.eye(k)] + ([_float_rows(rows)] if rows else []))
    # constraints R (x0 + t B) >= 0 with t free: write t = t+ - t-
    A = R @ Bm.T                    # (rows, len(basis))
    c = R @ X0
    scale = max(1.0, float(np.abs(A).max(initial=0)), float(np.abs(c).max(initial=0)))
    A, c = A / scale, c / scale
    # feasibility of {z >= 0 : -[A, -A] z <= c}
    return polyhedron_nonempty(np.hstack([-A, A]), c)


def _placed(values: list[Fraction], start: int, n: int) -> list[Fraction]:
    """A row of ``n`` coefficients holding ``values`` from position ``start``, zero elsewhere."""
    c = [Fraction(0)] * n
    c[start:start + len(values)] = values
    return c


def _bimatrix_polytope(G, S, i: int, l: int, blocks, deadline) -> Outcome:
    """Two players, both mixing, with a degenerate block: the joint polytope of the two players'
    indifference equations and best-reply constraints."""
    n = len(S[i]) + len(S[l])
    off = {i: 0, l: len(S[i])}
    eqs, ineqs = [], []
    for me, other in ((i, l), (l, i)):
        P = blocks[other][1]
        s0 = S[me][0]
        k = len(S[other])
        for s in S[me][1:]:
            eqs.append((_placed([_exact(P[s, m] - P[s0, m]) for m in range(k)], off[other], n), Fraction(0)))
        eqs.append((_placed([Fraction(1)] * k, off[other], n), Fraction(-1)))
        for b in range(P.shape[0]):
            if b not in S[me]:
                ineqs.append((_placed([_exact(P[s0, m] - P[b, m]) for m in range(k)], off[other], n), Fraction(0)))
    pos = [(_unit(k, n), Fraction(0)) for k in range(n)]
    return _LinearFamily(G, S, sorted((i, l)), eqs, pos + ineqs, n, deadline).solve()


def _two_mixing(G, S, i: int, l: int, deadline) -> Outcome | None:
    """Players i and l mix, the others are pure; None when the general route is needed."""
    blocks = {}
    for me, other in ((i, l), (l, i)):
        P = _payoff_matrix(G, me, other, S)  # (n_me, k_other)
        k = len(S[other])
        s0 = S[me][0]
        A = [[_exact(P[s, m] - P[s0, m]) for m in range(k)] for s in S[me][1:]] + [[Fraction(1)] * k]
        b = [Fraction(0)] * (len(S[me]) - 1) + [Fraction(1)]
        sol = _affine_solve(A, b, k)
        if sol is None:
            return Outcome()
        blocks[other] = (sol, P)
    if not blocks[i][0][1] and not blocks[l][0][1]:
        mixed = {j: blocks[j][0][0] for j in (i, l)}
        if any(v <= 0 for j in (i, l) for v in mixed[j]):
            return Outcome()
        out = Outcome()
        prof = full_profile(G, S, mixed)
        if verified(G, prof):
            out.points.append(prof)
        return out
    # each block separately: player me's indifference and best-reply constraints bound p_other
    for me, other in ((i, l), (l, i)):
        (x0, basis), P = blocks[other]
        s0 = S[me][0]
        rows = [[_exact(P[s0, m] - P[b, m]) for m in range(len(S[other]))]
                for b in range(P.shape[0]) if b not in S[me]]
        if not _block_nonempty(x0, basis, rows):
            return Outcome()
    if G.shape[0] == 2:
        return _bimatrix_polytope(G, S, i, l, blocks, deadline)
    return None


def _block_polytope(G, S, me: int, other: int, extra=(), deadline=None):
    """(dimension, vertices, whether these are every vertex) of the mixtures of ``other`` over its
    support that make the support of ``me`` best replies, everyone else pure at ``S``; ``extra``
    adds rows ``row . p >= 0``. None when no such mixture has full support."""
    P = _payoff_matrix(G, me, other, S)
    k, s0 = len(S[other]), S[me][0]
    eqs = [([_exact(P[s, m] - P[s0, m]) for m in range(k)], Fraction(0)) for s in S[me][1:]]
    eqs.append(([Fraction(1)] * k, Fraction(-1)))
    ineqs = [(_unit(a, k), Fraction(0)) for a in range(k)]
    ineqs += [([_exact(P[s0, m] - P[b, m]) for m in range(k)], Fraction(0)) for b in range(P.shape[0]) if b not in S[me]]
    ineqs += [(list(row), Fraction(0)) for row in extra]
    family = _LinearFamily(G, S, [other], eqs, ineqs, k, deadline)
    found = family.polytope()
    return None if found is None else (*found, family.every_vertex)


def _pure_player_forms(G, S, i: int, l: int) -> list[np.ndarray]:
    """For each pure player j and each other strategy b of j, the matrix ``D`` (i's support x l's
    support) with ``p_i . D . p_l`` = j's gain of staying with its strategy rather than b."""
    forms = []
    for j in range(G.shape[0]):
        if j in (i, l):
            continue
        s0 = S[j][0]
        for b in range(G.shape[1 + j]):
            if b == s0:
                continue
            D = np.empty((len(S[i]), len(S[l])), dtype=object)
            for (m, a), (n, c) in itertools.product(enumerate(S[i]), enumerate(S[l])):
                here = [S[k][0] for k in range(G.shape[0])]
                here[i], here[l] = a, c
                there = list(here)
                there[j] = b
                D[m, n] = _exact(G[(j,) + tuple(here)] - G[(j,) + tuple(there)])
            forms.append(D)
    return forms


def two_mixing_exact(G, S, i: int, l: int, deadline) -> Outcome:
    """Players i and l mix and the rest are pure, in a game of three or more players, exactly and
    without Gröbner bases (for :class:`Surd` payoffs). Each mixing player's indifference and best
    replies bound the other's mixture to a polytope; the pure players add bilinear constraints
    ``p_i . D . p_l >= 0``. With one polytope a point these are linear in the other mixture; with
    two, a bilinear form is non-negative on the product of the polytopes exactly when it is at
    every pair of vertices (it is linear in each factor), and then the product is the solution
    set. Otherwise the equilibria are part of the product, and the outcome says it is unsure."""
    out = Outcome()
    forms = _pure_player_forms(G, S, i, l)
    on_l, on_i = _block_polytope(G, S, i, l, (), deadline), _block_polytope(G, S, l, i, (), deadline)
    if on_l is None or on_i is None:
        return out
    if on_i[0] == 0 or on_l[0] == 0:
        fixed, free, point = (i, l, on_i) if on_i[0] == 0 else (l, i, on_l)
        x = np.asarray(point[1][0], dtype=object)
        rows = [x @ D if fixed == i else D @ x for D in forms]
        found = _block_polytope(G, S, fixed, free, rows, deadline)
        if found is None:
            return out
        dim, vertices, every = found
        pairs = [(x, z) if fixed == i else (z, x) for z in vertices]
    else:
        dim, every = on_i[0] + on_l[0], on_i[2] and on_l[2]
        pairs = list(itertools.product(on_i[1], on_l[1]))
        good = [(x, z) for x, z in pairs if all(np.asarray(x, dtype=object) @ D @ np.asarray(z, dtype=object) >= 0
                                                for D in forms)]
        if len(good) < len(pairs):
            return _cut_product(G, S, i, l, forms, on_i, on_l, good, deadline)
        pairs = good
    profiles = []
    for x, z in pairs:
        prof = full_profile(G, S, {i: list(x), l: list(z)})
        if verified(G, prof) and not any(same_profile(prof, q) for q in profiles):
            profiles.append(prof)
    if dim == 0 or len(profiles) == 1:
        out.points.extend(profiles[:1] if dim == 0 else profiles)
    elif profiles:
        out.families.append(FoundFamily(S, dim, tuple(profiles), every and not out.unsure and len(profiles) == len(pairs)))
    return out


def _centroid(points) -> list:
    return [sum(column, Fraction(0)) / len(points) for column in zip(*points)]


def _cut_product(G, S, i: int, l: int, forms, on_i, on_l, good, deadline) -> Outcome:
    """Two polytopes whose product the pure players' bilinear constraints cut: the equilibria with
    the whole support are a curved set, not a polytope. Search for one with every pure player's
    constraint strict (so the set has the product's full dimension there): fix one player's
    mixture at the centroid of its vertices or halfway from there to a vertex, and the other's
    mixtures form a polytope (the constraints are linear in it). Found: a family known through the
    vertex pairs that are equilibria and the points found. Not found: the outcome is unsure."""
    out = Outcome()
    for fixed, free, own in ((i, l, on_i), (l, i, on_l)):
        middle = _centroid(own[1])
        for x in [middle] + [[(a + b) / 2 for a, b in zip(middle, v)] for v in own[1]]:
            check(deadline)
            x = np.asarray(x, dtype=object)
            rows = [x @ D if fixed == i else D @ x for D in forms]
            found = _block_polytope(G, S, fixed, free, rows, deadline)
            if found is None:
                continue
            z = np.asarray(_centroid(found[1]), dtype=object)
            if any(np.dot(row, z) <= 0 for row in rows):
                continue
            points = [{fixed: list(x), free: list(v)} for v in list(found[1]) + [z]] + [{i: list(a), l: list(b)} for a, b in good]
            profiles = []
            for mixed in points:
                prof = full_profile(G, S, mixed)
                if verified(G, prof) and not any(same_profile(prof, q) for q in profiles):
                    profiles.append(prof)
            out.families.append(FoundFamily(S, on_i[0] + on_l[0], tuple(profiles), False))
            return out
    out.unsure = True
    out.points.extend(p for p in (full_profile(G, S, {i: list(a), l: list(b)}) for a, b in good) if verified(G, p))
    out.remark(S, "bilinear constraints of the pure players cut the product of two polytopes, and no equilibrium "
                  "with this support was found")
    return out


def linear_route(G, S, mixing, deadline) -> Outcome | None:
    """Supports with one or two mixing players. Returns None when the general route is needed."""
    if len(mixing) == 1:
        return _one_mixing(G, S, mixing[0], deadline)
    return _two_mixing(G, S, mixing[0], mixing[1], deadline)


def float_linear(Gf, S, mixing):
    """Two mixing players, generic float game: two square linear systems (each player's
    indifference fixes the other's mixture)."""
    i, l = mixing
    mixed = {}
    for me, other in ((i, l), (l, i)):
        P = _payoff_matrix(Gf, me, other, S)
        s0 = S[me][0]
        A = np.array([[P[s, m] - P[s0, m] for m in range(len(S[other]))] for s in S[me][1:]]
                     + [[1.0] * len(S[other])])
        b = np.zeros(len(S[me]))
        b[-1] = 1.0
        if A.shape[0] != A.shape[1]:
            return None
        try:
            x = np.linalg.solve(A, b)
        except np.linalg.LinAlgError:
            return None
        if np.any(x <= 0):
            return None
        mixed[other] = list(x / x.sum())
    prof = full_profile(Gf, S, mixed)
    return prof if verified(Gf, prof) else None
